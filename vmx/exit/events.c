/*
 * Exits about the machine rather than an instruction: a host interrupt
 * (external-interrupt exiting), the guest's triple fault (a shutdown), and
 * HLT, which nothing can wake yet: the guest stopped without reporting a
 * status, which counts as failure.
 */
#include "arch/x86/printf.h"
#include "vmx/exit/exit.h"
#include "vmx/hw/vmcs.h"

void exit_external_interrupt(struct vcpu *v, uint64_t qual)
{
	(void)v;
	(void)qual; /* the PIC is masked; nothing to do but resume */
}

void exit_triple_fault(struct vcpu *v, uint64_t qual)
{
	(void)qual;
	printf("vmx: guest triple fault at rip 0x%lx\n", (unsigned long)vmcs_read(VMCS_GUEST_RIP));
	vcpu_stop(v, 1, "triple fault");
}

void exit_hlt(struct vcpu *v, uint64_t qual)
{
	(void)qual;
	vcpu_stop(v, 1, "halted without an exit status");
}
