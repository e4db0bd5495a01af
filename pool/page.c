/*
 * Pool pages: where a page comes from (free list, generation cursor, growth
 * from the frame source in steps, eviction of the least recently used unlocked
 * page) and how one is given back (every reference and link dropped).
 */
#include "pool/internal.h"

static uint32_t phash_start(const struct pool *p, uint64_t hpa)
{
	return (uint32_t)(((hpa >> 12) * 0x9E3779B97F4A7C15ull) >> 40) & p->phash_mask;
}

void phash_insert(struct pool *p, uint64_t hpa, uint16_t idx)
{
	uint32_t i = phash_start(p, hpa);

	while (p->phash[i])
		i = (i + 1) & p->phash_mask;
	p->phash[i] = idx;
}

/* Pool frames are found by address, so links need not carry the index. */
uint16_t pool_entry_child(const struct pool *p, uint64_t entry)
{
	uint64_t hpa = pool_pte_addr(entry);

	if (!pool_pte_present(entry))
		return 0;
	for (uint32_t i = phash_start(p, hpa); p->phash[i]; i = (i + 1) & p->phash_mask)
		if (pg(p, p->phash[i])->hpa == hpa)
			return p->phash[i];
	return 0;
}

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
