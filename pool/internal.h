/*
 * Functions shared between the pool's own files. Not for users of the pool:
 * they keep no invariant on their own, the public calls in pool.h do.
 */
#ifndef POOL_INTERNAL_H
#define POOL_INTERNAL_H

#include "pool/pool.h"
#include "pool/track.h"

#define POOL_NO_GFN UINT64_MAX

static inline struct pool_page *pg(const struct pool *p, uint32_t idx)
{
	return &p->pages[idx];
}

/* idx names a page in use (below the generation cursor, kind set). */
static inline bool page_live(const struct pool *p, uint32_t idx)
{
	return idx != 0 && idx < p->cursor && p->pages[idx].kind != POOL_KIND_NONE;
}

/* (idx, entry) names an entry of a page in use. */
static inline bool entry_ok(const struct pool *p, uint16_t idx, uint32_t entry)
{
	return page_live(p, idx) && entry < POOL_ENTRIES;
}

static inline uint64_t *page_entries(const struct pool *p, uint32_t idx)
{
	return (uint64_t *)p->env.phys_to_ptr(p->env.ctx, p->pages[idx].hpa);
}

static inline uint64_t page_gfn(const struct pool_page *page)
{
	return page->gpa >> 12;
}

/* kind.c */
struct kind_geometry {
	unsigned entry_size; /* guest entry size in bytes: 4 or 8 */
	unsigned first;      /* first guest entry (in its page) this shadow covers */
	unsigned count;      /* guest entries covered */
	unsigned per;        /* shadow entries per guest entry: 1 or 2 */
};
void kind_geometry(enum pool_kind kind, uint64_t gpa, struct kind_geometry *g);

/* ram.c: tracking words and the host -> guest frame reverse map */
uint64_t trk_get(struct pool *p, uint64_t gfn);        /* normalised, written back */
uint64_t trk_peek(const struct pool *p, uint64_t gfn); /* normalised, read only */
void trk_put(struct pool *p, uint64_t gfn, uint64_t t);
void trk_sweep(struct pool *p);
int rmap_build(struct pool *p);

/* ref.c: references from leaf entries */
void ref_add(struct pool *p, uint64_t gfn, uint16_t idx, uint32_t entry);
void ref_drop(struct pool *p, uint64_t gfn, uint16_t idx, uint32_t entry);
int page_find_leaf(const struct pool *p, uint16_t idx, uint64_t hpa); /* entry or -1 */
void ovf_inc(struct pool *p, uint16_t idx);
void ovf_dec(struct pool *p, uint16_t idx);
/* Visit every present leaf mapping the overflowed frame gfn; returns how many. */
unsigned ovf_scan(struct pool *p, uint64_t gfn,
                  void (*visit)(struct pool *p, uint16_t idx, uint32_t entry, void *arg),
                  void *arg);

/*
 * The pool's files in the order they build on each other: each calls only
 * functions of the files before it (tools/layers checks this on the objects).
 *   kind, fmt, ram, extent, ref, user, cache, phash, monitor, open, entry, page,
 *   link, flush, alloc, write, access, stats, audit, init
 */

/* extent.c */
uint16_t extent_alloc(struct pool *p);
void extent_free(struct pool *p, uint16_t x);

/* user.c */
void user_add(struct pool *p, uint16_t child, uint16_t parent, uint32_t entry);
void user_remove(struct pool *p, uint16_t child, uint16_t parent, uint32_t entry);

/* cache.c */
uint32_t cache_bucket(const struct pool *p, uint64_t gpa, unsigned kind, uint32_t ctx);
uint16_t cache_find(const struct pool *p, enum pool_kind kind, uint64_t gpa, uint32_t ctx,
                    struct pool_stats *stats);
void cache_insert(struct pool *p, uint16_t idx);
void cache_remove(struct pool *p, uint16_t idx);
void age_push(struct pool *p, uint16_t idx);
void age_remove(struct pool *p, uint16_t idx);

/* monitor.c */
uint32_t mon_bucket(const struct pool *p, uint64_t gfn);
void monitor_start(struct pool *p, uint16_t idx);
void monitor_stop(struct pool *p, uint16_t idx);
/* Clear RW in every leaf mapping gfn (slow path if overflowed). */
void gfn_write_protect(struct pool *p, uint64_t gfn);

/* phash.c */
void phash_insert(struct pool *p, uint64_t hpa, uint16_t idx);

/* open.c: an entry being cleared is no longer open */
void open_forget(struct pool *p, uint16_t idx, uint32_t entry);

/* entry.c */
void entry_gained(struct pool *p, uint16_t idx);

/* page.c */
int page_take(struct pool *p, uint16_t *out);
bool page_evict_one(struct pool *p);
void page_clear(struct pool *p, uint16_t idx);
void page_free(struct pool *p, uint16_t idx, enum pool_flush_cause cause);

/* link.c */
int user_reserve(struct pool *p);

/* fmt.c: bounded formatter for audit messages (%s %u %lu %lx %d) */
struct fmt_buf {
	char *buf;
	size_t size;
	size_t len;
};
void fmt_append(struct fmt_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
