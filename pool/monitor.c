/*
 * Monitoring guest page tables. Every shadow of a monitored kind sits on the
 * monitor hash (by guest frame), and the frame's tracking word carries the
 * MON flag while at least one does. Leaves mapping a monitored frame are kept
 * read-only so that the guest's writes to its own page tables trap and reach
 * pool_guest_write() (pool/write.c).
 */
#include "pool/internal.h"

uint32_t mon_bucket(const struct pool *p, uint64_t gfn)
{
	return (uint32_t)((gfn * 0x9E3779B97F4A7C15ull) >> 24) & p->mon_mask;
}

uint16_t pool_monitor_first(const struct pool *p, uint64_t gfn)
{
	for (uint16_t i = p->mon_heads[mon_bucket(p, gfn)]; i; i = pg(p, i)->mon_next)
		if (page_gfn(pg(p, i)) == gfn)
			return i;
	return 0;
}

uint16_t pool_monitor_next(const struct pool *p, uint16_t prev)
{
	if (!page_live(p, prev) || !(pg(p, prev)->flags & POOL_PAGE_F_MONITORED))
		return 0;
	uint64_t gfn = page_gfn(pg(p, prev));
	for (uint16_t i = pg(p, prev)->mon_next; i; i = pg(p, i)->mon_next)
		if (page_gfn(pg(p, i)) == gfn)
			return i;
	return 0;
}

static void leaf_write_protect(struct pool *p, uint16_t idx, int entry)
{
	uint64_t *e = &page_entries(p, idx)[entry];

	if (entry >= 0 && (*e & POOL_PTE_RW)) {
		*e &= ~POOL_PTE_RW;
		p->stats.write_protects++;
	}
}

static void write_protect_one(struct pool *p, uint16_t idx, uint32_t entry, void *arg)
{
	(void)arg;
	leaf_write_protect(p, idx, (int)entry);
}

void gfn_write_protect(struct pool *p, uint64_t gfn)
{
	uint64_t t = trk_get(p, gfn);

	if (track_tag(t) == TRACK_TAG_SINGLE) {
		uint16_t idx = (uint16_t)track_idx(t);
		leaf_write_protect(p, idx, page_find_leaf(p, idx, track_hpa(t)));
	} else if (track_overflowed(t)) {
		ovf_scan(p, gfn, write_protect_one, 0);
	} else if (track_tag(t) == TRACK_TAG_EXTENTS) {
		for (uint16_t x = (uint16_t)track_idx(t); x; x = p->extents[x].next)
			for (unsigned i = 0; i < POOL_EXTENT_REFS; i++)
				if (p->extents[x].page[i])
					leaf_write_protect(p, p->extents[x].page[i],
					                   p->extents[x].entry[i]);
	}
}

void monitor_start(struct pool *p, uint16_t idx)
{
	struct pool_page *page = pg(p, idx);
	uint64_t gfn = page_gfn(page);
	uint32_t b = mon_bucket(p, gfn);
	uint64_t t = trk_get(p, gfn);

	page->mon_next = p->mon_heads[b];
	p->mon_heads[b] = idx;
	page->flags |= POOL_PAGE_F_MONITORED;
	if (!track_monitored(t)) {
		trk_put(p, gfn, track_set_monitored(t, 1));
		gfn_write_protect(p, gfn);
	}
}

void monitor_stop(struct pool *p, uint16_t idx)
{
	struct pool_page *page = pg(p, idx);
	uint64_t gfn = page_gfn(page);
	uint16_t *link = &p->mon_heads[mon_bucket(p, gfn)];

	while (*link && *link != idx)
		link = &pg(p, *link)->mon_next;
	if (*link)
		*link = page->mon_next;
	page->mon_next = 0;
	page->flags &= (uint16_t)~POOL_PAGE_F_MONITORED;
	if (!pool_monitor_first(p, gfn))
		trk_put(p, gfn, track_set_monitored(trk_get(p, gfn), 0));
}
