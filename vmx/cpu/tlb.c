/*
 * The guest's TLB. With VPID the CPU keeps guest translations across VM
 * entries and exits (SDM Vol. 3C §29.1), so every change to the shadow that
 * drops or narrows a translation must be followed by an INVVPID; without a
 * VPID every entry and exit flushes them anyway.
 */
#include "vmx/cpu/vcpu.h"
#include "vmx/hw/insn.h"
#include "vmx/hw/msr_vmx.h"

void vcpu_flush_tlb(struct vcpu *v)
{
	if (!v->vpid)
		return; /* VPID 0: every VM entry and exit flushes guest mappings */
	uint64_t caps = v->cpu->caps.ept_vpid;
	uint64_t type = (caps & VMX_VPID_CAP_INVVPID_SINGLE) ? VMX_INVVPID_SINGLE_CONTEXT
	                                                     : VMX_INVVPID_ALL_CONTEXT;
	vmx_invvpid(type, v->vpid, 0);
}
