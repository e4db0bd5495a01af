/*
 * The vCPU half of a stepped page-table write (see vmx/cpu/step.h): the
 * snapshot, RFLAGS.TF and the #DB intercept. The shadow half (opening and
 * closing the walk) belongs to the pool.
 */
#include "vmx/cpu/step.h"
#include "arch/x86/printf.h"
#include "arch/x86/vectors.h"
#include "vmx/cpu/vcpu.h"
#include "vmx/hw/vmcs.h"

#define PAGE_MASK 0xfffull

static void set_stepping(struct vcpu *v, bool on)
{
	uint64_t rflags = vmcs_read(VMCS_GUEST_RFLAGS);
	uint32_t bitmap = vmx_exception_bit(VEC_PF);

	if (on) {
		v->step.guest_tf = rflags & RFLAGS_TF;
		rflags |= RFLAGS_TF;
		bitmap |= vmx_exception_bit(VEC_DB);
	} else if (!v->step.guest_tf) {
		rflags &= ~(uint64_t)RFLAGS_TF;
	}
	vmcs_write(VMCS_GUEST_RFLAGS, rflags);
	vmcs_write(VMCS_EXCEPTION_BITMAP, bitmap);
}

bool step_begin(struct vcpu *v, uint64_t la, uint64_t gpa, uint32_t access)
{
	struct vcpu_step *s = &v->step;

	if (s->count == VCPU_STEP_PAGES) {
		printf("vmx: step: more than %u pages written by one instruction\n",
		       VCPU_STEP_PAGES);
		return false;
	}
	enum shadow_result r = shadow_step_open(&v->shadow, la, access);
	if (r != SHADOW_FIXED) {
		printf("vmx: step: cannot open the shadow walk of 0x%lx (result %d)\n",
		       (unsigned long)la, (int)r);
		return false;
	}
	struct step_page *sp = &s->page[s->count++];
	sp->gpa = gpa & ~PAGE_MASK;
	pool_ram_read(v->shadow.pool, sp->gpa, sp->before, sizeof(sp->before));
	if (!s->active) {
		s->active = true;
		set_stepping(v, true);
	}
	vcpu_flush_tlb(v);
	return true;
}

/* Report every entry of the page that the stepped instruction changed. */
static void notify_changes(struct vcpu *v, const struct step_page *sp)
{
	unsigned width = v->shadow.paging.mode == WALK_MODE_32BIT ? 4 : 8;
	const uint8_t *after = pool_ram_ptr(v->shadow.pool, sp->gpa);

	if (!pool_gfn_monitored(v->shadow.pool, sp->gpa / sizeof(sp->before)))
		return;
	for (unsigned off = 0; off < sizeof(sp->before); off += width) {
		if (__builtin_memcmp(after + off, sp->before + off, width) == 0)
			continue;
		uint64_t value = 0;
		__builtin_memcpy(&value, after + off, width);
		shadow_guest_write(&v->shadow, sp->gpa + off, width, value);
	}
}

void step_finish(struct vcpu *v)
{
	struct vcpu_step *s = &v->step;

	/* Close the walk first: the notifications below may free or rewrite
	 * the very entries that were opened. */
	shadow_step_close(&v->shadow);
	for (unsigned i = 0; i < s->count; i++)
		notify_changes(v, &s->page[i]);
	s->count = 0;
	s->active = false;
	set_stepping(v, false);
	vcpu_flush_tlb(v);
}
