/*
 * References from shadow leaf entries to guest frames, kept in the frame's
 * tracking word: none, exactly one (tag 1: the page; the entry is the only one
 * of that page mapping the frame), an extent chain (tag 3), or overflow
 * (tag 3, index 0x3FFF). Overflowed references are counted per pool page
 * (ovf_refs) and such pages sit on the overflow list, which is all a slow path
 * has to scan (pool/flush.c).
 */
#include "pool/internal.h"

int page_find_leaf(const struct pool *p, uint16_t idx, uint64_t hpa)
{
	const uint64_t *e = page_entries(p, idx);

	for (unsigned i = 0; i < POOL_ENTRIES; i++)
		if (pool_pte_present(e[i]) && pool_pte_addr(e[i]) == hpa)
			return (int)i;
	return -1;
}

void ovf_inc(struct pool *p, uint16_t idx)
{
	struct pool_page *page = pg(p, idx);

	if (page->ovf_refs++ == 0) {
		page->flags |= POOL_PAGE_F_OVERFLOW;
		page->ovf_prev = 0;
		page->ovf_next = p->ovf_head;
		if (p->ovf_head)
			pg(p, p->ovf_head)->ovf_prev = idx;
		p->ovf_head = idx;
	}
}

void ovf_dec(struct pool *p, uint16_t idx)
{
	struct pool_page *page = pg(p, idx);

	if (--page->ovf_refs != 0)
		return;
	page->flags &= (uint16_t)~POOL_PAGE_F_OVERFLOW;
	if (page->ovf_prev)
		pg(p, page->ovf_prev)->ovf_next = page->ovf_next;
	else
		p->ovf_head = page->ovf_next;
	if (page->ovf_next)
		pg(p, page->ovf_next)->ovf_prev = page->ovf_prev;
	page->ovf_prev = page->ovf_next = 0;
}

/* Every reference of the chain becomes an overflow reference. */
static uint64_t to_overflow(struct pool *p, uint64_t t, uint16_t idx)
{
	if (track_tag(t) == TRACK_TAG_EXTENTS) {
		uint16_t x = (uint16_t)track_idx(t);
		while (x) {
			struct pool_extent *ext = &p->extents[x];
			uint16_t next = ext->next;
			for (unsigned i = 0; i < POOL_EXTENT_REFS; i++)
				if (ext->page[i])
					ovf_inc(p, ext->page[i]);
			extent_free(p, x);
			x = next;
		}
	} else if (track_tag(t) == TRACK_TAG_SINGLE) {
		ovf_inc(p, (uint16_t)track_idx(t));
	}
	ovf_inc(p, idx);
	p->stats.overflows++;
	return track_set_refs(t, TRACK_TAG_EXTENTS, TRACK_IDX_OVERFLOW);
}

/* Second reference: the single one and the new one go into a fresh extent. */
static uint64_t single_to_chain(struct pool *p, uint64_t t, uint16_t idx, uint32_t entry)
{
	uint16_t old = (uint16_t)track_idx(t);
	int old_entry = page_find_leaf(p, old, track_hpa(t));
	uint16_t x = extent_alloc(p);

	if (!x) {
		p->stats.extent_failures++;
		return to_overflow(p, t, idx);
	}
	p->extents[x].page[0] = old;
	p->extents[x].entry[0] = (uint16_t)old_entry;
	p->extents[x].page[1] = idx;
	p->extents[x].entry[1] = (uint16_t)entry;
	return track_set_refs(t, TRACK_TAG_EXTENTS, x);
}

static uint64_t chain_add(struct pool *p, uint64_t t, uint16_t idx, uint32_t entry)
{
	uint16_t head = (uint16_t)track_idx(t);
	unsigned length = 0;

	for (uint16_t x = head; x; x = p->extents[x].next, length++) {
		struct pool_extent *ext = &p->extents[x];
		for (unsigned i = 0; i < POOL_EXTENT_REFS; i++) {
			if (!ext->page[i]) {
				ext->page[i] = idx;
				ext->entry[i] = (uint16_t)entry;
				return t;
			}
		}
	}
	if (length >= POOL_EXTENT_CHAIN_MAX) {
		p->stats.chain_full++;
		return to_overflow(p, t, idx);
	}
	uint16_t x = extent_alloc(p);
	if (!x) {
		p->stats.extent_failures++;
		return to_overflow(p, t, idx);
	}
	p->extents[x].next = head;
	p->extents[x].page[0] = idx;
	p->extents[x].entry[0] = (uint16_t)entry;
	return track_set_refs(t, TRACK_TAG_EXTENTS, x);
}

/* Record that (idx, entry) now maps gfn. Called before the entry is written. */
void ref_add(struct pool *p, uint64_t gfn, uint16_t idx, uint32_t entry)
{
	uint64_t t = trk_get(p, gfn);

	if (track_tag(t) == TRACK_TAG_NONE)
		t = track_set_refs(t, TRACK_TAG_SINGLE, idx);
	else if (track_tag(t) == TRACK_TAG_SINGLE)
		t = single_to_chain(p, t, idx, entry);
	else if (track_overflowed(t))
		ovf_inc(p, idx);
	else
		t = chain_add(p, t, idx, entry);
	trk_put(p, gfn, t);
}

/* A chain left with one reference collapses back to tag 1, with none to tag 0. */
static uint64_t chain_compact(struct pool *p, uint64_t t)
{
	uint16_t head = (uint16_t)track_idx(t);
	uint16_t last_page = 0;
	unsigned refs = 0;

	for (uint16_t x = head; x && refs < 2; x = p->extents[x].next)
		for (unsigned i = 0; i < POOL_EXTENT_REFS; i++)
			if (p->extents[x].page[i]) {
				refs++;
				last_page = p->extents[x].page[i];
			}
	if (refs >= 2)
		return t;
	while (head) {
		uint16_t next = p->extents[head].next;
		extent_free(p, head);
		head = next;
	}
	return refs ? track_set_refs(t, TRACK_TAG_SINGLE, last_page)
	            : track_set_refs(t, TRACK_TAG_NONE, 0);
}

static uint64_t chain_drop(struct pool *p, uint64_t t, uint16_t idx, uint32_t entry)
{
	uint16_t *link = NULL;
	uint16_t head = (uint16_t)track_idx(t);

	for (uint16_t x = head; x; x = p->extents[x].next) {
		struct pool_extent *ext = &p->extents[x];
		for (unsigned i = 0; i < POOL_EXTENT_REFS; i++) {
			if (ext->page[i] != idx || ext->entry[i] != entry)
				continue;
			ext->page[i] = 0;
			ext->entry[i] = 0;
			if (!ext->page[0] && !ext->page[1] && !ext->page[2]) {
				/* unlink the empty extent */
				if (link)
					*link = ext->next;
				else
					t = track_set_refs(t, TRACK_TAG_EXTENTS, ext->next);
				extent_free(p, x);
			}
			return chain_compact(p, t);
		}
		link = &ext->next;
	}
	return t;
}

/* (idx, entry) no longer maps gfn. Called after the entry was cleared. */
void ref_drop(struct pool *p, uint64_t gfn, uint16_t idx, uint32_t entry)
{
	uint64_t t = trk_get(p, gfn);

	if (track_tag(t) == TRACK_TAG_SINGLE)
		t = track_set_refs(t, TRACK_TAG_NONE, 0);
	else if (track_overflowed(t))
		ovf_dec(p, idx);
	else if (track_tag(t) == TRACK_TAG_EXTENTS)
		t = chain_drop(p, t, idx, entry);
	trk_put(p, gfn, t);
}

/*
 * The slow path for an overflowed frame: visit every present leaf mapping gfn
 * among the pages on the overflow list (pool/flush.c explains why that list is
 * all there is to scan). visit may clear the entry and so take the page off
 * the list.
 */
unsigned ovf_scan(struct pool *p, uint64_t gfn,
                  void (*visit)(struct pool *p, uint16_t idx, uint32_t entry, void *arg), void *arg)
{
	uint64_t hpa = track_hpa(trk_get(p, gfn));
	unsigned hits = 0, pages = 0;

	p->stats.slow_scans++;
	for (uint16_t idx = p->ovf_head, next; idx; idx = next) {
		uint64_t *e = page_entries(p, idx);
		next = pg(p, idx)->ovf_next; /* idx may leave the list */
		pages++;
		for (uint32_t i = 0; i < POOL_ENTRIES; i++) {
			if (!pool_pte_present(e[i]) || pool_pte_addr(e[i]) != hpa)
				continue;
			hits++;
			visit(p, idx, i, arg);
		}
	}
	p->stats.slow_pages += pages;
	p->stats.slow_pages_last = pages;
	return hits;
}
