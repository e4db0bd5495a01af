/*
 * Read access to pool pages for the shadow layer. Out-of-range or free
 * indexes give neutral values (NULL, 0, POOL_KIND_NONE), never a fault.
 */
#include "pool/internal.h"

bool pool_page_in_use(const struct pool *p, uint16_t idx)
{
	return page_live(p, idx);
}

uint64_t *pool_page_entries(const struct pool *p, uint16_t idx)
{
	return page_live(p, idx) ? page_entries(p, idx) : NULL;
}

uint64_t pool_page_hpa(const struct pool *p, uint16_t idx)
{
	return page_live(p, idx) ? pg(p, idx)->hpa : 0;
}

enum pool_kind pool_page_kind(const struct pool *p, uint16_t idx)
{
	return page_live(p, idx) ? (enum pool_kind)pg(p, idx)->kind : POOL_KIND_NONE;
}

uint64_t pool_page_gpa(const struct pool *p, uint16_t idx)
{
	return page_live(p, idx) ? pg(p, idx)->gpa : 0;
}

uint64_t pool_page_gfn(const struct pool *p, uint16_t idx)
{
	return page_live(p, idx) ? page_gfn(pg(p, idx)) : 0;
}

uint32_t pool_page_ctx(const struct pool *p, uint16_t idx)
{
	return page_live(p, idx) ? pg(p, idx)->ctx : 0;
}

unsigned pool_page_present(const struct pool *p, uint16_t idx)
{
	return page_live(p, idx) ? pg(p, idx)->present : 0;
}

uint32_t pool_generation(const struct pool *p)
{
	return p->generation;
}

const struct pool_stats *pool_get_stats(const struct pool *p)
{
	return &p->stats;
}
