/*
 * Writing shadow entries. Leaves (level-1 pages) map guest frames and hold a
 * reference in the frame's tracking word; links (levels 2..4) point at a child
 * pool page and hold a user record on it (made in pool/link.c, which may have
 * to evict for the record). Every write goes through the pool so both stay
 * exact.
 */
#include "pool/internal.h"

static bool is_leaf_page(const struct pool *p, uint16_t idx)
{
	return pool_kind_level(pg(p, idx)->kind) == 1;
}

/* Guest writes to a monitored frame (a guest page table) must trap. */
static uint64_t leaf_flags(const struct pool *p, uint64_t gfn, uint64_t flags)
{
	return pool_gfn_monitored(p, gfn) ? flags & ~POOL_PTE_RW : flags;
}

/* The page gained an entry: a fault went through it, so it is in use as a page table.
 * The too-many-writes rule counts only writes since then (pool/write.c). */
void entry_gained(struct pool *p, uint16_t idx)
{
	pg(p, idx)->present++;
	pg(p, idx)->mod_count = 0;
}

void pool_entry_clear(struct pool *p, uint16_t idx, uint32_t entry)
{
	if (!entry_ok(p, idx, entry))
		return;
	uint64_t *e = &page_entries(p, idx)[entry];
	uint64_t old = *e;

	if (!pool_pte_present(old))
		return;
	if (p->nopen)
		open_forget(p, idx, entry);
	*e = 0;
	pg(p, idx)->present--;
	if (is_leaf_page(p, idx)) {
		uint64_t gfn = pool_hpa_gfn(p, pool_pte_addr(old));
		if (gfn != POOL_NO_GFN)
			ref_drop(p, gfn, idx, entry);
	} else {
		user_remove(p, pool_entry_child(p, old), idx, entry);
	}
}

int pool_leaf_set(struct pool *p, uint16_t idx, uint32_t entry, uint64_t gfn, uint64_t flags)
{
	if (!entry_ok(p, idx, entry) || !is_leaf_page(p, idx) || (flags & ~POOL_LEAF_FLAGS_MASK) ||
	    !(flags & POOL_PTE_P))
		return POOL_ERR_INVAL;
	if (gfn >= p->env.guest_frames)
		return POOL_ERR_NOT_RAM;
	uint64_t *e = &page_entries(p, idx)[entry];
	uint64_t hpa = track_hpa(p->env.track[gfn]);

	if (pool_pte_present(*e) && pool_pte_addr(*e) == hpa) {
		*e = hpa | leaf_flags(p, gfn, flags);
		return POOL_OK;
	}
	pool_entry_clear(p, idx, entry);
	ref_add(p, gfn, idx, entry);
	*e = hpa | leaf_flags(p, gfn, flags);
	entry_gained(p, idx);
	return POOL_OK;
}

int pool_leaf_update(struct pool *p, uint16_t idx, uint32_t entry, uint64_t flags)
{
	if (!entry_ok(p, idx, entry) || !is_leaf_page(p, idx) || (flags & ~POOL_LEAF_FLAGS_MASK) ||
	    !(flags & POOL_PTE_P))
		return POOL_ERR_INVAL;
	uint64_t *e = &page_entries(p, idx)[entry];
	uint64_t gfn = pool_hpa_gfn(p, pool_pte_addr(*e));

	if (!pool_pte_present(*e) || gfn == POOL_NO_GFN)
		return POOL_ERR_INVAL;
	*e = pool_pte_addr(*e) | leaf_flags(p, gfn, flags);
	return POOL_OK;
}

uint64_t pool_leaf_gfn(const struct pool *p, uint16_t idx, uint32_t entry)
{
	if (!entry_ok(p, idx, entry) || !is_leaf_page(p, idx))
		return POOL_NO_GFN;
	uint64_t e = page_entries(p, idx)[entry];
	return pool_pte_present(e) ? pool_hpa_gfn(p, pool_pte_addr(e)) : POOL_NO_GFN;
}
