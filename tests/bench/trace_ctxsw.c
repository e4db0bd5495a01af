/*
 * Context-switch-heavy trace: CTXSW_PROCS processes with stable working sets, switched
 * round robin with MOV CR3 (more processes than the pool has root slots, so most
 * switches find their shadow root in the cache, not in a slot). Each has CTXSW_PAGES
 * private pages (writable, dirty) in one PT and a kernel stack page reached through the
 * shared kernel direct map. Per time slice: CR3 load, a kernel write to the stack page,
 * a read of every page, a write to one page in CTXSW_WRITE_EVERY. No guest page-table
 * write after boot, so the lower bound is the first touches only.
 *
 * The pool (CTXSW_POOL_PAGES) holds every shadow table of every process at once: the
 * working set fits, which is what the cache hit-rate target is about.
 */
#include "tests/bench/bench.h"

#define CTXSW_PROCS       8u
#define CTXSW_PAGES       128u
#define CTXSW_WRITE_EVERY 4u
#define CTXSW_ROUNDS      400u
#define CTXSW_RAM_FRAMES  8192u
#define CTXSW_POOL_PAGES  128u

struct ctxsw_proc {
	uint64_t pml4, kstack;
};

static void boot_proc(struct guest *g, struct ctxsw_proc *p)
{
	uint64_t pdpt = guest_boot_table(g), pd = guest_boot_table(g);
	uint64_t pt = guest_boot_table(g);

	p->pml4 = guest_boot_pml4(g);
	p->kstack = guest_alloc_frame(g);
	sim_write(&g->s, p->pml4, 8, pdpt | GUEST_LINK);
	sim_write(&g->s, pdpt, 8, pd | GUEST_LINK);
	sim_write(&g->s, pd + GUEST_USER_PD_INDEX * 8, 8, pt | GUEST_LINK);
	for (unsigned i = 0; i < CTXSW_PAGES; i++)
		sim_write(&g->s, pt + i * 8, 8, guest_alloc_frame(g) | GUEST_USER_RW);
}

static void run_slice(struct guest *g, const struct ctxsw_proc *p, unsigned round)
{
	guest_switch(g, p->pml4);
	guest_kwrite(g, p->kstack, round);
	for (unsigned i = 0; i < CTXSW_PAGES; i++)
		(void)guest_access(g, GUEST_USER_BASE + i * WALK_PAGE_SIZE, WALK_ACC_USER, 0);
	for (unsigned i = round % CTXSW_WRITE_EVERY; i < CTXSW_PAGES; i += CTXSW_WRITE_EVERY)
		(void)guest_access(g, GUEST_USER_BASE + i * WALK_PAGE_SIZE,
		                   WALK_ACC_USER | WALK_ACC_WRITE, round);
}

void trace_ctxsw(struct trace_run *out, bool naive)
{
	static struct guest g;
	struct guest_config cfg = {
	    .ram_frames = CTXSW_RAM_FRAMES, .pool_max_pages = CTXSW_POOL_PAGES, .naive = naive};
	struct ctxsw_proc procs[CTXSW_PROCS];

	guest_init(&g, &cfg, 3);
	for (unsigned a = 0; a < CTXSW_PROCS; a++)
		boot_proc(&g, &procs[a]);
	double t0 = bench_now_ns();
	guest_start(&g, procs[0].pml4);
	struct pool_stats warm;
	for (unsigned round = 0; round < CTXSW_ROUNDS; round++) {
		for (unsigned a = 0; a < CTXSW_PROCS; a++)
			run_slice(&g, &procs[a], round);
		if (round == 0)
			warm = *pool_get_stats(&g.s.pool);
	}
	guest_audit(&g, "ctxsw trace end");
	trace_collect(out, &g, bench_now_ns() - t0, &warm);
	guest_destroy(&g);
}
