/*
 * ns per pool operation, on the simulated machine (host memory behind a function
 * pointer, as in the kernel's direct map). Each figure is the best of several batches
 * (OPS_REPS, or OPS_SCANS single scans), so another process or a timer interrupt in one
 * batch does not skew it.
 *
 *  - alloc grow:  pool_alloc miss on a fresh pool: the frame comes from the frame source.
 *  - alloc miss:  pool_alloc miss once the pool has grown: free list, zeroing, cache
 *                 insert (an unmonitored kind: no write-protect work).
 *  - alloc hit:   pool_alloc finding the page in the cache.
 *  - flush tracked: pool_flush_gfn of a frame with one reference (tracking entry).
 *  - flush scan:  what an untracked design does to flush one frame: read every entry of
 *                 every level-1 pool page, the pool full (OPS_PAGES of OPS_MAX in use).
 *  - flush overflow: pool_flush_gfn of a frame with OPS_OVF_REFS references, more than a
 *                 chain holds, so the pool's slow path runs (it visits only the pages on
 *                 the overflow list, not the pool).
 *  - free:        pool_page_flush of a page holding 4 leaves.
 */
#define _POSIX_C_SOURCE 199309L /* clock_gettime */
#include "tests/bench/bench.h"

#include <stdlib.h>
#include <time.h>

#define OPS_GUEST     8192u
#define OPS_PAGES     2000u
#define OPS_MAX       2016u
#define OPS_REPS      20u
#define OPS_SCANS     20u
#define OPS_OVF_REFS  64u
#define OPS_OVF_GFN   (OPS_GUEST - 1)
#define OPS_OVF_ENTRY 100u
#define OPS_LEAF      (POOL_PTE_P | POOL_PTE_RW | POOL_PTE_US | POOL_PTE_A | POOL_PTE_D)

double bench_now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static double min_d(double a, double b)
{
	return a < b ? a : b;
}

static void alloc_all(struct pool *p, uint16_t *idx)
{
	for (unsigned i = 0; i < OPS_PAGES; i++)
		if (pool_alloc(p, POOL_KIND_PT_IDENTITY, (uint64_t)i << 21, 0, 0, 0, &idx[i], 0))
			abort();
}

static void free_all(struct pool *p, const uint16_t *idx)
{
	for (unsigned i = 0; i < OPS_PAGES; i++)
		pool_page_flush(p, idx[i]);
}

static void set_leaves(struct pool *p, const uint16_t *idx)
{
	for (unsigned i = 0; i < OPS_PAGES; i++)
		for (unsigned j = 0; j < 4; j++)
			if (pool_leaf_set(p, idx[i], j, i * 4 + j, OPS_LEAF))
				abort();
}

/* The reference design's slow path: every entry of every level-1 page. */
static unsigned full_scan(const struct pool *p, uint64_t hpa)
{
	unsigned found = 0;

	for (uint32_t i = 1; i <= p->grown; i++) {
		if (!pool_page_in_use(p, (uint16_t)i) ||
		    pool_kind_level(pool_page_kind(p, (uint16_t)i)) != 1)
			continue;
		const uint64_t *e = pool_page_entries(p, (uint16_t)i);
		for (unsigned j = 0; j < POOL_ENTRIES; j++)
			found += pool_pte_present(e[j]) && pool_pte_addr(e[j]) == hpa;
	}
	return found;
}

static void time_allocs(struct sim *s, uint16_t *idx, struct op_numbers *n)
{
	double t = bench_now_ns();

	alloc_all(&s->pool, idx);
	n->alloc_grow_ns = (bench_now_ns() - t) / OPS_PAGES;
	n->alloc_miss_ns = n->alloc_hit_ns = 1e300;
	for (unsigned r = 0; r < OPS_REPS; r++) {
		free_all(&s->pool, idx);
		t = bench_now_ns();
		alloc_all(&s->pool, idx);
		n->alloc_miss_ns = min_d(n->alloc_miss_ns, (bench_now_ns() - t) / OPS_PAGES);
	}
	for (unsigned r = 0; r < OPS_REPS; r++) {
		t = bench_now_ns();
		alloc_all(&s->pool, idx);
		n->alloc_hit_ns = min_d(n->alloc_hit_ns, (bench_now_ns() - t) / OPS_PAGES);
	}
}

static void time_flushes(struct sim *s, const uint16_t *idx, struct op_numbers *n)
{
	volatile unsigned sink = 0;

	n->flush_tracked_ns = 1e300;
	for (unsigned r = 0; r < OPS_REPS; r++) {
		double t = bench_now_ns();
		for (unsigned i = 0; i < OPS_PAGES; i++)
			sink += pool_flush_gfn(&s->pool, i * 4);
		n->flush_tracked_ns = min_d(n->flush_tracked_ns, (bench_now_ns() - t) / OPS_PAGES);
		for (unsigned i = 0; i < OPS_PAGES; i++)
			pool_leaf_set(&s->pool, idx[i], 0, i * 4, OPS_LEAF);
	}
	n->scan_pages = s->pool.used;
	n->flush_scan_ns = 1e300;
	for (unsigned k = 0; k < OPS_SCANS; k++) {
		double t = bench_now_ns();
		sink += full_scan(&s->pool, pool_gfn_hpa(&s->pool, k * 4));
		n->flush_scan_ns = min_d(n->flush_scan_ns, bench_now_ns() - t);
	}

	n->flush_overflow_ns = 1e300;
	n->overflow_refs = OPS_OVF_REFS;
	for (unsigned r = 0; r < OPS_REPS; r++) {
		for (unsigned i = 0; i < OPS_OVF_REFS; i++)
			pool_leaf_set(&s->pool, idx[i], OPS_OVF_ENTRY, OPS_OVF_GFN, OPS_LEAF);
		double t = bench_now_ns();
		sink += pool_flush_gfn(&s->pool, OPS_OVF_GFN);
		n->flush_overflow_ns = min_d(n->flush_overflow_ns, bench_now_ns() - t);
		n->overflow_slow_pages = s->pool.stats.slow_pages_last;
	}
	(void)sink;
}

void bench_ops(struct op_numbers *n)
{
	static uint16_t idx[OPS_PAGES];
	struct sim s;
	struct pool_config cfg = {.max_pages = OPS_MAX};

	if (sim_init(&s, OPS_GUEST, OPS_MAX + 64, &cfg, 1))
		abort();
	time_allocs(&s, idx, n);
	set_leaves(&s.pool, idx);
	time_flushes(&s, idx, n);
	n->free_ns = 1e300;
	for (unsigned r = 0; r < OPS_REPS; r++) {
		if (r) {
			alloc_all(&s.pool, idx);
			set_leaves(&s.pool, idx);
		}
		double t = bench_now_ns();
		free_all(&s.pool, idx);
		n->free_ns = min_d(n->free_ns, (bench_now_ns() - t) / OPS_PAGES);
	}
	sim_destroy(&s);
}
