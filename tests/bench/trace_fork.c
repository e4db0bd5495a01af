/*
 * Fork-heavy trace: what a shell or a pre-forking server does, modelled on Linux x86-64
 * (kernel/fork.c dup_mmap, mm/memory.c copy_present_pte / wp_page_copy / zap_pte_range).
 *
 * The parent has FORK_PRIVATE private anonymous pages (writable, dirty) and FORK_ZERO
 * pages that were only read and so map the shared zero page (read-only; that one frame
 * is aliased by FORK_ZERO PTEs per process, more than an extent chain holds, so it
 * overflows in the pool). Per generation:
 *  1. fork, running as the parent: allocate the child's kernel stack, then its PML4,
 *     PDPT, PD, PT, each zeroed by the guest (clear_page: 512 8-byte stores through the
 *     direct map) and linked; then for every present parent PTE: if writable, clear R/W
 *     in the parent (ptep_set_wrprotect: the mass write-protect the pool's fork rule
 *     detects), and write the child's PTE (same frame, read-only, A clear: pte_mkold);
 *     then reload CR3 (flush_tlb_mm).
 *  2. FORK_SLICES time slices alternate child, parent, child, ... (CR3 loads). In each,
 *     the kernel touches the process's stack page, the process reads all its pages and
 *     writes one private page in FORK_WRITE_EVERY (the child also one zero-page page). A write to a
 *     read-only page is the guest's own #PF (reflected), which the guest handles: the
 *     page's only owner just regains R/W (wp_page_reuse), otherwise it gets a new frame,
 *     a copy (512 stores), and its PTE is cleared, INVLPG'd and set (wp_page_copy).
 *  3. the child exits, running as the child: every present PTE is cleared
 *     (zap_pte_range), the PD/PDPT/PML4 entries cleared and the tables freed
 *     (free_pgtables); CR3 switches to the parent; the PML4 and the stack are freed.
 * The guest's frame allocator is LIFO, so the next child gets the same table frames back.
 */
#include "tests/bench/bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FORK_PRIVATE     128u
#define FORK_ZERO        64u
#define FORK_PTES        (FORK_PRIVATE + FORK_ZERO)
#define FORK_SLICES      6u
#define FORK_WRITE_EVERY 16u
#define FORK_GENERATIONS 150u
#define FORK_RAM_FRAMES  8192u
#define FORK_POOL_PAGES  128u

/* Where the faults go: per phase, attributed at phase boundaries. */
enum fork_phase { PH_ZERO, PH_LINK, PH_RUN, PH_EXIT, PH_COUNT };
static const char *const phase_name[PH_COUNT] = {
    "fork: zero new tables", "fork: link and copy PTEs", "run slices (COW)", "child exit"};
static struct trace_phase phases[PH_COUNT];
static struct guest_counts last_n;
static uint64_t last_lb;

static void mark(const struct guest *g, enum fork_phase ph)
{
	struct trace_phase *t = &phases[ph];

	t->faults += g->n.faults - last_n.faults;
	t->reflected += g->n.reflected - last_n.reflected;
	t->emulated += g->n.emulated - last_n.emulated;
	t->fills_charged += g->n.fills_charged - last_n.fills_charged;
	t->refills_user += g->n.refills_user - last_n.refills_user;
	t->refills_kernel += g->n.refills_kernel - last_n.refills_kernel;
	t->lower_bound += guest_lower_bound(g) - last_lb;
	last_n = g->n;
	last_lb = guest_lower_bound(g);
}

struct proc {
	uint64_t pml4, pdpt, pd, pt, kstack;
};

static uint64_t user_la(unsigned i)
{
	return GUEST_USER_BASE + (uint64_t)i * WALK_PAGE_SIZE;
}

static uint64_t pte_gpa(const struct proc *p, unsigned i)
{
	return p->pt + i * 8u;
}

static void boot_parent(struct guest *g, struct proc *p)
{
	p->pml4 = guest_boot_pml4(g);
	p->pdpt = guest_boot_table(g);
	p->pd = guest_boot_table(g);
	p->pt = guest_boot_table(g);
	p->kstack = guest_alloc_frame(g);
	sim_write(&g->s, p->pml4, 8, p->pdpt | GUEST_LINK);
	sim_write(&g->s, p->pdpt, 8, p->pd | GUEST_LINK);
	sim_write(&g->s, p->pd + GUEST_USER_PD_INDEX * 8, 8, p->pt | GUEST_LINK);
	for (unsigned i = 0; i < FORK_PRIVATE; i++) {
		uint64_t f = guest_alloc_frame(g);
		g->refcount[f >> 12] = 1;
		sim_write(&g->s, pte_gpa(p, i), 8, f | GUEST_USER_RW);
	}
	for (unsigned i = FORK_PRIVATE; i < FORK_PTES; i++)
		sim_write(&g->s, pte_gpa(p, i), 8, g->zero_page | GUEST_USER_RO);
}

static void do_fork(struct guest *g, const struct proc *parent, struct proc *c)
{
	mark(g, PH_RUN);
	c->kstack = guest_alloc_frame(g);
	guest_kwrite(g, c->kstack, 1); /* dup_task_struct */
	mark(g, PH_LINK);
	c->pml4 = guest_alloc_table(g);
	mark(g, PH_ZERO);
	guest_write_entry(g, c->pml4 + GUEST_KERNEL_PML4_INDEX * 8, g->kernel_pdpt | GUEST_KLINK);
	mark(g, PH_LINK);
	c->pdpt = guest_alloc_table(g);
	mark(g, PH_ZERO);
	guest_write_entry(g, c->pml4, c->pdpt | GUEST_LINK);
	mark(g, PH_LINK);
	c->pd = guest_alloc_table(g);
	mark(g, PH_ZERO);
	guest_write_entry(g, c->pdpt, c->pd | GUEST_LINK);
	mark(g, PH_LINK);
	c->pt = guest_alloc_table(g);
	mark(g, PH_ZERO);
	guest_write_entry(g, c->pd + GUEST_USER_PD_INDEX * 8, c->pt | GUEST_LINK);
	for (unsigned i = 0; i < FORK_PTES; i++) {
		uint64_t e = guest_kread(g, pte_gpa(parent, i));
		if (!(e & GPTE_P))
			continue;
		if (e & GPTE_RW) {
			e &= ~GPTE_RW;
			guest_write_entry(g, pte_gpa(parent, i), e);
		}
		guest_write_entry(g, pte_gpa(c, i), e & ~GPTE_A);
		if ((e & GUEST_ADDR_MASK) != g->zero_page)
			g->refcount[(e & GUEST_ADDR_MASK) >> 12]++;
	}
	guest_switch(g, parent->pml4); /* flush_tlb_mm */
	mark(g, PH_LINK);
}

/* The guest's #PF handler for a write to a read-only present page of p. */
static void cow_fault(struct guest *g, const struct proc *p, unsigned i)
{
	uint64_t pte = pte_gpa(p, i);
	uint64_t e = guest_kread(g, pte);
	uint64_t old = e & GUEST_ADDR_MASK;

	if (old != g->zero_page && g->refcount[old >> 12] == 1) {
		guest_write_entry(g, pte, e | GPTE_RW | GPTE_A | GPTE_D);
		return;
	}
	uint64_t frame = guest_alloc_frame(g);
	if (old != g->zero_page)
		(void)guest_kread(g, old);
	for (unsigned k = 0; k < 512; k++) { /* copy_user_highpage / clear_user_highpage */
		uint64_t v = 0;
		if (old != g->zero_page)
			sim_read(&g->s, old + k * 8, 8, &v);
		guest_kwrite(g, frame + k * 8, v);
	}
	if (old != g->zero_page)
		g->refcount[old >> 12]--;
	g->refcount[frame >> 12] = 1;
	guest_write_entry(g, pte, 0); /* ptep_clear_flush */
	shadow_invlpg(&g->s.vcpu, user_la(i));
	guest_write_entry(g, pte, frame | GUEST_USER_RW);
}

static void user_write(struct guest *g, const struct proc *p, unsigned i, uint64_t value)
{
	if (guest_access(g, user_la(i), WALK_ACC_USER | WALK_ACC_WRITE, value))
		return;
	cow_fault(g, p, i);
	if (!guest_access(g, user_la(i), WALK_ACC_USER | WALK_ACC_WRITE, value)) {
		fprintf(stderr, "bench fork: write still faults after COW\n");
		abort();
	}
}

static void run_slice(struct guest *g, const struct proc *p, unsigned gen, unsigned slice)
{
	unsigned phase = (gen * FORK_SLICES + slice) % FORK_WRITE_EVERY;

	guest_switch(g, p->pml4);
	guest_kwrite(g, p->kstack, gen); /* kernel entry: the stack page */
	for (unsigned i = 0; i < FORK_PTES; i++)
		(void)guest_access(g, user_la(i), WALK_ACC_USER, 0);
	for (unsigned i = phase; i < FORK_PRIVATE; i += FORK_WRITE_EVERY)
		user_write(g, p, i, ((uint64_t)gen << 32) | i);
	if (slice % 2 == 0) /* the child: the parent's zero-page pages stay aliased */
		user_write(g, p, FORK_PRIVATE + (gen * FORK_SLICES + slice) % FORK_ZERO, gen + 1);
}

static void child_exit(struct guest *g, const struct proc *parent, struct proc *c)
{
	for (unsigned i = 0; i < FORK_PTES; i++) {
		uint64_t e = guest_kread(g, pte_gpa(c, i));
		uint64_t f = e & GUEST_ADDR_MASK;
		if (!(e & GPTE_P))
			continue;
		guest_write_entry(g, pte_gpa(c, i), 0);
		if (f != g->zero_page && --g->refcount[f >> 12] == 0)
			guest_free_frame(g, f);
	}
	guest_write_entry(g, c->pd + GUEST_USER_PD_INDEX * 8, 0);
	guest_free_frame(g, c->pt);
	guest_write_entry(g, c->pdpt, 0);
	guest_free_frame(g, c->pd);
	guest_write_entry(g, c->pml4, 0);
	guest_free_frame(g, c->pdpt);
	guest_switch(g, parent->pml4);
	guest_free_frame(g, c->pml4); /* mmdrop after the switch */
	guest_free_frame(g, c->kstack);
}

void trace_fork(struct trace_run *out, bool naive)
{
	static struct guest g;
	struct guest_config cfg = {
	    .ram_frames = FORK_RAM_FRAMES, .pool_max_pages = FORK_POOL_PAGES, .naive = naive};
	struct proc parent, child;

	guest_init(&g, &cfg, 7);
	memset(phases, 0, sizeof(phases));
	memset(&last_n, 0, sizeof(last_n));
	last_lb = 0;
	boot_parent(&g, &parent);
	double t0 = bench_now_ns();
	guest_start(&g, parent.pml4);
	struct pool_stats warm;
	for (unsigned gen = 0; gen < FORK_GENERATIONS; gen++) {
		do_fork(&g, &parent, &child);
		for (unsigned s = 0; s < FORK_SLICES; s++)
			run_slice(&g, s % 2 ? &parent : &child, gen, s);
		mark(&g, PH_RUN);
		guest_switch(&g, child.pml4);
		child_exit(&g, &parent, &child);
		mark(&g, PH_EXIT);
		if (gen % 16 == 0)
			guest_audit(&g, "fork trace");
		if (gen == 0)
			warm = *pool_get_stats(&g.s.pool);
	}
	guest_audit(&g, "fork trace end");
	mark(&g, PH_RUN);
	trace_collect(out, &g, bench_now_ns() - t0, &warm);
	for (unsigned i = 0; i < PH_COUNT; i++) {
		out->phase[i] = phases[i];
		out->phase[i].name = phase_name[i];
	}
	out->nphases = PH_COUNT;
	guest_destroy(&g);
}
