/*
 * The guest's memory as the guest's own instructions see it: a linear
 * address through the guest's page tables (setting their A/D bits as the
 * hardware walk would, SDM Vol. 3A §4.8), then guest RAM. For the
 * hypervisor's own look at guest code and stacks, and for the emulator.
 */
#include "vmx/cpu/guest_access.h"
#include "vmx/cpu/vcpu.h"
#include "vmx/hw/vmcs.h"

uint32_t vcpu_cpl(const struct vcpu *v)
{
	(void)v;
	/* The CPL is SS.DPL (SDM Vol. 3C §24.4.1: VM entry checks it equals it). */
	return (uint32_t)(vmcs_read(VMCS_GUEST_SS_AR) >> 5) & 3;
}

enum walk_status vcpu_translate(struct vcpu *v, uint64_t la, uint32_t access, struct walk_result *r)
{
	struct pool *pool = v->shadow.pool;

	if (vcpu_cpl(v) == 3)
		access |= WALK_ACC_USER;
	walk_translate(&v->shadow.paging, la, access, shadow_read_guest, pool, r);
	if (r->status == WALK_OK)
		walk_commit_ad(r, shadow_write_guest, pool);
	return r->status;
}

unsigned vcpu_fetch_insn(struct vcpu *v, uint8_t *buf, unsigned len)
{
	uint64_t la = vmcs_read(VMCS_GUEST_CS_BASE) + vmcs_read(VMCS_GUEST_RIP);
	unsigned got = 0;

	if (!vcpu_in_64bit_code(v))
		la = (uint32_t)la;
	for (; got < len; got++) {
		struct walk_result r;
		if (vcpu_translate(v, la + got, WALK_ACC_FETCH, &r) != WALK_OK ||
		    !pool_ram_read(v->shadow.pool, r.gpa, &buf[got], 1))
			break;
	}
	return got;
}
