/*
 * The guest's state in real registers (see vmx/cpu/state.h). Reset values:
 * SDM Vol. 3A §10.1 table 10-1 (DR0-DR3 0, DR6 FFFF0FF0H, the MSRs 0), and
 * the x87/SSE state after FNINIT with MXCSR 1F80H (arch/x86/fpu.c).
 */
#include "vmx/cpu/state.h"
#include "arch/x86/cpu.h"
#include "arch/x86/cr.h"
#include "arch/x86/fpu.h"

#define DR6_RESET 0xffff0ff0ull

const uint32_t vcpu_passthrough_msrs[] = {MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS_BASE, MSR_STAR,
                                          MSR_LSTAR,   MSR_CSTAR,   MSR_FMASK};
const unsigned vcpu_passthrough_msr_count =
    sizeof(vcpu_passthrough_msrs) / sizeof(vcpu_passthrough_msrs[0]);

void vcpu_reset_real_state(void)
{
	fpu_reset();
	write_dr0(0);
	write_dr1(0);
	write_dr2(0);
	write_dr3(0);
	write_dr6(DR6_RESET);
	/* FS and GS base are in the VMCS guest state (the host's in its host
	 * state); the others are the guest's alone. */
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	wrmsr(MSR_STAR, 0);
	wrmsr(MSR_LSTAR, 0);
	wrmsr(MSR_CSTAR, 0);
	wrmsr(MSR_FMASK, 0);
}
