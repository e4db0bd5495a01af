/*
 * Benchmark of the pool and the shadow layer (issue 3, "Benchmark"). Numbers, not
 * pass/fail: printed and written to build/bench.json.
 *
 *  - ns per op: alloc miss, alloc hit, free (pool_page_flush), flush of one guest page
 *    through its tracking entry vs a slow scan of every pool page (pool full).
 *  - traces through the simulated CPU (sim.c): context-switch-heavy (8 address spaces,
 *    round robin) and fork-heavy (a new address space copied from the parent, parent
 *    write-protected through monitored writes), with shadow faults per lower bound
 *    (accesses whose (address space, page) translation was not yet established since
 *    the last guest change to it), cache hit rate, slow-path fraction, and the same
 *    traces under a naive policy (pool_flush_all on every CR3 load).
 *  - metadata bytes per pool page and per guest page (pool_meta_size differences, plus
 *    the 8-byte tracking entry per guest page).
 */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tests/unit/shadow_model/sim.h"

#define P GPTE_P
#define RW GPTE_RW
#define US GPTE_US
#define LONG_CR0 ((1ull << 31) | (1ull << 16) | 1)
#define LONG_CR4 (1ull << 5)
#define LONG_EFER ((1ull << 8) | (1ull << 10) | (1ull << 11))
#define LEAF_FLAGS_BENCH (POOL_PTE_P | POOL_PTE_RW | POOL_PTE_US | POOL_PTE_A | POOL_PTE_D)

static double now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

/* ---- pool operations ------------------------------------------------- */

struct op_numbers {
	double alloc_miss_ns, alloc_hit_ns, free_ns, flush_tracked_ns, flush_scan_ns;
};

static unsigned slow_scan(struct pool *p, uint64_t hpa)
{
	unsigned found = 0;
	for (uint16_t i = 1; i <= POOL_MAX_PAGES && i < p->grown + 1; i++) {
		if (!pool_page_in_use(p, i) || pool_kind_level(pool_page_kind(p, i)) != 1)
			continue;
		const uint64_t *e = pool_page_entries(p, i);
		for (unsigned j = 0; j < POOL_ENTRIES; j++)
			found += pool_pte_present(e[j]) && pool_pte_addr(e[j]) == hpa;
	}
	return found;
}

static void bench_ops(struct op_numbers *n)
{
	enum { PAGES = 2000, GUEST = 8192 };
	struct sim s;
	struct pool_config cfg = {.max_pages = PAGES + 16};
	if (sim_init(&s, GUEST, PAGES + 64, &cfg, 1))
		abort();
	uint16_t idx[PAGES];
	double t0 = now_ns();
	for (unsigned i = 0; i < PAGES; i++)
		pool_alloc(&s.pool, POOL_KIND_PT_IDENTITY, (uint64_t)i << 21, 0, 0, 0, &idx[i], 0);
	double t1 = now_ns();
	for (unsigned i = 0; i < PAGES; i++)
		pool_alloc(&s.pool, POOL_KIND_PT_IDENTITY, (uint64_t)i << 21, 0, 0, 0, &idx[i], 0);
	double t2 = now_ns();
	n->alloc_miss_ns = (t1 - t0) / PAGES;
	n->alloc_hit_ns = (t2 - t1) / PAGES;
	/* pool full: each page maps 4 guest frames (distinct), 8000 leaves in all */
	for (unsigned i = 0; i < PAGES; i++)
		for (unsigned j = 0; j < 4; j++)
			pool_leaf_set(&s.pool, idx[i], j, (i * 4 + j) % GUEST, LEAF_FLAGS_BENCH);
	enum { FLUSHES = 2000 };
	double t3 = now_ns();
	for (unsigned k = 0; k < FLUSHES; k++) {
		unsigned i = k % PAGES;
		pool_flush_gfn(&s.pool, i * 4);
		pool_leaf_set(&s.pool, idx[i], 0, i * 4, LEAF_FLAGS_BENCH);
	}
	double t4 = now_ns();
	enum { SCANS = 20 };
	volatile unsigned sink = 0;
	for (unsigned k = 0; k < SCANS; k++)
		sink += slow_scan(&s.pool, pool_gfn_hpa(&s.pool, k * 4));
	double t5 = now_ns();
	n->flush_tracked_ns = (t4 - t3) / FLUSHES;
	n->flush_scan_ns = (t5 - t4) / SCANS;
	double t6 = now_ns();
	for (unsigned i = 0; i < PAGES; i++)
		pool_page_flush(&s.pool, idx[i]);
	n->free_ns = (now_ns() - t6) / PAGES;
	sim_destroy(&s);
}

/* ---- traces through the simulated CPU -------------------------------- */

#define AS_MAX 64
#define WS_PAGES 64 /* working set per address space: 64 pages */

struct trace {
	struct sim s;
	unsigned nas;
	uint64_t cr3[AS_MAX];
	uint64_t pt[AS_MAX];
	uint8_t valid[AS_MAX][WS_PAGES]; /* translation established since last change */
	uint64_t faults, lower_bound, accesses;
	uint64_t next_frame;
	bool naive;
};

static uint64_t take_frame(struct trace *t)
{
	return (t->next_frame++) << 12;
}

/* Address space: PML4 -> PDPT -> PD -> one PT of WS_PAGES data pages (pre-dirtied). */
static void make_as(struct trace *t, unsigned a, const uint64_t *data)
{
	uint64_t pml4 = take_frame(t), pdpt = take_frame(t), pd = take_frame(t);
	uint64_t pt = take_frame(t);
	sim_write(&t->s, pml4, 8, pdpt | P | RW | US | GPTE_A);
	sim_write(&t->s, pdpt, 8, pd | P | RW | US | GPTE_A);
	sim_write(&t->s, pd, 8, pt | P | RW | US | GPTE_A);
	for (unsigned i = 0; i < WS_PAGES; i++)
		sim_write(&t->s, pt + i * 8, 8, data[i] | P | RW | US | GPTE_A | GPTE_D);
	t->cr3[a] = pml4;
	t->pt[a] = pt;
	memset(t->valid[a], 0, WS_PAGES);
}

static void switch_to(struct trace *t, unsigned a)
{
	if (t->naive)
		pool_flush_all(&t->s.pool);
	shadow_load_cr3(&t->s.vcpu, t->cr3[a]);
	if (t->naive)
		for (unsigned b = 0; b < t->nas; b++)
			memset(t->valid[b], 0, WS_PAGES); /* not counted in the lower bound */
}

static void touch(struct trace *t, unsigned a, unsigned page, bool write)
{
	struct sim_access r;
	sim_access(&t->s, (uint64_t)page << 12, write ? WALK_ACC_WRITE | WALK_ACC_USER :
			  WALK_ACC_USER, 1, &r);
	t->accesses++;
	t->faults += r.faults;
	if (!t->valid[a][page]) {
		t->lower_bound++;
		t->valid[a][page] = 1;
	}
}

static void trace_init(struct trace *t, bool naive)
{
	memset(t, 0, sizeof(*t));
	struct pool_config cfg = {.max_pages = 1024};
	if (sim_init(&t->s, 16384, 1100, &cfg, 2))
		abort();
	t->next_frame = 16;
	t->naive = naive;
	shadow_set_regs(&t->s.vcpu, LONG_CR0, LONG_CR4, LONG_EFER);
}

/* 8 processes, round robin, each touches its whole working set per time slice. */
static void trace_ctxsw(struct trace *t, bool naive)
{
	trace_init(t, naive);
	t->nas = 8;
	uint64_t data[WS_PAGES];
	for (unsigned a = 0; a < t->nas; a++) {
		for (unsigned i = 0; i < WS_PAGES; i++)
			data[i] = take_frame(t);
		make_as(t, a, data);
	}
	for (unsigned round = 0; round < 400; round++)
		for (unsigned a = 0; a < t->nas; a++) {
			switch_to(t, a);
			for (unsigned i = 0; i < WS_PAGES; i++)
				touch(t, a, i, i % 4 == 0);
		}
}

/* fork: child = copy of the parent's PT; the parent's PTEs are write-protected through
 * monitored guest writes (the fork rule may flush instead); both run; the child exits. */
static void trace_fork(struct trace *t, bool naive)
{
	trace_init(t, naive);
	t->nas = 2;
	uint64_t data[WS_PAGES];
	for (unsigned i = 0; i < WS_PAGES; i++)
		data[i] = take_frame(t);
	make_as(t, 0, data);
	uint64_t child_frames = t->next_frame;
	for (unsigned gen = 0; gen < 300; gen++) {
		t->next_frame = child_frames; /* the child's tables reuse the same frames */
		make_as(t, 1, data);
		for (unsigned i = 0; i < WS_PAGES; i++) { /* parent write-protect sweep */
			uint64_t e;
			sim_read(&t->s, t->pt[0] + i * 8, 8, &e);
			sim_guest_pt_write(&t->s, t->pt[0] + i * 8, 8, e & ~RW);
			t->valid[0][i] = 0;
			sim_guest_pt_write(&t->s, t->pt[1] + i * 8, 8, (e & ~RW));
			t->valid[1][i] = 0;
		}
		for (unsigned a = 0; a < 2; a++) {
			switch_to(t, a);
			for (unsigned i = 0; i < WS_PAGES; i++)
				touch(t, a, i, false);
		}
		for (unsigned i = 0; i < WS_PAGES; i++) { /* parent regains write (COW done) */
			uint64_t e;
			sim_read(&t->s, t->pt[0] + i * 8, 8, &e);
			sim_guest_pt_write(&t->s, t->pt[0] + i * 8, 8, e | RW);
			t->valid[0][i] = 0;
		}
		switch_to(t, 0);
		for (unsigned i = 0; i < WS_PAGES; i++)
			touch(t, 0, i, true);
	}
}

struct trace_numbers {
	double fault_ratio, naive_faults, pool_faults, hit_rate, slow_fraction, ns_per_access;
};

static void run_trace(void (*fn)(struct trace *, bool), struct trace_numbers *n)
{
	static struct trace t;
	double t0 = now_ns();
	fn(&t, false);
	double t1 = now_ns();
	const struct pool_stats *st = pool_get_stats(&t.s.pool);
	n->pool_faults = (double)t.faults;
	n->fault_ratio = (double)t.faults / (double)t.lower_bound;
	n->hit_rate = (double)st->hits / (double)(st->hits + st->misses);
	double ops = (double)(st->flush_gfn + st->monitored_writes + st->write_protects);
	n->slow_fraction = ops > 0 ? (double)st->slow_scans / ops : 0;
	n->ns_per_access = (t1 - t0) / (double)t.accesses;
	sim_destroy(&t.s);
	fn(&t, true);
	n->naive_faults = (double)t.faults;
	sim_destroy(&t.s);
}

int main(void)
{
	struct op_numbers ops;
	bench_ops(&ops);
	struct trace_numbers ctx, fork;
	run_trace(trace_ctxsw, &ctx);
	run_trace(trace_fork, &fork);

	struct pool_config a = {.max_pages = 1000}, b = {.max_pages = 2000};
	double per_pool_page = (double)(pool_meta_size(&b, 65536) - pool_meta_size(&a, 65536)) /
			       1000.0;
	double per_guest_page = (double)(pool_meta_size(&a, 131072) - pool_meta_size(&a, 65536)) /
				65536.0 + 8.0; /* + the tracking entry */
	double ratio = ops.flush_scan_ns / ops.flush_tracked_ns;
	double fault_ratio = ctx.fault_ratio > fork.fault_ratio ? ctx.fault_ratio : fork.fault_ratio;
	double naive_ratio = ctx.naive_faults / ctx.pool_faults;
	double naive_ratio_fork = fork.naive_faults / fork.pool_faults;
	double hit_rate = ctx.hit_rate < fork.hit_rate ? ctx.hit_rate : fork.hit_rate;
	double slow = ctx.slow_fraction > fork.slow_fraction ? ctx.slow_fraction : fork.slow_fraction;

	printf("pool ops: alloc miss %.1f ns, alloc hit %.1f ns, free %.1f ns\n",
	       ops.alloc_miss_ns, ops.alloc_hit_ns, ops.free_ns);
	printf("flush one guest page: tracked %.1f ns, slow scan %.1f ns, ratio %.0fx\n",
	       ops.flush_tracked_ns, ops.flush_scan_ns, ratio);
	printf("ctxsw trace: faults/lower bound %.3f, hit rate %.4f, slow-path fraction %.5f, "
	       "naive/pool faults %.1fx, %.0f ns per access\n",
	       ctx.fault_ratio, ctx.hit_rate, ctx.slow_fraction, naive_ratio, ctx.ns_per_access);
	printf("fork trace:  faults/lower bound %.3f, hit rate %.4f, slow-path fraction %.5f, "
	       "naive/pool faults %.1fx, %.0f ns per access\n",
	       fork.fault_ratio, fork.hit_rate, fork.slow_fraction, naive_ratio_fork,
	       fork.ns_per_access);
	printf("metadata: %.1f bytes per pool page, %.1f bytes per guest page\n", per_pool_page,
	       per_guest_page);

	FILE *f = fopen("build/bench.json", "w");
	if (!f) {
		perror("build/bench.json");
		return 1;
	}
	fprintf(f,
		"{\n  \"flush_tracked_vs_scan_ratio\": %.3f,\n  \"fault_ratio_to_lower_bound\": %.4f,\n"
		"  \"naive_vs_pool_fault_ratio\": %.3f,\n  \"naive_vs_pool_fault_ratio_fork\": %.3f,\n"
		"  \"cache_hit_rate\": %.5f,\n"
		"  \"slow_path_fraction\": %.6f,\n  \"meta_bytes_per_pool_page\": %.2f,\n"
		"  \"meta_bytes_per_guest_page\": %.2f,\n  \"alloc_miss_ns\": %.2f,\n"
		"  \"alloc_hit_ns\": %.2f,\n  \"free_ns\": %.2f,\n  \"flush_tracked_ns\": %.2f,\n"
		"  \"flush_scan_ns\": %.2f,\n  \"ctxsw_fault_ratio\": %.4f,\n"
		"  \"fork_fault_ratio\": %.4f,\n  \"ctxsw_ns_per_access\": %.2f,\n"
		"  \"fork_ns_per_access\": %.2f\n}\n",
		ratio, fault_ratio, naive_ratio, naive_ratio_fork, hit_rate, slow, per_pool_page,
		per_guest_page, ops.alloc_miss_ns, ops.alloc_hit_ns, ops.free_ns,
		ops.flush_tracked_ns, ops.flush_scan_ns, ctx.fault_ratio, fork.fault_ratio,
		ctx.ns_per_access, fork.ns_per_access);
	fclose(f);
	printf("wrote build/bench.json\n");
	return 0;
}
