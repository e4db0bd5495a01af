/*
 * User records: who points at a pool page ({parent page, entry}). One record
 * per present link, on the child's list. Finding a free one when none is
 * left (by eviction) is pool/link.c's business.
 */
#include "pool/internal.h"

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
