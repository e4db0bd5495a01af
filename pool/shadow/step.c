/*
 * Opening the shadow walk of one linear address for a single-stepped guest
 * write (see shadow.h, shadow_step_open()): find the shadow entries on the
 * walk, fill them read-only first if the walk is incomplete, and give each
 * entry that lacks it R/W through the pool (pool_open_entry()), which keeps
 * the records and restores them at pool_close_entries().
 */
#include "pool/shadow/internal.h"

/* The pool page and entry index at each level of la's shadow walk, top first.
 * Returns the number of levels, or 0 if the walk stops before a leaf. */
static unsigned shadow_walk(struct shadow_vcpu *v, uint64_t la, uint16_t idx[4], uint32_t index[4])
{
	unsigned top = v->hw == SHADOW_HW_LONG ? 4 : 3;
	uint16_t cur = shadow_current_root(v);

	for (unsigned n = 0; n < top; n++) {
		unsigned level = top - n;
		uint32_t i = shadow_index(v, la, level);
		if (!cur)
			return 0;
		uint64_t e = pool_page_entries(v->pool, cur)[i];
		if (!pool_pte_present(e))
			return 0;
		idx[n] = cur;
		index[n] = i;
		cur = level > 1 ? pool_entry_child(v->pool, e) : 0;
	}
	return top;
}

enum shadow_result shadow_step_open(struct shadow_vcpu *v, uint64_t la, uint32_t access)
{
	uint16_t idx[4];
	uint32_t index[4];
	unsigned levels = shadow_walk(v, la, idx, index);

	if (!levels) {
		/* A write the guest may make only under CR0.WP = 0 leaves no leaf:
		 * fill it read-only with a read access first. */
		struct shadow_fault f;
		shadow_sync(v, la, access & ~(uint32_t)WALK_ACC_WRITE, &f);
		if (f.result != SHADOW_FIXED)
			return f.result;
		levels = shadow_walk(v, la, idx, index);
		if (!levels)
			return SHADOW_NO_MEMORY;
	}
	/* PAE-format PDPTEs (the PAE root's entries) have no R/W bit. */
	for (unsigned n = v->hw == SHADOW_HW_PAE ? 1 : 0; n < levels; n++) {
		if (pool_page_entries(v->pool, idx[n])[index[n]] & POOL_PTE_RW)
			continue;
		if (pool_open_entry(v->pool, idx[n], index[n]) != POOL_OK)
			return SHADOW_NO_MEMORY;
	}
	v->stats.steps_opened++;
	return SHADOW_FIXED;
}

void shadow_step_close(struct shadow_vcpu *v)
{
	pool_close_entries(v->pool);
}
