/*
 * A guest access to guest-physical memory that is not its RAM (the shadow
 * layer never maps such a frame). Until MMIO devices are emulated, the guest
 * is stopped with the address in the log: it can never reach host memory.
 */
#include "arch/x86/printf.h"
#include "vmx/exit.h"
#include "vmx/vmcs.h"

void exit_outside_ram(struct vcpu *v, uint64_t la, uint64_t gpa, uint32_t access)
{
	printf("vmx: guest %s: %s of linear 0x%lx = guest-physical 0x%lx outside its RAM "
	       "(rip 0x%lx)\n",
	       v->name, (access & WALK_ACC_WRITE) ? "write" : "read", (unsigned long)la,
	       (unsigned long)gpa, (unsigned long)vmcs_read(VMCS_GUEST_RIP));
	vcpu_stop(v, 1, "access outside guest RAM");
}
