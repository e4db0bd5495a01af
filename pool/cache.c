/*
 * The cache: pool pages found by (guest address, kind, context key), hashed
 * on all three (the reference hashes the frame only and compares the kind),
 * plus the age list that picks the least recently used page to evict.
 */
#include "pool/internal.h"

uint32_t cache_bucket(const struct pool *p, uint64_t gpa, unsigned kind, uint32_t ctx)
{
	uint64_t h = (gpa >> 5) * 0x9E3779B97F4A7C15ull;

	h ^= ((uint64_t)kind << 32 | ctx) * 0xC2B2AE3D27D4EB4Full;
	h ^= h >> 29;
	return (uint32_t)(h >> 20) & p->cache_mask;
}

uint16_t cache_find(const struct pool *p, enum pool_kind kind, uint64_t gpa, uint32_t ctx,
                    struct pool_stats *stats)
{
	uint32_t b = cache_bucket(p, gpa, kind, ctx);

	for (uint16_t i = p->cache_heads[b]; i; i = pg(p, i)->hash_next) {
		const struct pool_page *page = pg(p, i);
		if (page->gpa == gpa && page->kind == kind && page->ctx == ctx) {
			if (stats)
				stats->hits++;
			return i;
		}
		if (stats && page_gfn(page) == gpa >> 12)
			stats->kind_mismatches++;
	}
	if (stats)
		stats->misses++;
	return 0;
}

uint16_t pool_lookup(const struct pool *p, enum pool_kind kind, uint64_t gpa, uint32_t ctx)
{
	return cache_find(p, kind, gpa, ctx, NULL);
}

void cache_insert(struct pool *p, uint16_t idx)
{
	struct pool_page *page = pg(p, idx);
	uint32_t b = cache_bucket(p, page->gpa, page->kind, page->ctx);
	uint32_t length = 0;

	page->hash_next = p->cache_heads[b];
	p->cache_heads[b] = idx;
	for (uint16_t i = idx; i; i = pg(p, i)->hash_next)
		length++;
	if (length > p->stats.chain_high)
		p->stats.chain_high = length;
}

void cache_remove(struct pool *p, uint16_t idx)
{
	struct pool_page *page = pg(p, idx);
	uint16_t *link = &p->cache_heads[cache_bucket(p, page->gpa, page->kind, page->ctx)];

	while (*link && *link != idx)
		link = &pg(p, *link)->hash_next;
	if (*link)
		*link = page->hash_next;
	page->hash_next = 0;
}

void age_push(struct pool *p, uint16_t idx)
{
	struct pool_page *page = pg(p, idx);

	page->age_prev = 0;
	page->age_next = p->age_head;
	if (p->age_head)
		pg(p, p->age_head)->age_prev = idx;
	else
		p->age_tail = idx;
	p->age_head = idx;
}

void age_remove(struct pool *p, uint16_t idx)
{
	struct pool_page *page = pg(p, idx);

	if (page->age_prev)
		pg(p, page->age_prev)->age_next = page->age_next;
	else
		p->age_head = page->age_next;
	if (page->age_next)
		pg(p, page->age_next)->age_prev = page->age_prev;
	else
		p->age_tail = page->age_prev;
	page->age_prev = page->age_next = 0;
}

void pool_touch(struct pool *p, uint16_t idx)
{
	if (!page_live(p, idx) || p->age_head == idx)
		return;
	age_remove(p, idx);
	age_push(p, idx);
}
