/*
 * Flushing shadow mappings of one guest frame, one pool page, and everything.
 *
 * The slow path (an overflowed frame: more references than a chain of 15
 * extents holds, or no extent was free) does NOT scan the pool: every page
 * holding a reference to an overflowed frame counts those references
 * (ovf_refs) and sits on the overflow list while the count is nonzero, so the
 * slow path examines only pages that may map an overflowed frame: the pages
 * that map this frame, plus those mapping other overflowed frames (normally
 * none: overflow is rare and flushing ends it). stats.slow_pages counts them.
 *
 * Flush-all is O(hash buckets): it bumps the generation, which makes every
 * tracking word stale (read as "no reference, not monitored", pool/track.h),
 * and resets the cursors of pages, extents and user records so that all of
 * them count as free; a page is zeroed when it is next handed out.
 */
#include "pool/internal.h"

static void clear_one(struct pool *p, uint16_t idx, uint32_t entry, void *arg)
{
	(void)arg;
	pool_entry_clear(p, idx, entry);
}

unsigned pool_flush_gfn(struct pool *p, uint64_t gfn)
{
	unsigned cleared = 0;

	if (gfn >= p->env.guest_frames)
		return 0;
	p->stats.flush_gfn++;
	for (;;) {
		uint64_t t = trk_get(p, gfn);
		if (track_tag(t) == TRACK_TAG_NONE)
			return cleared;
		if (track_overflowed(t)) {
			cleared += ovf_scan(p, gfn, clear_one, 0);
			trk_put(p, gfn, track_set_refs(trk_get(p, gfn), TRACK_TAG_NONE, 0));
			return cleared;
		}
		uint16_t idx;
		int entry;
		if (track_tag(t) == TRACK_TAG_SINGLE) {
			idx = (uint16_t)track_idx(t);
			entry = page_find_leaf(p, idx, track_hpa(t));
		} else {
			struct pool_extent *x = &p->extents[track_idx(t)];
			unsigned i = x->page[0] ? 0 : x->page[1] ? 1 : 2;
			idx = x->page[i];
			entry = x->entry[i];
		}
		/* A reference to nothing is corruption: stop, the audit reports it. */
		if (entry < 0 || !page_live(p, idx) ||
		    pool_pte_addr(page_entries(p, idx)[entry]) != track_hpa(t) ||
		    !pool_pte_present(page_entries(p, idx)[entry]))
			return cleared;
		pool_entry_clear(p, idx, (uint32_t)entry);
		cleared++;
	}
}

bool pool_page_flush(struct pool *p, uint16_t idx)
{
	if (!page_live(p, idx))
		return false;
	if (pg(p, idx)->lock) {
		page_clear(p, idx);
		p->stats.locked_clears++;
		return false;
	}
	page_free(p, idx, POOL_FLUSH_EXPLICIT);
	return true;
}

bool pool_unshadow_gfn(struct pool *p, uint64_t gfn)
{
	for (uint16_t idx = pool_monitor_first(p, gfn), next; idx; idx = next) {
		next = pool_monitor_next(p, idx);
		if (pg(p, idx)->lock) {
			page_clear(p, idx);
			p->stats.locked_clears++;
		} else {
			page_free(p, idx, POOL_FLUSH_EXPLICIT);
		}
	}
	return !pool_gfn_monitored(p, gfn);
}

void pool_flush_all(struct pool *p)
{
	p->generation++;
	if (p->generation % TRACK_GEN_PERIOD == 0)
		trk_sweep(p);
	p->cursor = 1;
	p->free_head = 0;
	p->used = 0;
	p->age_head = p->age_tail = 0;
	p->ovf_head = 0;
	for (unsigned i = 0; i < POOL_ROOT_SLOTS; i++)
		p->roots[i] = 0;
	__builtin_memset(p->cache_heads, 0, (p->cache_mask + 1) * sizeof(uint16_t));
	__builtin_memset(p->mon_heads, 0, (p->mon_mask + 1) * sizeof(uint16_t));
	p->user_cursor = 1;
	p->user_free = 0;
	p->users_used = 0;
	p->extent_cursor = 1;
	p->extent_free = 0;
	p->extents_used = 0;
	p->nopen = 0; /* opened entries went with their pages */
	p->stats.flush_all++;
}
