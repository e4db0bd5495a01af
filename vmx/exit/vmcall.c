/*
 * Hypercalls: VMCALL with the function number in EAX (VMCALL always exits
 * in VMX non-root operation, SDM Vol. 3C §26.1.2).
 *   0 (HV_CALL_EXIT)  end the guest with the status in EBX
 *   1 (HV_CALL_PUTC)  the character in BL to the guest's console
 * Unknown numbers return all ones in RAX. Only the guest's kernel may call:
 * at CPL > 0 VMCALL raises #UD, as it does outside VMX operation (SDM Vol. 2C
 * "VMCALL"), so that no user program can end the machine or print to the
 * hypervisor's log.
 */
#include "arch/x86/printf.h"
#include "arch/x86/vectors.h"
#include "vmx/cpu/guest_access.h"
#include "vmx/exit/exit.h"
#include "vmx/io/bus.h"

#define HV_CALL_EXIT 0
#define HV_CALL_PUTC 1

void exit_vmcall(struct vcpu *v, uint64_t qual)
{
	uint64_t *rax = &v->regs.gpr[VCPU_RAX];
	uint64_t arg = v->regs.gpr[VCPU_RBX];

	(void)qual;
	if (vcpu_cpl(v) != 0) {
		vcpu_inject(v, VEC_UD, false, 0);
		return;
	}
	switch ((uint32_t)*rax) {
	case HV_CALL_EXIT: {
		char why[48];
		snprintf(why, sizeof(why), "exit status %u (hypercall)", (uint32_t)arg);
		vcpu_stop(v, (uint32_t)arg, why);
		return;
	}
	case HV_CALL_PUTC:
		io_console_put(v->bus, (uint8_t)arg);
		*rax = 0;
		break;
	default:
		*rax = ~0ull; /* unknown hypercall */
		break;
	}
	vcpu_skip_instruction(v);
}
