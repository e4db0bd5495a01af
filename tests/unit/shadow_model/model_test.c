/*
 * Randomized model-based test of the shadow layer + pool.
 *
 * A simulated guest (sim.c: non-contiguous guest RAM in a host arena) keeps 24 page-table
 * pages and random data pages, and performs random operations: write page-table entries
 * (map, unmap, remap, rights changes, large pages, reserved bits, entries beyond guest
 * RAM, self-maps and loops, aliases), whole-table clears, fork-style write-protect
 * sweeps, CR3 switches among several address spaces, INVLPG, mode and CR0/CR4/EFER
 * changes, and accesses (read/write/fetch, user/supervisor, EFLAGS.AC). Page-table
 * writes go through the monitored-write path (memory, then shadow_guest_write), as the
 * hypervisor does after emulating a write that trapped; accesses that land on a guest
 * page table through a mapping trap and are emulated the same way (reuse as data).
 *
 * Writes the shadow keeps read-only are emulated (memory, then the notification) or,
 * at random, single-stepped as the hypervisor does: the walk is opened through the
 * pool, the simulated CPU stores through it, the walk is closed and the page diff
 * reported. While a walk is open the test meddles at random: flushes the pool (as a
 * second fault of the instruction that ran out would), exhausts the frame source
 * during another access, makes other accesses, and runs the audit with the entries
 * open; a flush abandons the step and the instruction is executed again.
 *
 * Each access runs on the simulated CPU through the SHADOW tables and is compared with
 * ref_walk.c on the GUEST tables: same host page, same outcome, same #PF error code,
 * same A/D bits in guest memory. The comparison is immediate, after every step: the
 * shadow layer promises that the shadow never holds a translation the current guest
 * tables do not give (shadow.h), which is stricter than the architecture's TLB rules
 * (stale entries until INVLPG/CR3 load), so no "allowed stale set" is needed. PAE PDPTEs
 * are the architectural exception: both sides load them only at CR3 load. The pool
 * audit runs after every step.
 *
 * Usage: shadow_model                 the fixed seed list (>= 10^6 operations)
 *        shadow_model --seed N [--ops M]  replay one seed
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/shadow_model/ref_walk.h"
#include "tests/unit/shadow_model/sim.h"

#define GUEST_FRAMES 2048u
#define NTABLES      24u
#define TABLE0_GFN   1u
#define NROOTS       4u

#define CR0_PG    (1ull << 31)
#define CR0_WP    (1ull << 16)
#define CR4_PSE   (1ull << 4)
#define CR4_PAE   (1ull << 5)
#define CR4_SMEP  (1ull << 20)
#define CR4_SMAP  (1ull << 21)
#define EFER_LONG ((1ull << 8) | (1ull << 10))
#define EFER_NXE  (1ull << 11)

struct model {
	struct sim s;
	uint64_t rng;
	struct ref_cfg ref;
	uint64_t roots[NROOTS];
	uint64_t step;
	const char *failure;
	char why[300];
	uint64_t accesses, faults;
};

static struct model M;

static uint64_t rnd(uint64_t n)
{
	return sim_rand(&M.rng) % n;
}

static bool chance(unsigned percent)
{
	return rnd(100) < percent;
}

static bool ref_read(uint64_t gpa, unsigned size, uint64_t *v)
{
	return sim_read(&M.s, gpa, size, v);
}

static void fail(const char *what)
{
	if (!M.failure) {
		M.failure = what;
		snprintf(M.why, sizeof(M.why), "%s", what);
	}
}

static unsigned entry_size(void)
{
	return M.ref.mode == REF_32 ? 4 : 8;
}

static uint64_t table_gpa(unsigned i)
{
	return (uint64_t)(TABLE0_GFN + i) << 12;
}

static unsigned interesting_index(void)
{
	static const unsigned idx32[] = {0, 1, 2, 3, 256, 511, 512, 769, 1023};
	static const unsigned idx64[] = {0, 1, 2, 3, 511};
	if (M.ref.mode == REF_32)
		return idx32[rnd(9)];
	return idx64[rnd(5)];
}

static uint64_t random_target(uint64_t self)
{
	unsigned r = (unsigned)rnd(100);
	if (r < 45)
		return table_gpa((unsigned)rnd(NTABLES));
	if (r < 85)
		return rnd(GUEST_FRAMES) << 12;
	if (r < 90)
		return (GUEST_FRAMES + rnd(4096)) << 12; /* beyond guest RAM */
	if (r < 95)
		return rnd(4) << 21; /* 2 MiB aligned, inside RAM (and 4 MiB for r even) */
	return self;
}

static uint64_t random_entry(uint64_t self)
{
	uint64_t e = random_target(self);
	e |= chance(90) ? GPTE_P : 0;
	e |= chance(75) ? GPTE_RW : 0;
	e |= chance(75) ? GPTE_US : 0;
	e |= chance(30) ? GPTE_A : 0;
	e |= chance(30) ? GPTE_D : 0;
	e |= chance(15) ? GPTE_PS : 0;
	if (M.ref.mode == REF_32) {
		if (chance(3))
			e |= 1ull << 21; /* reserved in a 4 MiB PDE (M = 36) */
		return e & 0xffffffffu;
	}
	e |= chance(15) ? GPTE_XD : 0;
	if (chance(3))
		e |= 1ull << (chance(50) ? 40 : 13); /* above MAXPHYADDR / in a large page */
	if (chance(2))
		e |= 1ull << 55; /* reserved under PAE, ignored in 4-level entries */
	return e;
}

static void op_write_entry(void)
{
	uint64_t t = table_gpa((unsigned)rnd(NTABLES));
	uint64_t gpa = t + interesting_index() * entry_size();
	sim_guest_pt_write(&M.s, gpa, entry_size(), random_entry(t));
}

static void op_alias(void)
{
	uint64_t frame = rnd(GUEST_FRAMES) << 12;
	for (int i = 0; i < 8; i++) {
		uint64_t gpa =
		    table_gpa((unsigned)rnd(NTABLES)) + interesting_index() * entry_size();
		sim_guest_pt_write(&M.s, gpa, entry_size(), frame | GPTE_P | GPTE_RW | GPTE_US);
	}
}

static void op_clear_table(void)
{
	uint64_t t = table_gpa((unsigned)rnd(NTABLES));
	for (unsigned off = 0; off < 4096; off += 8)
		sim_guest_pt_write(&M.s, t + off, 8, 0);
}

static void op_fork_protect(void)
{
	uint64_t t = table_gpa((unsigned)rnd(NTABLES));
	for (unsigned off = 0; off < 4096; off += entry_size()) {
		uint64_t e;
		sim_read(&M.s, t + off, entry_size(), &e);
		if (e & GPTE_RW)
			sim_guest_pt_write(&M.s, t + off, entry_size(), e & ~GPTE_RW);
	}
}

/* The reference side of MOV CR3 under PAE: load the PDPTEs or #GP. */
static bool ref_load_pdptes(uint64_t cr3, uint64_t out[4])
{
	for (unsigned i = 0; i < 4; i++) {
		uint64_t e = 0;
		if (!sim_read(&M.s, (cr3 & 0xffffffe0u) + 8 * i, 8, &e))
			return false;
		if ((e & 1) && (e & (0x6ull | 0x1e0ull | ~0xfffffffffull)))
			return false;
		out[i] = e;
	}
	return true;
}

static void op_load_cr3(void)
{
	uint64_t cr3 = M.roots[rnd(NROOTS)];
	if (M.ref.mode == REF_PAE && chance(70)) { /* mostly valid PDPTEs */
		for (unsigned i = 0; i < 4; i++) {
			uint64_t e = chance(85) ? (table_gpa((unsigned)rnd(NTABLES)) | 1) : 0;
			sim_guest_pt_write(&M.s, (cr3 & 0xffffffe0u) + 8 * i, 8, e);
		}
	}
	uint64_t pd[4];
	bool ref_ok = M.ref.mode != REF_PAE || ref_load_pdptes(cr3, pd);
	enum shadow_result res = shadow_load_cr3(&M.s.vcpu, cr3);
	if (ref_ok != (res == SHADOW_FIXED)) {
		fail("CR3 load: shadow and reference disagree on #GP");
		return;
	}
	if (!ref_ok)
		return;
	M.ref.cr3 = cr3;
	if (M.ref.mode == REF_PAE)
		memcpy(M.ref.pdpte, pd, sizeof(pd));
}

static void op_mode(void)
{
	static const enum ref_mode modes[] = {REF_LONG, REF_LONG, REF_PAE, REF_32, REF_NONE};
	struct ref_cfg *c = &M.ref;
	c->mode = modes[rnd(5)];
	c->wp = chance(85), c->pse = chance(70), c->nxe = chance(70);
	c->smep = chance(20), c->smap = chance(20);
	uint64_t cr0 = (c->mode == REF_NONE ? 0 : CR0_PG) | (c->wp ? CR0_WP : 0) | 1;
	uint64_t cr4 = (c->pse ? CR4_PSE : 0) | (c->smep ? CR4_SMEP : 0) | (c->smap ? CR4_SMAP : 0);
	uint64_t efer = c->nxe ? EFER_NXE : 0;
	if (c->mode == REF_PAE || c->mode == REF_LONG)
		cr4 |= CR4_PAE;
	if (c->mode == REF_LONG)
		efer |= EFER_LONG;
	for (unsigned i = 0; i < NROOTS; i++)
		M.roots[i] = table_gpa(i) + (c->mode == REF_PAE ? 32 * rnd(4) : 0);
	shadow_set_regs(&M.s.vcpu, cr0, cr4, efer); /* may #GP on the old CR3: reloaded below */
	/* A valid CR3 for the new mode (PAE: valid PDPTEs first). */
	uint64_t cr3 = M.roots[0];
	if (c->mode == REF_PAE)
		for (unsigned i = 0; i < 4; i++)
			sim_guest_pt_write(&M.s, (cr3 & 0xffffffe0u) + 8 * i, 8,
			                   table_gpa((unsigned)rnd(NTABLES)) | 1);
	if (shadow_load_cr3(&M.s.vcpu, cr3) != SHADOW_FIXED) {
		fail("mode switch: CR3 load failed");
		return;
	}
	c->cr3 = cr3;
	if (c->mode == REF_PAE && !ref_load_pdptes(cr3, c->pdpte))
		fail("mode switch: reference PDPTE load failed");
}

static uint64_t random_la(void)
{
	uint64_t off = rnd(4096);
	switch (M.ref.mode) {
	case REF_NONE:
		return rnd(GUEST_FRAMES + GUEST_FRAMES / 8) << 12 | off;
	case REF_32:
		return (uint64_t)interesting_index() << 22 | (uint64_t)interesting_index() << 12 |
		       off;
	case REF_PAE:
		return rnd(4) << 30 | (uint64_t)interesting_index() << 21 |
		       (uint64_t)interesting_index() << 12 | off;
	default: {
		uint64_t i4 = interesting_index();
		uint64_t la = i4 << 39 | (uint64_t)interesting_index() << 30 |
		              (uint64_t)interesting_index() << 21 |
		              (uint64_t)interesting_index() << 12 | off;
		return i4 >= 256 ? (la | 0xffff000000000000ull) : la;
	}
	}
}

static uint32_t random_access(void)
{
	uint32_t acc = chance(50) ? WALK_ACC_USER : 0;
	unsigned r = (unsigned)rnd(100);
	if (r < 30)
		acc |= WALK_ACC_WRITE;
	else if (r < 45)
		acc |= WALK_ACC_FETCH;
	if (!(acc & WALK_ACC_USER) && chance(20))
		acc |= WALK_ACC_AC;
	return acc;
}

static void check_entries(const struct ref_out *o, uint64_t written_gpa, bool wrote, uint64_t la,
                          uint32_t acc)
{
	for (int i = 0; i < o->n; i++) {
		if (wrote && (o->addr[i] & ~7ull) == (written_gpa & ~7ull))
			continue; /* the access itself overwrote this entry */
		uint64_t now = 0;
		sim_read(&M.s, o->addr[i], o->size, &now);
		if (now != o->after[i]) {
			snprintf(M.why, sizeof(M.why),
			         "A/D mismatch at level %d/%d entry gpa %#llx: %#llx, expected "
			         "%#llx (la %#llx acc %#x mode %d gpa %#llx)",
			         i, o->n, (unsigned long long)o->addr[i], (unsigned long long)now,
			         (unsigned long long)o->after[i], (unsigned long long)la, acc,
			         M.ref.mode, (unsigned long long)o->gpa);
			M.failure = M.why;
			return;
		}
	}
}

static void op_touch(void)
{
	M.s.step_writes = chance(50);
	uint64_t la = random_la();
	uint32_t acc = random_access();
	uint64_t value = sim_rand(&M.rng);
	struct ref_out o;
	struct sim_access a;

	ref_walk(&M.ref, la, acc, ref_read, &o);
	sim_access(&M.s, la, acc, value, &a);
	M.accesses++;
	M.faults += a.faults;
	bool in_ram = o.kind == REF_OK && (o.gpa >> 12) < GUEST_FRAMES;
	bool ok = false;
	switch (o.kind) {
	case REF_BAD_TABLE:
		ok = a.outcome == SIM_NOT_RAM;
		break;
	case REF_PF:
		ok = a.outcome == SIM_PF && a.error_code == o.err;
		break;
	default:
		if (in_ram)
			ok = a.outcome == SIM_OK && a.hpa == sim_gpa_hpa(&M.s, o.gpa);
		else
			ok = a.outcome == SIM_NOT_RAM;
	}
	if (!ok) {
		snprintf(M.why, sizeof(M.why),
		         "access la %#llx acc %#x mode %d: ref kind %d err %#x gpa %#llx; "
		         "shadow outcome %d err %#x hpa %#llx (want %#llx)",
		         (unsigned long long)la, acc, M.ref.mode, o.kind, o.err,
		         (unsigned long long)o.gpa, a.outcome, a.error_code,
		         (unsigned long long)a.hpa,
		         (unsigned long long)(in_ram ? sim_gpa_hpa(&M.s, o.gpa) : 0));
		M.failure = M.why;
		return;
	}
	if (a.hit && (acc & WALK_ACC_WRITE) && !a.emulated && a.faults == 0 &&
	    pool_gfn_monitored(&M.s.pool, o.gpa >> 12))
		fail("a write reached a monitored guest page table without trapping");
	check_entries(&o, o.gpa, (acc & WALK_ACC_WRITE) && in_ram, la, acc);
}

/* Events while a stepped write's walk is open. */
static void meddle(struct sim *s, void *arg)
{
	char buf[256];
	struct sim_access a;
	unsigned r = (unsigned)rnd(100);

	(void)arg;
	s->step_writes = false; /* nested accesses are plain */
	if (r < 8) {
		sim_flush_all(s); /* a second fault of the instruction ran out of pool */
	} else if (r < 16) {
		s->allocs_left = 0; /* the frame source runs dry during another access */
		sim_access(s, random_la(), random_access() & ~(uint32_t)WALK_ACC_WRITE, 0, &a);
		s->allocs_left = UINT64_MAX;
		if (a.outcome == SIM_NO_MEMORY)
			sim_flush_all(s);
	} else if (r < 40) {
		sim_access(s, random_la(), random_access() & ~(uint32_t)WALK_ACC_WRITE, 0, &a);
	}
	s->step_writes = true;
	if (!M.failure && pool_audit(&s->pool, buf, sizeof(buf))) {
		snprintf(M.why, sizeof(M.why), "audit with a step open: %s", buf);
		M.failure = M.why;
	}
}

static void one_step(void)
{
	unsigned r = (unsigned)rnd(1000);
	if (r < 560)
		op_touch();
	else if (r < 860)
		op_write_entry();
	else if (r < 940)
		op_load_cr3();
	else if (r < 970)
		shadow_invlpg(&M.s.vcpu, random_la());
	else if (r < 980)
		op_alias();
	else if (r < 985)
		op_mode();
	else if (r < 988)
		op_clear_table();
	else if (r < 991)
		op_fork_protect();
	else if (r < 992)
		pool_flush_all(&M.s.pool);
	else
		op_touch();
}

static bool run_seed(uint64_t seed, uint64_t ops, bool verbose)
{
	struct pool_config cfg = {.max_pages = 48};
	memset(&M, 0, sizeof(M));
	M.rng = seed * 0x9E3779B97F4A7C15ull + 12345;
	if (sim_init(&M.s, GUEST_FRAMES, 128, &cfg, (uint32_t)seed)) {
		printf("  seed %llu: sim_init failed\n", (unsigned long long)seed);
		return false;
	}
	for (unsigned i = 0; i < NTABLES; i++) /* random initial tables */
		for (unsigned j = 0; j < 16; j++)
			sim_write(&M.s, table_gpa(i) + (uint64_t)rnd(512) * 8, 8,
			          random_entry(table_gpa(i)));
	op_mode();
	M.s.meddle = meddle;
	char buf[256];
	for (M.step = 0; M.step < ops && !M.failure; M.step++) {
		one_step();
		if (!M.failure && pool_audit(&M.s.pool, buf, sizeof(buf))) {
			snprintf(M.why, sizeof(M.why), "audit: %s", buf);
			M.failure = M.why;
		}
	}
	if (M.failure)
		printf("  seed %llu step %llu: %s\n  replay: shadow_model --seed %llu --ops %llu\n",
		       (unsigned long long)seed, (unsigned long long)M.step, M.failure,
		       (unsigned long long)seed, (unsigned long long)M.step);
	else if (verbose)
		printf("  seed %llu: %llu ops, %llu accesses, %llu shadow faults, %llu stepped "
		       "writes (%llu abandoned)\n",
		       (unsigned long long)seed, (unsigned long long)ops,
		       (unsigned long long)M.accesses, (unsigned long long)M.faults,
		       (unsigned long long)M.s.steps, (unsigned long long)M.s.steps_abandoned);
	bool ok = !M.failure;
	sim_destroy(&M.s);
	return ok;
}

int shadow_model_bad_input_tests(int *passed, int *failed);

int main(int argc, char **argv)
{
	uint64_t seed = 0, ops = 50000;
	bool one = false;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--seed"))
			seed = strtoull(argv[i + 1], 0, 0), one = true;
		else if (!strcmp(argv[i], "--ops"))
			ops = strtoull(argv[i + 1], 0, 0);
	}
	int passed = 0, failed = 0;
	if (one) {
		bool ok = run_seed(seed, ops, true);
		printf("%s: shadow_model/seed_%llu\n", ok ? "PASS" : "FAIL",
		       (unsigned long long)seed);
		ok ? passed++ : failed++;
	} else {
		shadow_model_bad_input_tests(&passed, &failed);
		static const uint64_t seeds[] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10,
		                                 11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
		uint64_t total = 0;
		for (unsigned i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
			bool ok = run_seed(seeds[i], ops, false);
			total += ops;
			printf("%s: shadow_model/seed_%llu\n", ok ? "PASS" : "FAIL",
			       (unsigned long long)seeds[i]);
			fflush(stdout);
			ok ? passed++ : failed++;
		}
		printf("  %llu operations in total\n", (unsigned long long)total);
	}
	printf("%d passed, %d failed\n", passed, failed);
	return (failed || passed == 0) ? 1 : 0;
}
