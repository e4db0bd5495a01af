/*
 * Pool frames by host address: an open-addressing table from a pool page's
 * frame to its index, filled as the pool grows (frames stay until
 * pool_destroy), so that a link entry needs to hold only the child's host
 * address.
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
