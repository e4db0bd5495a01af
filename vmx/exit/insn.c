/*
 * Instructions that exit unconditionally and need little: the VMX
 * instructions (SDM Vol. 3C §26.1.2) raise #UD, as on a CPU with
 * CR4.VMXE = 0, since VMX is hidden from guests; INVD does nothing, guest
 * memory being write-back host RAM; RDPMC raises #GP, as for a counter
 * that does not exist (no performance counters are virtualized, CPUID leaf
 * 0xA says so; SDM Vol. 2B "RDPMC").
 */
#include "arch/x86/vectors.h"
#include "vmx/exit/exit.h"

void exit_vmx_instruction(struct vcpu *v, uint64_t qual)
{
	(void)qual;
	vcpu_inject(v, VEC_UD, false, 0);
}

/* MONITOR and MWAIT: hidden by CPUID (1:ECX[3]), so #UD as on a CPU without
 * them, not a sleep the hypervisor cannot bound. */
void exit_monitor_mwait(struct vcpu *v, uint64_t qual)
{
	(void)qual;
	vcpu_inject(v, VEC_UD, false, 0);
}

void exit_invd(struct vcpu *v, uint64_t qual)
{
	(void)qual;
	vcpu_skip_instruction(v);
}

void exit_rdpmc(struct vcpu *v, uint64_t qual)
{
	(void)qual;
	vcpu_inject(v, VEC_GP, true, 0);
}
