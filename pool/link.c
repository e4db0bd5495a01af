/*
 * Links: a parent entry pointing at a child pool page, with a user record on
 * the child. A record may have to be freed first by evicting the least
 * recently used unlocked page, which is why links come after pages.
 */
#include "pool/internal.h"

static bool user_available(struct pool *p)
{
	return p->user_free != 0 || p->user_cursor <= p->nusers;
}

/* Make sure user_add() will find a record, evicting unlocked pages if needed.
 * The caller locks the pages it must keep. */
int user_reserve(struct pool *p)
{
	while (!user_available(p)) {
		if (!page_evict_one(p)) {
			p->stats.user_failures++;
			return POOL_ERR_NO_USER;
		}
		p->stats.user_evictions++;
	}
	return POOL_OK;
}

int pool_link(struct pool *p, uint16_t parent, uint32_t entry, uint16_t child, uint64_t flags)
{
	if (!entry_ok(p, parent, entry) || !page_live(p, child) ||
	    pool_kind_level(pg(p, parent)->kind) != pool_kind_level(pg(p, child)->kind) + 1 ||
	    (flags & ~POOL_LINK_FLAGS_MASK) || !(flags & POOL_PTE_P))
		return POOL_ERR_INVAL;
	uint64_t link = pool_link_make(pg(p, child)->hpa, flags);
	uint64_t *e = &page_entries(p, parent)[entry];

	if (pool_pte_present(*e) && pool_pte_addr(*e) == pg(p, child)->hpa) {
		*e = link;
		return POOL_OK;
	}
	/* Eviction while reserving a user record must spare both ends. */
	pg(p, parent)->lock++;
	pg(p, child)->lock++;
	int rc = user_reserve(p);
	pg(p, parent)->lock--;
	pg(p, child)->lock--;
	if (rc)
		return rc;
	pool_entry_clear(p, parent, entry);
	user_add(p, child, parent, entry);
	*e = link;
	entry_gained(p, parent);
	return POOL_OK;
}
