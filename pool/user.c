/*
 * User records: who points at a pool page ({parent page, entry}). One record
 * per present link, on the child's list. When none is free, pages are evicted
 * (least recently used first) until one is.
 */
#include "pool/internal.h"

bool user_available(struct pool *p)
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

void user_add(struct pool *p, uint16_t child, uint16_t parent, uint32_t entry)
{
	uint32_t u = p->user_free;

	if (u)
		p->user_free = p->users[u].next;
	else
		u = p->user_cursor++;
	p->users[u].parent = parent;
	p->users[u].entry = (uint16_t)entry;
	p->users[u].used = 1;
	p->users[u].next = pg(p, child)->users;
	pg(p, child)->users = (uint16_t)u;
	if (++p->users_used > p->stats.users_high)
		p->stats.users_high = p->users_used;
}

void user_remove(struct pool *p, uint16_t child, uint16_t parent, uint32_t entry)
{
	uint16_t *link = &pg(p, child)->users;

	while (*link) {
		struct pool_user *u = &p->users[*link];
		if (u->parent == parent && u->entry == entry) {
			uint16_t x = *link;
			*link = u->next;
			u->used = 0;
			u->parent = 0;
			u->entry = 0;
			u->next = (uint16_t)p->user_free;
			p->user_free = x;
			p->users_used--;
			return;
		}
		link = &u->next;
	}
}
