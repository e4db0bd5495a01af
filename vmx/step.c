#include "vmx/step.h"
#include "arch/x86/paging.h"
#include "arch/x86/printf.h"
#include "vmx/vmcs.h"

#define RFLAGS_TF (1u << 8)
#define VEC_DB 1
#define VEC_PF 14

/* The shadow leaf that maps la: (pool page, entry index), or false. */
static bool find_shadow_leaf(struct vcpu *v, uint64_t la, uint16_t *idx_out, uint32_t *entry)
{
	struct pool *p = &v->mem.pool;
	uint16_t idx = pool_root_get(p, 0);
	int top = v->shadow.hw == SHADOW_HW_LONG ? 4 : 3;

	for (int level = top; level >= 2 && idx; level--) {
		uint32_t i = (level == 3 && top == 3) ? (uint32_t)(la >> 30) & 3 : pt_index(la, level);
		uint64_t e = pool_page_entries(p, idx)[i];
		idx = (e & PTE_P) ? pool_entry_child(p, e) : 0;
	}
	if (!idx || !(pool_page_entries(p, idx)[pt_index(la, 1)] & PTE_P))
		return false;
	*idx_out = idx;
	*entry = pt_index(la, 1);
	return true;
}

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
	uint16_t idx;
	uint32_t entry;

	if (s->count == VCPU_STEP_PAGES)
		return false;
	if (!find_shadow_leaf(v, la, &idx, &entry)) {
		/* A write the guest may make only under CR0.WP = 0 leaves no leaf:
		 * fill it read-only with a read access first. */
		struct shadow_fault f;
		shadow_sync(&v->shadow, la, access & ~(uint32_t)WALK_ACC_WRITE, &f);
		if (f.result != SHADOW_FIXED || !find_shadow_leaf(v, la, &idx, &entry))
			return false;
	}
	struct step_page *sp = &s->page[s->count];
	uint64_t *leaf = &pool_page_entries(&v->mem.pool, idx)[entry];
	sp->la = la & ~(uint64_t)(PAGE_SIZE - 1);
	sp->gpa = gpa & ~(uint64_t)(PAGE_SIZE - 1);
	sp->pool_idx = idx;
	sp->entry = entry;
	sp->old_flags = *leaf;
	sp->before = s->snapshot[s->count];
	guest_mem_read(&v->mem, sp->gpa, sp->before, PAGE_SIZE);
	pool_lock(&v->mem.pool, idx);
	*leaf |= PTE_W; /* outside the pool's bookkeeping: undone in step_finish */
	s->count++;
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
	const uint8_t *after = guest_mem_ptr(&v->mem, sp->gpa);

	if (!pool_gfn_monitored(&v->mem.pool, sp->gpa / PAGE_SIZE))
		return;
	for (unsigned off = 0; off < PAGE_SIZE; off += width) {
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
	struct pool *p = &v->mem.pool;

	/* Undo the temporary write permissions first: the notifications below
	 * may free or rewrite these very entries. */
	for (unsigned i = 0; i < s->count; i++) {
		struct step_page *sp = &s->page[i];
		uint64_t *leaf = &pool_page_entries(p, sp->pool_idx)[sp->entry];
		if ((*leaf & ~(uint64_t)PTE_W) == (sp->old_flags & ~(uint64_t)PTE_W))
			*leaf = sp->old_flags;
		pool_unlock(p, sp->pool_idx);
	}
	for (unsigned i = 0; i < s->count; i++)
		notify_changes(v, &s->page[i]);
	s->count = 0;
	s->active = false;
	set_stepping(v, false);
	vcpu_flush_tlb(v);
}
