#include "vmx/cpu/step.h"
#include "arch/x86/paging.h"
#include "arch/x86/printf.h"
#include "vmx/hw/vmcs.h"

#define RFLAGS_TF (1u << 8)
#define VEC_DB    1
#define VEC_PF    14

/*
 * The shadow walk for la: the pool page and entry index at each level, top
 * first. Returns the number of levels found present down to the leaf, or 0
 * if the walk stops early.
 */
static unsigned shadow_walk(struct vcpu *v, uint64_t la, uint16_t idx[4], uint32_t index[4])
{
	struct pool *p = &v->mem.pool;
	unsigned top = v->shadow.hw == SHADOW_HW_LONG ? 4 : 3;
	uint16_t cur = pool_root_get(p, 0);

	for (unsigned n = 0; n < top; n++) {
		unsigned level = top - n;
		uint32_t i =
		    (level == 3 && top == 3) ? (uint32_t)(la >> 30) & 3 : pt_index(la, level);
		if (!cur)
			return 0;
		uint64_t e = pool_page_entries(p, cur)[i];
		if (!(e & PTE_P))
			return 0;
		idx[n] = cur;
		index[n] = i;
		cur = level > 1 ? pool_entry_child(p, e) : 0;
	}
	return top;
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

/* Give every entry on the walk R/W (a link may be read-only to catch the
 * guest's dirty bit on a large page), remembering what to undo. PAE-format
 * PDPTEs have no R/W bit and are left alone. */
static bool open_walk(struct vcpu *v, unsigned levels, const uint16_t idx[4],
                      const uint32_t index[4])
{
	struct vcpu_step *s = &v->step;
	bool pae_root = v->shadow.hw == SHADOW_HW_PAE;

	for (unsigned n = pae_root ? 1 : 0; n < levels; n++) {
		uint64_t *e = &pool_page_entries(&v->mem.pool, idx[n])[index[n]];
		if (*e & PTE_W)
			continue;
		if (s->nentries == VCPU_STEP_ENTRIES)
			return false;
		s->entry[s->nentries++] = (struct step_entry){idx[n], index[n], *e};
		pool_lock(&v->mem.pool, idx[n]);
		*e |= PTE_W; /* outside the pool's bookkeeping: undone in step_finish */
	}
	return true;
}

static bool find_or_fill_walk(struct vcpu *v, uint64_t la, uint32_t access, uint16_t idx[4],
                              uint32_t index[4], unsigned *levels)
{
	*levels = shadow_walk(v, la, idx, index);
	if (*levels)
		return true;
	/* A write the guest may make only under CR0.WP = 0 leaves no leaf: fill
	 * it read-only with a read access first. */
	struct shadow_fault f;
	shadow_sync(&v->shadow, la, access & ~(uint32_t)WALK_ACC_WRITE, &f);
	*levels = f.result == SHADOW_FIXED ? shadow_walk(v, la, idx, index) : 0;
	if (!*levels)
		printf("vmx: step: no shadow leaf for 0x%lx (read sync result %d)\n",
		       (unsigned long)la, (int)f.result);
	return *levels != 0;
}

bool step_begin(struct vcpu *v, uint64_t la, uint64_t gpa, uint32_t access)
{
	struct vcpu_step *s = &v->step;
	uint16_t idx[4];
	uint32_t index[4];
	unsigned levels;

	if (s->count == VCPU_STEP_PAGES) {
		printf("vmx: step: more than %u pages written by one instruction\n",
		       VCPU_STEP_PAGES);
		return false;
	}
	if (!find_or_fill_walk(v, la, access, idx, index, &levels))
		return false;
	struct step_page *sp = &s->page[s->count];
	sp->la = la & ~(uint64_t)(PAGE_SIZE - 1);
	sp->gpa = gpa & ~(uint64_t)(PAGE_SIZE - 1);
	sp->before = s->snapshot[s->count];
	guest_mem_read(&v->mem, sp->gpa, sp->before, PAGE_SIZE);
	if (!open_walk(v, levels, idx, index)) {
		printf("vmx: step: more than %u shadow entries to open\n", VCPU_STEP_ENTRIES);
		return false;
	}
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

	/* Undo the temporary write permissions first (newest first, so an entry
	 * opened twice ends with its original value): the notifications below
	 * may free or rewrite these very entries. */
	for (unsigned i = s->nentries; i-- > 0;) {
		struct step_entry *se = &s->entry[i];
		uint64_t *e = &pool_page_entries(p, se->pool_idx)[se->index];
		if (*e == (se->old | PTE_W))
			*e = se->old;
		pool_unlock(p, se->pool_idx);
	}
	for (unsigned i = 0; i < s->count; i++)
		notify_changes(v, &s->page[i]);
	s->count = 0;
	s->nentries = 0;
	s->active = false;
	set_stepping(v, false);
	vcpu_flush_tlb(v);
}
