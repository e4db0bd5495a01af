/*
 * pool_alloc: find the shadow table (kind, gpa, ctx) in the cache or make a
 * new one, and link it under its parent. Also locks and root slots, which
 * decide what allocation may evict.
 */
#include "pool/internal.h"

#define POOL_DEFAULT_LINK_FLAGS (POOL_PTE_P | POOL_PTE_RW | POOL_PTE_US | POOL_PTE_A)

static void page_init(struct pool *p, uint16_t idx, enum pool_kind kind, uint64_t gpa, uint32_t ctx)
{
	struct pool_page *page = pg(p, idx);
	uint64_t hpa = page->hpa;

	__builtin_memset(page, 0, sizeof(*page));
	page->hpa = hpa;
	page->kind = (uint16_t)kind;
	page->gpa = gpa;
	page->ctx = ctx;
	__builtin_memset(page_entries(p, idx), 0, POOL_PAGE_SIZE);
	cache_insert(p, idx);
	age_push(p, idx);
	if (++p->used > p->stats.pages_high)
		p->stats.pages_high = p->used;
	if (pool_kind_monitored(kind))
		monitor_start(p, idx);
}

static int alloc_check(const struct pool *p, enum pool_kind kind, uint64_t gpa, uint16_t parent,
                       uint32_t entry)
{
	unsigned level = pool_kind_level(kind);
	uint64_t align = kind == POOL_KIND_PDPT_PAE ? 0x1F : 0xFFF;

	if (!level || (gpa & align))
		return POOL_ERR_INVAL;
	if (parent && (!page_live(p, parent) || entry >= POOL_ENTRIES ||
	               pool_kind_level(pg(p, parent)->kind) != level + 1))
		return POOL_ERR_INVAL;
	if (pool_kind_monitored(kind) && (gpa >> 12) >= p->env.guest_frames)
		return POOL_ERR_NOT_RAM;
	return POOL_OK;
}

static int alloc_locked_parent(struct pool *p, enum pool_kind kind, uint64_t gpa, uint32_t ctx,
                               uint16_t parent, uint32_t entry, uint64_t link_flags, uint16_t *out,
                               bool *created)
{
	uint16_t idx = cache_find(p, kind, gpa, ctx, &p->stats);
	int rc;

	*created = !idx;
	if (idx) {
		pool_touch(p, idx);
	} else {
		rc = page_take(p, &idx);
		if (rc)
			return rc;
		page_init(p, idx, kind, gpa, ctx);
	}
	if (parent) {
		pg(p, idx)->lock++;
		rc = pool_link(p, parent, entry, idx, link_flags);
		pg(p, idx)->lock--;
		if (rc)
			return rc;
	}
	*out = idx;
	return POOL_OK;
}

int pool_alloc(struct pool *p, enum pool_kind kind, uint64_t gpa, uint32_t ctx, uint16_t parent,
               uint32_t entry, uint16_t *out, bool *created)
{
	return pool_alloc_linked(p, kind, gpa, ctx, parent, entry, POOL_DEFAULT_LINK_FLAGS, out,
	                         created);
}

int pool_alloc_linked(struct pool *p, enum pool_kind kind, uint64_t gpa, uint32_t ctx,
                      uint16_t parent, uint32_t entry, uint64_t link_flags, uint16_t *out,
                      bool *created)
{
	bool made = false;
	int rc = alloc_check(p, kind, gpa, parent, entry);

	if (parent && ((link_flags & ~POOL_LINK_FLAGS_MASK) || !(link_flags & POOL_PTE_P)))
		rc = POOL_ERR_INVAL;

	p->stats.allocs++;
	if (rc == POOL_OK) {
		if (parent)
			pg(p, parent)->lock++;
		rc = alloc_locked_parent(p, kind, gpa, ctx, parent, entry, link_flags, out, &made);
		if (parent)
			pg(p, parent)->lock--;
	}
	if (rc)
		p->stats.alloc_failures++;
	if (created)
		*created = made;
	return rc;
}

void pool_lock(struct pool *p, uint16_t idx)
{
	if (page_live(p, idx))
		pg(p, idx)->lock++;
}

void pool_unlock(struct pool *p, uint16_t idx)
{
	if (page_live(p, idx) && pg(p, idx)->lock)
		pg(p, idx)->lock--;
}

int pool_root_set(struct pool *p, unsigned slot, uint16_t idx)
{
	if (slot >= POOL_ROOT_SLOTS || (idx && !page_live(p, idx)))
		return POOL_ERR_INVAL;
	pool_lock(p, idx);
	pool_unlock(p, p->roots[slot]);
	p->roots[slot] = idx;
	if (idx)
		pool_touch(p, idx);
	return POOL_OK;
}

uint16_t pool_root_get(const struct pool *p, unsigned slot)
{
	return slot < POOL_ROOT_SLOTS ? p->roots[slot] : 0;
}

uint16_t pool_root_check(const struct pool *p, unsigned slot, enum pool_kind kind)
{
	uint16_t idx = pool_root_get(p, slot);

	if (!page_live(p, idx) || pg(p, idx)->kind != kind || !pg(p, idx)->lock)
		return 0;
	return idx;
}
