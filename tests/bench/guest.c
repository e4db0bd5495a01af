/*
 * The simulated guest OS of the benchmark traces, and the lower bound on #PF exits.
 *
 * LOWER BOUND (what guest_lower_bound() returns), for one trace:
 *
 *     LB = G + sum over completed accesses of need(access)
 *
 *  G   the guest's own page faults: accesses the guest's tables refuse (reference walk
 *      of the guest tables, before the access). Every one exits: under shadow paging
 *      all #PFs are intercepted, and PFEC mask/match cannot tell a guest COW fault
 *      (error code P|W|U) from the shadow's own write-protection faults (same code).
 *  need(access) = 1 if ANY of the following holds, else 0 (counted once, under the
 *  first that holds: fills, dirty, witnesses):
 *  F   (fills, "first touch") some paging-structure entry on the access's walk is
 *      FRESH: not read by any completed access since the guest last wrote it (or ever).
 *      Liveness is per guest entry, so tables shared by several address spaces (the
 *      kernel half) count once, and a PTE the guest rewrites (write-protect at fork, a
 *      COW fix-up) is fresh again. A large guest page counts per 4 KiB piece, because a
 *      shadow maps host frames, which are not contiguous.
 *  D   (dirty) a write through a leaf whose D bit is clear: keeping the guest's D bit
 *      exact needs an exit at the first write.
 *  C   (the page-table writes the hypervisor must catch) a completed access A, not
 *      charged F or D, reads an entry E of table T that was live (read, and not written
 *      since) when the guest wrote T at time w, and A is the first completed access to
 *      read E since then (E's previous read p < w < A). Then either the write at w was
 *      caught (an exit), or E's translation was not installed at w, and A must fault to
 *      re-install it (installs happen only at a completed access reading E, and none
 *      happened in (p, A)). So every such pair (w, A) needs the exit "catch w" or the
 *      exit "A faults", and the minimum number of exits is at least the size of any
 *      MATCHING of such pairs (König: a vertex cover is at least a matching). The driver
 *      builds one greedily: each access is matched at most once, to the earliest
 *      unmatched write of T after p (per table the optimal greedy for points and
 *      intervals processed by right end). C is the number of matched pairs. This charges
 *      the COW fix-ups of a table still in use (catch each PTE write, or drop the table
 *      and refault every entry used later: whichever is cheaper) but not writes to
 *      tables nobody reads again (zeroing a freed table, tearing down an exited process).
 *
 * Why it is a lower bound: every exit counted belongs to one access, and no access is
 * counted twice: G and F/D are the access's own fault; a matched pair's exit is either
 * the reading access's fault (never F/D-charged, matched once) or the catch of the write,
 * which is the writing access's own exit, so only writes made by accesses charged
 * nothing are logged for matching. This holds for any exact shadow (it never holds a
 * translation the current guest tables forbid; A/D exact) that (1) installs, per fault,
 * only the translation of the faulting access (no prefetch of neighbouring entries,
 * nothing for a reflected fault) and (2) drops, never rewrites, a shadow entry when it
 * catches a guest write (no install-on-write). The pool (pool/write.c) is such a design;
 * one that prefetches or installs on write could go below this bound. The driver checks
 * that neither the pool nor the naive policy does (bench.c).
 *
 * What it does NOT charge, hence overhead of the pool if it happens: catches of writes to
 * tables no completed access uses again (e.g. zeroing a freed table, tearing down an
 * exited process), refills of translations the guest did not change beyond one per
 * logged write to their table, the fault that makes a table frame writable again
 * through the direct map after its monitoring stopped, root links of a new shadow root
 * to already-shadowed kernel tables.
 */
#include "tests/bench/guest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CR0_PE            (1ull << 0)
#define CR0_WP            (1ull << 16)
#define CR0_PG            (1ull << 31)
#define CR4_PAE           (1ull << 5)
#define EFER_LME          (1ull << 8)
#define EFER_LMA          (1ull << 10)
#define EFER_NXE          (1ull << 11)
#define LARGE_PAGE_FRAMES 512u
#define KERNEL_LARGE      (GPTE_P | GPTE_RW | GPTE_PS | GPTE_A | GPTE_D | GPTE_G)

static void die(const char *what, uint64_t a, uint64_t b)
{
	fprintf(stderr, "bench guest: %s (0x%llx, 0x%llx)\n", what, (unsigned long long)a,
	        (unsigned long long)b);
	abort();
}

static bool bit_get(const uint8_t *map, uint64_t i)
{
	return (map[i >> 3] >> (i & 7)) & 1;
}

static void bit_put(uint8_t *map, uint64_t i, bool v)
{
	if (v)
		map[i >> 3] |= (uint8_t)(1u << (i & 7));
	else
		map[i >> 3] &= (uint8_t) ~(1u << (i & 7));
}

static void *zalloc(uint64_t bytes)
{
	void *p = calloc(1, bytes);

	if (!p)
		die("out of host memory", bytes, 0);
	return p;
}

static void register_table(struct guest *g, uint64_t gpa)
{
	if (g->table_slot[gpa >> 12])
		return;
	if (g->ntables == GUEST_MAX_TABLE_FRAMES)
		die("too many table frames", gpa, 0);
	g->tables[g->ntables] = (uint32_t)(gpa >> 12);
	g->table_monitored[g->ntables] = 0;
	g->nwrites[g->ntables] = 0;
	g->table_slot[gpa >> 12] = (uint16_t)++g->ntables;
}

/* Denominator of the slow-path fraction: count not-monitored -> monitored transitions of
 * the guest's table frames (the pool write-protects a frame's mappings then, which may
 * run the slow path). Polled after each operation: a transition undone within one
 * access is missed, which can only overstate the fraction. */
static void poll_monitor_starts(struct guest *g)
{
	for (unsigned i = 0; i < g->ntables; i++) {
		bool m = pool_gfn_monitored(&g->s.pool, g->tables[i]);
		if (m && !g->table_monitored[i])
			g->n.monitor_starts++;
		g->table_monitored[i] = m;
	}
}

void guest_init(struct guest *g, const struct guest_config *cfg, uint32_t seed)
{
	struct pool_config pc = {.max_pages = cfg->pool_max_pages};

	memset(g, 0, sizeof(*g));
	g->cfg = *cfg;
	if (cfg->ram_frames % LARGE_PAGE_FRAMES || cfg->ram_frames > LARGE_PAGE_FRAMES * 512)
		die("RAM must be whole 2 MiB pages, at most 1 GiB", cfg->ram_frames, 0);
	if (sim_init(&g->s, cfg->ram_frames, cfg->pool_max_pages + 16, &pc, seed))
		die("sim_init", cfg->ram_frames, cfg->pool_max_pages);
	g->free_stack = zalloc(cfg->ram_frames * sizeof(uint32_t));
	g->refcount = zalloc(cfg->ram_frames * sizeof(uint16_t));
	g->last_read = zalloc(cfg->ram_frames * 512 * sizeof(uint32_t));
	g->large_live = zalloc(cfg->ram_frames / 8);
	g->table_slot = zalloc(cfg->ram_frames * sizeof(uint16_t));
	g->now = 2;
	for (uint64_t f = cfg->ram_frames - 1; f >= 3; f--)
		g->free_stack[g->nfree++] = (uint32_t)f; /* frame 3 on top */
	g->kernel_pdpt = 1ull << 12;
	g->kernel_pd = 2ull << 12;
	register_table(g, g->kernel_pdpt);
	register_table(g, g->kernel_pd);
	for (uint64_t i = 0; i < cfg->ram_frames / LARGE_PAGE_FRAMES; i++)
		sim_write(&g->s, g->kernel_pd + i * 8, 8, (i << 21) | KERNEL_LARGE);
	sim_write(&g->s, g->kernel_pdpt, 8, g->kernel_pd | GUEST_KLINK);
	g->zero_page = guest_alloc_frame(g);
}

void guest_destroy(struct guest *g)
{
	sim_destroy(&g->s);
	free(g->free_stack);
	free(g->refcount);
	free(g->last_read);
	free(g->large_live);
	free(g->table_slot);
}

uint64_t guest_alloc_frame(struct guest *g)
{
	if (!g->nfree)
		die("guest out of frames", 0, 0);
	return (uint64_t)g->free_stack[--g->nfree] << 12;
}

void guest_free_frame(struct guest *g, uint64_t gpa)
{
	g->free_stack[g->nfree++] = (uint32_t)(gpa >> 12);
}

/* The frame is held in a pool root slot (a current or recent shadow root). */
static bool is_shadow_root(struct guest *g, uint64_t gpa)
{
	for (unsigned s = 0; s < POOL_ROOT_SLOTS; s++) {
		uint16_t idx = pool_root_get(&g->s.pool, s);
		if (idx && pool_page_gfn(&g->s.pool, idx) == gpa >> 12)
			return true;
	}
	return false;
}

uint64_t guest_alloc_table(struct guest *g)
{
	uint64_t gpa = guest_alloc_frame(g);
	bool root = is_shadow_root(g, gpa);
	uint64_t faults = g->n.faults;

	register_table(g, gpa);
	for (unsigned i = 0; i < 512; i++) /* clear_page(): 512 8-byte stores */
		guest_kwrite(g, gpa + i * 8, 0);
	if (root)
		g->n.root_zero_faults += g->n.faults - faults;
	return gpa;
}

uint64_t guest_boot_table(struct guest *g)
{
	uint64_t gpa = guest_alloc_frame(g);

	register_table(g, gpa);
	return gpa; /* guest RAM starts zeroed */
}

uint64_t guest_boot_pml4(struct guest *g)
{
	uint64_t pml4 = guest_boot_table(g);

	sim_write(&g->s, pml4 + GUEST_KERNEL_PML4_INDEX * 8, 8, g->kernel_pdpt | GUEST_KLINK);
	return pml4;
}

void guest_start(struct guest *g, uint64_t cr3)
{
	g->n.cr3_loads++;
	if (shadow_load_cr3(&g->s.vcpu, cr3) != SHADOW_FIXED) /* still unpaged */
		die("CR3 load", cr3, 0);
	if (shadow_set_regs(&g->s.vcpu, CR0_PG | CR0_WP | CR0_PE, CR4_PAE,
	                    EFER_LME | EFER_LMA | EFER_NXE) != SHADOW_FIXED)
		die("enable paging", cr3, 0);
	poll_monitor_starts(g);
}

void guest_switch(struct guest *g, uint64_t cr3)
{
	g->n.cr3_loads++;
	if (g->cfg.naive)
		pool_flush_all(&g->s.pool);
	if (shadow_load_cr3(&g->s.vcpu, cr3) != SHADOW_FIXED)
		die("CR3 load", cr3, 0);
	poll_monitor_starts(g);
}

/* The guest wrote the 8-byte word at gpa (at time g->now + 1): if it is a
 * paging-structure entry it is fresh now, and, if the access was charged nothing, the
 * write joins its table's log (see "Why it is a lower bound"). */
static void note_write(struct guest *g, uint64_t gpa, bool charged)
{
	unsigned slot = g->table_slot[gpa >> 12];

	if ((gpa >> 12) == (g->kernel_pd >> 12) || (gpa >> 12) == (g->kernel_pdpt >> 12))
		die("the traces never rewrite the kernel tables (large-leaf liveness)", gpa, 0);
	g->last_read[gpa >> 3] = 0;
	if (charged || !slot--)
		return;
	uint32_t *log = g->writes[slot];
	if (g->nwrites[slot] == GUEST_WRITE_LOG) {
		memmove(log, log + 1, (GUEST_WRITE_LOG - 1) * sizeof(*log));
		g->nwrites[slot]--;
	}
	log[g->nwrites[slot]++] = (uint32_t)(g->now + 1);
}

/* Match the access to the earliest unmatched write of the entry's table after the
 * entry's previous read, if any (see C at the top of this file). */
static bool match_write(struct guest *g, uint64_t entry_gpa)
{
	unsigned slot = g->table_slot[entry_gpa >> 12];
	uint32_t prev = g->last_read[entry_gpa >> 3];

	if (!slot--)
		return false;
	uint32_t *log = g->writes[slot];
	unsigned n = g->nwrites[slot], lo = 0, hi = n;
	while (lo < hi) { /* first write later than prev */
		unsigned mid = (lo + hi) / 2;
		if (log[mid] > prev)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (lo == n)
		return false;
	memmove(log + lo, log + lo + 1, (n - lo - 1) * sizeof(*log));
	g->nwrites[slot]--;
	return true;
}

/* Lower-bound accounting of one completed access (see the top of this file). */
static void account(struct guest *g, const struct walk_result *r, uint32_t acc)
{
	unsigned leaf = r->nr_levels - 1;
	bool large = r->page_size != WALK_PAGE_SIZE;
	bool fresh = large && !bit_get(g->large_live, r->gpa >> 12);
	uint64_t bound = guest_lower_bound(g);

	if (g->now > UINT32_MAX - 4)
		die("trace too long for 32-bit event times", g->now, 0);
	for (unsigned i = 0; i < r->nr_levels; i++)
		if (!(large && i == leaf))
			fresh |= !g->last_read[r->level[i].entry_gpa >> 3];
	if (fresh) {
		g->lb.fills++;
	} else if ((acc & WALK_ACC_WRITE) && !(r->level[leaf].entry & GPTE_D)) {
		g->lb.dirty++;
	} else {
		for (unsigned i = 0; i < r->nr_levels; i++) {
			if (!(large && i == leaf) && match_write(g, r->level[i].entry_gpa)) {
				g->lb.witnesses++;
				break;
			}
		}
	}
	for (unsigned i = 0; i < r->nr_levels; i++)
		if (!(large && i == leaf))
			g->last_read[r->level[i].entry_gpa >> 3] = (uint32_t)g->now;
	if (large)
		bit_put(g->large_live, r->gpa >> 12, true);
	if (acc & WALK_ACC_WRITE)
		note_write(g, r->gpa & ~7ull, guest_lower_bound(g) != bound);
	g->now += 2;
}

bool guest_access(struct guest *g, uint64_t la, uint32_t acc, uint64_t value)
{
	struct walk_result r;
	struct sim_access out;
	uint64_t bound = guest_lower_bound(g);

	walk_translate(&g->s.vcpu.paging, la, acc, shadow_read_guest, &g->s.pool, &r);
	sim_access(&g->s, la, acc, value, &out);
	g->n.accesses++;
	g->n.faults += out.faults;
	g->n.emulated += out.emulated;
	if (r.status == WALK_FAULT) {
		if (out.outcome != SIM_PF || out.error_code != r.error_code)
			die("shadow disagrees with the guest walk (fault)", la, out.outcome);
		g->lb.guest_faults++;
		g->n.reflected++;
		poll_monitor_starts(g);
		return false;
	}
	if (r.status != WALK_OK || out.outcome != SIM_OK ||
	    (out.hpa >> 12) != (sim_gpa_hpa(&g->s, r.gpa) >> 12))
		die("shadow disagrees with the guest walk", la, out.outcome);
	account(g, &r, acc);
	uint64_t fills = out.faults - out.emulated; /* the emulated write: one fault */
	if (guest_lower_bound(g) != bound)
		g->n.fills_charged += fills;
	else if (acc & WALK_ACC_USER)
		g->n.refills_user += fills;
	else
		g->n.refills_kernel += fills;
	poll_monitor_starts(g);
	return true;
}

uint64_t guest_kread(struct guest *g, uint64_t gpa)
{
	uint64_t v;

	if (!guest_access(g, GUEST_DM + gpa, 0, 0) || !sim_read(&g->s, gpa, 8, &v))
		die("kernel read", gpa, 0);
	return v;
}

void guest_kwrite(struct guest *g, uint64_t gpa, uint64_t value)
{
	uint64_t v;

	if (!guest_access(g, GUEST_DM + gpa, WALK_ACC_WRITE, value) ||
	    !sim_read(&g->s, gpa, 8, &v) || v != value)
		die("kernel write", gpa, value);
}

void guest_write_entry(struct guest *g, uint64_t gpa, uint64_t value)
{
	g->n.table_writes++;
	guest_kwrite(g, gpa, value);
}

uint64_t guest_lower_bound(const struct guest *g)
{
	return g->lb.guest_faults + g->lb.fills + g->lb.dirty + g->lb.witnesses;
}

void guest_audit(struct guest *g, const char *where)
{
	char msg[256];

	if (pool_audit(&g->s.pool, msg, sizeof(msg))) {
		fprintf(stderr, "bench guest: audit at %s: %s\n", where, msg);
		abort();
	}
}
