/*
 * The audit: every invariant of the pool, checked from scratch, callable at
 * any moment. Returns the first violation in words. Indexes read from the
 * structures are range-checked before use, so corruption is reported rather
 * than followed. Cost: O(pages x 512 + guest frames + chains); for tests.
 */
#include "pool/internal.h"

struct audit {
	const struct pool *p;
	struct fmt_buf out;
};

#define FAIL(a, ...)                                \
	do {                                        \
		fmt_append(&(a)->out, __VA_ARGS__); \
		return false;                       \
	} while (0)

static bool user_idx_ok(const struct pool *p, uint32_t u)
{
	return u >= 1 && u < p->user_cursor;
}

static bool extent_idx_ok(const struct pool *p, uint32_t x)
{
	return x >= 1 && x < p->extent_cursor;
}

/* Does the extent chain of t hold (idx, entry)? Count of occurrences. */
static unsigned chain_count(const struct pool *p, uint64_t t, uint16_t idx, uint32_t entry)
{
	unsigned n = 0, length = 0;

	for (uint32_t x = track_idx(t); x && extent_idx_ok(p, x) && length <= POOL_EXTENT_CHAIN_MAX;
	     x = p->extents[x].next, length++)
		for (unsigned i = 0; i < POOL_EXTENT_REFS; i++)
			if (p->extents[x].page[i] == idx && p->extents[x].entry[i] == entry)
				n++;
	return n;
}

static bool is_open(const struct pool *p, uint16_t idx, uint32_t entry)
{
	for (uint32_t k = 0; k < p->nopen && k < POOL_OPEN_MAX; k++)
		if (p->open[k].page == idx && p->open[k].entry == entry)
			return true;
	return false;
}

static bool audit_leaf(struct audit *a, uint16_t idx, uint32_t i, uint64_t e, unsigned *ovf)
{
	const struct pool *p = a->p;
	uint64_t gfn = pool_hpa_gfn(p, pool_pte_addr(e));

	if (gfn == POOL_NO_GFN)
		FAIL(a, "page %u entry %u maps host address 0x%lx outside guest RAM", idx, i,
		     (unsigned long)pool_pte_addr(e));
	uint64_t t = trk_peek(p, gfn);
	if (track_monitored(t) && (e & POOL_PTE_RW) && !is_open(p, idx, i))
		FAIL(a, "page %u entry %u maps monitored gfn 0x%lx writable", idx, i,
		     (unsigned long)gfn);
	if (track_tag(t) == TRACK_TAG_NONE)
		FAIL(a, "page %u entry %u maps gfn 0x%lx but its tracking entry has no reference",
		     idx, i, (unsigned long)gfn);
	if (track_tag(t) == TRACK_TAG_SINGLE && track_idx(t) != idx)
		FAIL(a, "page %u entry %u maps gfn 0x%lx but tracking names page %u", idx, i,
		     (unsigned long)gfn, track_idx(t));
	if (track_overflowed(t))
		(*ovf)++;
	else if (track_tag(t) == TRACK_TAG_EXTENTS && chain_count(p, t, idx, i) != 1)
		FAIL(a, "page %u entry %u maps gfn 0x%lx: in its extent chain %u times", idx, i,
		     (unsigned long)gfn, chain_count(p, t, idx, i));
	else if (track_tag(t) == 2)
		FAIL(a, "gfn 0x%lx tracking tag 2 is not defined", (unsigned long)gfn);
	return true;
}

static bool audit_link(struct audit *a, uint16_t idx, uint32_t i, uint64_t e)
{
	const struct pool *p = a->p;
	uint16_t child = pool_entry_child(p, e);
	unsigned n = 0, walked = 0;

	if (e & POOL_PTE_PS)
		FAIL(a, "page %u entry %u: link with PS set", idx, i);
	if (!page_live(p, child))
		FAIL(a, "page %u entry %u links to page %u which is not in use", idx, i, child);
	if (pool_pte_addr(e) != pg(p, child)->hpa)
		FAIL(a, "page %u entry %u: address is not that of child page %u", idx, i, child);
	if (pool_kind_level(pg(p, child)->kind) + 1 != pool_kind_level(pg(p, idx)->kind))
		FAIL(a, "page %u entry %u: child %u at the wrong level", idx, i, child);
	for (uint32_t u = pg(p, child)->users; u && user_idx_ok(p, u) && walked <= p->nusers;
	     u = p->users[u].next, walked++)
		if (p->users[u].parent == idx && p->users[u].entry == i)
			n++;
	if (n != 1)
		FAIL(a, "page %u entry %u links to page %u which has %u user records for it", idx,
		     i, child, n);
	return true;
}

static bool audit_users_of(struct audit *a, uint16_t idx, uint32_t *total)
{
	const struct pool *p = a->p;
	uint32_t walked = 0;

	for (uint32_t u = pg(p, idx)->users; u; u = p->users[u].next) {
		if (!user_idx_ok(p, u))
			FAIL(a, "page %u: user record index %u out of range", idx, u);
		if (++walked > p->users_used)
			FAIL(a, "page %u: user list longer than the records in use (loop?)", idx);
		const struct pool_user *r = &p->users[u];
		if (!r->used)
			FAIL(a, "page %u: user record %u is marked free", idx, u);
		if (!page_live(p, r->parent) || r->entry >= POOL_ENTRIES)
			FAIL(a, "page %u: user record %u names parent %u entry %u, not in use", idx,
			     u, r->parent, r->entry);
		uint64_t e = page_entries(p, r->parent)[r->entry];
		if (!pool_pte_present(e) || pool_entry_child(p, e) != idx ||
		    pool_kind_level(pg(p, r->parent)->kind) == 1)
			FAIL(a, "page %u: user record %u: parent %u entry %u does not point here",
			     idx, u, r->parent, r->entry);
	}
	*total += walked;
	return true;
}

static bool audit_live_page(struct audit *a, uint16_t idx, uint32_t *users)
{
	const struct pool *p = a->p;
	const struct pool_page *page = pg(p, idx);
	const uint64_t *e = page_entries(p, idx);
	unsigned present = 0, ovf = 0;
	bool leaf = pool_kind_level(page->kind) == 1;

	if (page->kind >= POOL_KIND_COUNT)
		FAIL(a, "page %u: bad kind %u", idx, page->kind);
	for (uint32_t i = 0; i < POOL_ENTRIES; i++) {
		if (!pool_pte_present(e[i]))
			continue;
		present++;
		if (leaf ? !audit_leaf(a, idx, i, e[i], &ovf) : !audit_link(a, idx, i, e[i]))
			return false;
	}
	if (present != page->present)
		FAIL(a, "page %u: %u present entries, count says %u", idx, present, page->present);
	if (ovf != page->ovf_refs)
		FAIL(a, "page %u: %u overflowed references, count says %u", idx, ovf,
		     page->ovf_refs);
	if (!!(page->flags & POOL_PAGE_F_OVERFLOW) != (ovf != 0))
		FAIL(a, "page %u: overflow-list flag disagrees with its count", idx);
	if (!!(page->flags & POOL_PAGE_F_MONITORED) != pool_kind_monitored(page->kind))
		FAIL(a, "page %u: monitored flag disagrees with kind %s", idx,
		     pool_kind_name(page->kind));
	if (page->flags & POOL_PAGE_F_MONITORED && !track_monitored(trk_peek(p, page_gfn(page))))
		FAIL(a, "page %u: monitored but gfn 0x%lx has no MON flag", idx,
		     (unsigned long)page_gfn(page));
	return audit_users_of(a, idx, users);
}

static bool audit_pages(struct audit *a)
{
	const struct pool *p = a->p;
	uint32_t live = 0, users = 0, free = 0;

	if (p->grown > p->cfg.max_pages || p->cursor < 1 || p->cursor > p->grown + 1)
		FAIL(a, "pages: grown %u cursor %u max %u inconsistent", p->grown, p->cursor,
		     p->cfg.max_pages);
	for (uint16_t idx = 1; idx < p->cursor; idx++) {
		if (pg(p, idx)->kind == POOL_KIND_NONE) {
			if (pg(p, idx)->lock || pg(p, idx)->present || pg(p, idx)->users)
				FAIL(a, "free page %u is locked, has entries or users", idx);
			continue;
		}
		live++;
		if (!audit_live_page(a, idx, &users))
			return false;
	}
	if (live != p->used)
		FAIL(a, "pages: %u in use, count says %u", live, p->used);
	if (users != p->users_used)
		FAIL(a, "users: %u reachable, count says %u", users, p->users_used);
	for (uint32_t i = p->free_head; i; i = pg(p, i)->hash_next) {
		if (i >= p->cursor || pg(p, i)->kind != POOL_KIND_NONE)
			FAIL(a, "page free list holds page %u which is not free", i);
		if (++free > p->cursor)
			FAIL(a, "page free list loops");
	}
	if (free + live != p->cursor - 1)
		FAIL(a, "pages: %u free + %u in use != %u below the cursor", free, live,
		     p->cursor - 1);
	return true;
}

static bool audit_cache(struct audit *a)
{
	const struct pool *p = a->p;
	uint32_t n = 0;

	for (uint32_t b = 0; b <= p->cache_mask; b++) {
		for (uint16_t i = p->cache_heads[b]; i; i = pg(p, i)->hash_next) {
			if (!page_live(p, i))
				FAIL(a, "cache bucket %u holds page %u which is not in use", b, i);
			const struct pool_page *page = pg(p, i);
			if (cache_bucket(p, page->gpa, page->kind, page->ctx) != b)
				FAIL(a, "cache: page %u in bucket %u, hashes elsewhere", i, b);
			if (++n > p->used)
				FAIL(a, "cache chains hold more pages than are in use (loop?)");
		}
	}
	if (n != p->used)
		FAIL(a, "cache chains hold %u pages, %u in use", n, p->used);
	return true;
}

static bool audit_age(struct audit *a)
{
	const struct pool *p = a->p;
	uint32_t n = 0;
	uint16_t prev = 0;

	for (uint16_t i = p->age_head; i; prev = i, i = pg(p, i)->age_next) {
		if (!page_live(p, i))
			FAIL(a, "age list holds page %u which is not in use", i);
		if (pg(p, i)->age_prev != prev)
			FAIL(a, "age list: page %u back link %u, expected %u", i,
			     pg(p, i)->age_prev, prev);
		if (++n > p->used)
			FAIL(a, "age list longer than the pages in use (loop?)");
	}
	if (n != p->used || p->age_tail != prev)
		FAIL(a, "age list holds %u pages (tail %u), %u in use (tail should be %u)", n,
		     p->age_tail, p->used, prev);
	return true;
}

static bool audit_monitor(struct audit *a)
{
	const struct pool *p = a->p;
	uint32_t n = 0, want = 0;

	for (uint32_t b = 0; b <= p->mon_mask; b++) {
		for (uint16_t i = p->mon_heads[b]; i; i = pg(p, i)->mon_next) {
			if (!page_live(p, i) || !(pg(p, i)->flags & POOL_PAGE_F_MONITORED))
				FAIL(a, "monitor bucket %u holds page %u, not a monitored page", b,
				     i);
			if (mon_bucket(p, page_gfn(pg(p, i))) != b)
				FAIL(a, "monitor: page %u in bucket %u, hashes elsewhere", i, b);
			if (++n > p->used)
				FAIL(a, "monitor chains loop");
		}
	}
	for (uint16_t i = 1; i < p->cursor; i++)
		if (page_live(p, i) && (pg(p, i)->flags & POOL_PAGE_F_MONITORED))
			want++;
	if (n != want)
		FAIL(a, "monitor chains hold %u pages, %u are monitored", n, want);
	return true;
}

static bool audit_overflow_list(struct audit *a)
{
	const struct pool *p = a->p;
	uint32_t n = 0, want = 0;
	uint16_t prev = 0;

	for (uint16_t i = p->ovf_head; i; prev = i, i = pg(p, i)->ovf_next) {
		if (!page_live(p, i) || !(pg(p, i)->flags & POOL_PAGE_F_OVERFLOW))
			FAIL(a, "overflow list holds page %u without the overflow flag", i);
		if (pg(p, i)->ovf_prev != prev)
			FAIL(a, "overflow list: page %u back link wrong", i);
		if (++n > p->used)
			FAIL(a, "overflow list loops");
	}
	for (uint16_t i = 1; i < p->cursor; i++)
		if (page_live(p, i) && (pg(p, i)->flags & POOL_PAGE_F_OVERFLOW))
			want++;
	if (n != want)
		FAIL(a, "overflow list holds %u pages, %u are flagged", n, want);
	return true;
}

static bool audit_chain(struct audit *a, uint64_t gfn, uint64_t t, uint32_t *extents)
{
	const struct pool *p = a->p;
	unsigned length = 0, refs = 0;

	for (uint32_t x = track_idx(t); x; x = p->extents[x].next) {
		if (!extent_idx_ok(p, x) || !p->extents[x].used)
			FAIL(a, "gfn 0x%lx: extent %u out of range or free", (unsigned long)gfn, x);
		if (++length > POOL_EXTENT_CHAIN_MAX)
			FAIL(a, "gfn 0x%lx: extent chain longer than %u", (unsigned long)gfn,
			     POOL_EXTENT_CHAIN_MAX);
		unsigned here = 0;
		for (unsigned i = 0; i < POOL_EXTENT_REFS; i++) {
			uint16_t idx = p->extents[x].page[i];
			uint16_t entry = p->extents[x].entry[i];
			if (!idx)
				continue;
			here++;
			if (!page_live(p, idx) || pool_kind_level(pg(p, idx)->kind) != 1 ||
			    entry >= POOL_ENTRIES)
				FAIL(a,
				     "gfn 0x%lx: extent %u names page %u, not a leaf page in use",
				     (unsigned long)gfn, x, idx);
			uint64_t e = page_entries(p, idx)[entry];
			if (!pool_pte_present(e) || pool_pte_addr(e) != track_hpa(t))
				FAIL(a,
				     "gfn 0x%lx: extent %u names page %u entry %u, which does "
				     "not map it",
				     (unsigned long)gfn, x, idx, entry);
		}
		if (!here)
			FAIL(a, "gfn 0x%lx: empty extent %u in the chain", (unsigned long)gfn, x);
		refs += here;
	}
	if (refs < 2)
		FAIL(a, "gfn 0x%lx: extent chain with %u reference(s)", (unsigned long)gfn, refs);
	*extents += length;
	return true;
}

static bool audit_tracking(struct audit *a)
{
	const struct pool *p = a->p;
	uint32_t extents = 0;

	for (uint64_t gfn = 0; gfn < p->env.guest_frames; gfn++) {
		uint64_t t = trk_peek(p, gfn);
		if (pool_hpa_gfn(p, track_hpa(t)) != gfn)
			FAIL(a, "gfn 0x%lx: host address 0x%lx changed", (unsigned long)gfn,
			     (unsigned long)track_hpa(t));
		if (track_monitored(t) != (pool_monitor_first(p, gfn) != 0))
			FAIL(a, "gfn 0x%lx: MON flag %u but monitored shadows disagree",
			     (unsigned long)gfn, (unsigned)track_monitored(t));
		if (track_tag(t) == TRACK_TAG_NONE && track_idx(t))
			FAIL(a, "gfn 0x%lx: no reference but index %u", (unsigned long)gfn,
			     track_idx(t));
		if (track_tag(t) == TRACK_TAG_SINGLE) {
			uint16_t idx = (uint16_t)track_idx(t);
			unsigned n = 0;
			if (!page_live(p, idx) || pool_kind_level(pg(p, idx)->kind) != 1)
				FAIL(a, "gfn 0x%lx: tracking names page %u, not a leaf page in use",
				     (unsigned long)gfn, idx);
			const uint64_t *e = page_entries(p, idx);
			for (unsigned i = 0; i < POOL_ENTRIES; i++)
				n += pool_pte_present(e[i]) && pool_pte_addr(e[i]) == track_hpa(t);
			if (n != 1)
				FAIL(a,
				     "gfn 0x%lx: one reference from page %u, which maps it %u "
				     "times",
				     (unsigned long)gfn, idx, n);
		}
		if (track_tag(t) == TRACK_TAG_EXTENTS && !track_overflowed(t) &&
		    !audit_chain(a, gfn, t, &extents))
			return false;
	}
	if (extents != p->extents_used)
		FAIL(a, "extents: %u in chains, count says %u", extents, p->extents_used);
	return true;
}

static bool audit_free_objects(struct audit *a)
{
	const struct pool *p = a->p;
	uint32_t n = 0, marked = 0;

	for (uint32_t u = p->user_free; u; u = p->users[u].next) {
		if (!user_idx_ok(p, u) || p->users[u].used)
			FAIL(a, "user free list holds record %u which is not free", u);
		if (++n > p->nusers)
			FAIL(a, "user free list loops");
	}
	for (uint32_t u = 1; u < p->user_cursor; u++)
		marked += p->users[u].used;
	if (marked != p->users_used || n + marked != p->user_cursor - 1)
		FAIL(a, "users: %u marked used, %u free listed, count %u, cursor %u", marked, n,
		     p->users_used, p->user_cursor);
	n = marked = 0;
	for (uint32_t x = p->extent_free; x; x = p->extents[x].next) {
		if (!extent_idx_ok(p, x) || p->extents[x].used)
			FAIL(a, "extent free list holds extent %u which is not free", x);
		if (++n > p->nextents)
			FAIL(a, "extent free list loops");
	}
	for (uint32_t x = 1; x < p->extent_cursor; x++)
		marked += p->extents[x].used;
	if (marked != p->extents_used || n + marked != p->extent_cursor - 1)
		FAIL(a, "extents: %u marked used, %u free listed, count %u, cursor %u", marked, n,
		     p->extents_used, p->extent_cursor);
	return true;
}

static bool audit_roots(struct audit *a)
{
	for (unsigned s = 0; s < POOL_ROOT_SLOTS; s++) {
		uint16_t idx = a->p->roots[s];
		if (idx && (!page_live(a->p, idx) || !pg(a->p, idx)->lock))
			FAIL(a, "root slot %u holds page %u, not a locked page in use", s, idx);
	}
	return true;
}

/* Every opened entry is a present entry of a locked page, opened once. */
static bool audit_open(struct audit *a)
{
	const struct pool *p = a->p;

	if (p->nopen > POOL_OPEN_MAX)
		FAIL(a, "%u entries open, at most %u", p->nopen, POOL_OPEN_MAX);
	for (uint32_t k = 0; k < p->nopen; k++) {
		const struct pool_open *o = &p->open[k];
		if (!entry_ok(p, o->page, o->entry) ||
		    !pool_pte_present(page_entries(p, o->page)[o->entry]))
			FAIL(a, "open record %u names page %u entry %u, not a present entry", k,
			     o->page, o->entry);
		if (!pg(p, o->page)->lock)
			FAIL(a, "open record %u: page %u is not locked", k, o->page);
		for (uint32_t j = 0; j < k; j++)
			if (p->open[j].page == o->page && p->open[j].entry == o->entry)
				FAIL(a, "page %u entry %u is open twice", o->page, o->entry);
	}
	return true;
}

int pool_audit(const struct pool *p, char *buf, size_t size)
{
	struct audit a = {p, {buf, size, 0}};

	if (size)
		buf[0] = '\0';
	/* Lists and counts first: the deeper checks follow their links. */
	if (audit_free_objects(&a) && audit_pages(&a) && audit_cache(&a) && audit_age(&a) &&
	    audit_monitor(&a) && audit_overflow_list(&a) && audit_tracking(&a) && audit_roots(&a) &&
	    audit_open(&a))
		return 0;
	return -1;
}
