/*
 * Pool pages: where a page comes from (free list, generation cursor, growth
 * from the frame source in steps, eviction of the least recently used unlocked
 * page) and how one is given back (every reference and link dropped).
 */
#include "pool/internal.h"

/* Take up to grow_step frames. True if at least one was added. */
static bool page_grow(struct pool *p)
{
	uint32_t want = p->cfg.max_pages - p->grown;
	bool any = false;

	if (want > p->cfg.grow_step)
		want = p->cfg.grow_step;
	while (want--) {
		uint64_t hpa = p->env.frame_alloc(p->env.ctx);
		if (hpa && ((hpa & 0xFFF) || (hpa & ~TRACK_HPA_MASK))) {
			/* unusable: unaligned or beyond 48 bits */
			p->env.frame_free(p->env.ctx, hpa);
			hpa = 0;
		}
		if (!hpa) {
			p->stats.frame_failures++;
			break;
		}
		p->grown++;
		__builtin_memset(pg(p, p->grown), 0, sizeof(struct pool_page));
		pg(p, p->grown)->hpa = hpa;
		phash_insert(p, hpa, (uint16_t)p->grown);
		p->stats.grows++;
		any = true;
	}
	return any;
}

bool page_evict_one(struct pool *p)
{
	for (uint16_t i = p->age_tail; i; i = pg(p, i)->age_prev) {
		if (pg(p, i)->lock == 0) {
			p->stats.evictions++;
			page_free(p, i, POOL_FLUSH_EVICT);
			return true;
		}
	}
	return false;
}

int page_take(struct pool *p, uint16_t *out)
{
	bool grow_failed = false;

	for (;;) {
		if (p->free_head) {
			*out = (uint16_t)p->free_head;
			p->free_head = pg(p, p->free_head)->hash_next;
			return POOL_OK;
		}
		if (p->cursor <= p->grown) {
			*out = (uint16_t)p->cursor++;
			return POOL_OK;
		}
		if (p->grown < p->cfg.max_pages && !grow_failed) {
			grow_failed = !page_grow(p);
			continue;
		}
		if (!page_evict_one(p))
			return grow_failed ? POOL_ERR_NO_FRAME : POOL_ERR_ALL_LOCKED;
	}
}

/* Drop every entry: leaves give back their reference, links their user record. */
void page_clear(struct pool *p, uint16_t idx)
{
	uint64_t *e = page_entries(p, idx);

	for (uint32_t i = 0; i < POOL_ENTRIES && pg(p, idx)->present; i++)
		if (pool_pte_present(e[i]))
			pool_entry_clear(p, idx, i);
	pg(p, idx)->mod_count = 0;
	pg(p, idx)->zero_run = 0;
	pg(p, idx)->wp_run = 0;
	pg(p, idx)->last_write_end = 0;
}

void page_free(struct pool *p, uint16_t idx, enum pool_flush_cause cause)
{
	struct pool_page *page = pg(p, idx);

	page_clear(p, idx);
	while (page->users) {
		struct pool_user *u = &p->users[page->users];
		pool_entry_clear(p, u->parent, u->entry);
	}
	if (page->flags & POOL_PAGE_F_MONITORED)
		monitor_stop(p, idx);
	cache_remove(p, idx);
	age_remove(p, idx);
	page->kind = POOL_KIND_NONE;
	page->flags = 0;
	page->gpa = 0;
	page->ctx = 0;
	page->hash_next = (uint16_t)p->free_head;
	p->free_head = idx;
	p->used--;
	p->stats.frees[cause]++;
}
