/*
 * Cross-reference extents: {next, 3 x (page, entry)} records for guest frames
 * mapped by several shadow entries. Free ones sit on a free list below the
 * cursor or beyond the cursor (pool_flush_all frees them all by resetting it).
 */
#include "pool/internal.h"

uint16_t extent_alloc(struct pool *p)
{
	uint32_t x = p->extent_free;

	if (x)
		p->extent_free = p->extents[x].next;
	else if (p->extent_cursor <= p->nextents)
		x = p->extent_cursor++;
	else
		return 0;
	__builtin_memset(&p->extents[x], 0, sizeof(p->extents[x]));
	p->extents[x].used = 1;
	if (++p->extents_used > p->stats.extents_high)
		p->stats.extents_high = p->extents_used;
	return (uint16_t)x;
}

void extent_free(struct pool *p, uint16_t x)
{
	__builtin_memset(&p->extents[x], 0, sizeof(p->extents[x]));
	p->extents[x].next = (uint16_t)p->extent_free;
	p->extent_free = x;
	p->extents_used--;
}
