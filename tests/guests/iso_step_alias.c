/* guest-iso-step (f): many aliases of one page table under a read-only PDE, a CR0.WP = 0
 * store that crosses from a page already used into one never touched, then containment:
 * the guest's own pages read-only must fault on writes, and the 1 GiB it unmapped must
 * fault on reads, whatever the shadow pager built meanwhile (SDM Vol. 3A §4.6, §4.10). */
#include "tests/guests/cpu.h"
#include "tests/guests/env.h"
#include "tests/guests/frames.h"
#include "tests/guests/iso.h"
#include "tests/guests/iso_step.h"
#include "tests/guests/probe.h"
#include "tests/guests/pt.h"
#include "tests/guests/report.h"

#define ALIASES             512u
#define DATA_PAGES          8u
#define BLOCK_SIZE          (2u << 20)
#define BLOCK_PAGES         (BLOCK_SIZE / PAGE_SIZE)
#define SEED_BASE           100u
#define CROSS_QWORD         0x1122334455667788ull
#define STOSB_FILL          0x5bu
#define STOSB_LEN           32u
#define PROBE_STRIDE_SAMPLE (64u << 10) /* 16384 probes over 1 GiB; 4 KiB with "full" */

/* The block holds every page of the sequence: its PD, its page table, its data pages. */
struct alias_set {
	uintptr_t block, pd, pt;
	uintptr_t data[DATA_PAGES];
	uintptr_t pdpte;
};

static uintptr_t alias_va(unsigned alias, unsigned page)
{
	return STEP_ALIAS + (uintptr_t)alias * (2u << 20) + (uintptr_t)page * PAGE_SIZE;
}

static void build(uintptr_t root, struct alias_set *s)
{
	s->block = frame_alloc_large(BLOCK_SIZE);
	__builtin_memset((void *)s->block, 0, 2 * PAGE_SIZE);
	s->pd = s->block;
	s->pt = s->block + PAGE_SIZE;
	for (unsigned j = 0; j < DATA_PAGES; j++) {
		s->data[j] = s->block + (2 + j) * PAGE_SIZE;
		for (uint32_t i = 0; i < PAGE_SIZE / 4; i++)
			((volatile uint32_t *)s->data[j])[i] = step_pattern(SEED_BASE + j, i);
		((volatile uint64_t *)s->pt)[j] = s->data[j] | PTE_RW_USER;
	}
	/* Every PDE read-only (R/W = 0) above writable PTEs. */
	for (unsigned i = 0; i < ALIASES; i++)
		((volatile uint64_t *)s->pd)[i] = s->pt | PTE_P | PTE_U;
	s->pdpte = pt_entry(root, STEP_ALIAS, 3, true);
	pt_set(s->pdpte, s->pd | PTE_RW_USER);
	flush_tlb_nonglobal();
	report_info("alias: PD 0x%lx, page table 0x%lx, data 0x%lx.., 512 PDEs (R/W = 0) at "
	            "0x%lx all -> that page table",
	            (unsigned long)s->pd, (unsigned long)s->pt, (unsigned long)s->data[0],
	            STEP_ALIAS);
}

/* Touches the even data pages through every alias; the odd ones stay untouched. */
static void touch_aliases(void)
{
	uint32_t bad = 0, reads = 0;
	uintptr_t bad_va = 0;
	for (unsigned i = 0; i < ALIASES; i++) {
		for (unsigned j = 0; j < DATA_PAGES; j += 2) {
			uint32_t v = 0;
			bool f = probe_read32(alias_va(i, j) + 4 * j, &v);
			reads++;
			if (f || v != step_pattern(SEED_BASE + j, j)) {
				bad++;
				bad_va = alias_va(i, j);
			}
		}
	}
	report_info("alias: read %u times, pages 0, 2, 4, 6 through every alias", reads);
	report(!bad, "alias: 512 PDEs on one page table read its frames through every alias",
	       "%u of %u reads wrong, last at 0x%lx", bad, reads, (unsigned long)bad_va);
}

static uint8_t byte_at(uintptr_t frame, uint32_t off)
{
	return ((volatile uint8_t *)frame)[off];
}

/* Supervisor stores allowed only by CR0.WP = 0 (the PDE is read-only), each crossing
 * from a touched page into the next, present but never touched. */
static void cross_stores(const struct alias_set *s)
{
	uintptr_t va = alias_va(300, 0) + PAGE_SIZE - 4;
	uintptr_t dst = alias_va(511, 2) + PAGE_SIZE - STOSB_LEN / 2, n = STOSB_LEN;
	iso_arm();
	set_wp(false);
	__asm__ volatile("1: movq %1, (%0)\n2:\n" FIXUP("1b", "2b")
	                 :
	                 : "r"(va), "r"(CROSS_QWORD)
	                 : "memory");
	__asm__ volatile("1: rep stosb\n2:\n" FIXUP("1b", "2b")
	                 : "+D"(dst), "+c"(n)
	                 : "a"(STOSB_FILL)
	                 : "memory");
	set_wp(true);
	uint32_t lo = ((volatile uint32_t *)s->data[0])[1023];
	uint32_t hi = ((volatile uint32_t *)s->data[1])[0];
	bool stos = true;
	for (uint32_t i = 0; i < STOSB_LEN / 2; i++)
		stos &= byte_at(s->data[2], PAGE_SIZE - STOSB_LEN / 2 + i) == STOSB_FILL &&
		        byte_at(s->data[3], i) == STOSB_FILL;
	/* The bytes right after each store keep their pattern. */
	bool untouched = ((volatile uint32_t *)s->data[1])[1] == step_pattern(SEED_BASE + 1, 1) &&
	                 ((volatile uint32_t *)s->data[3])[STOSB_LEN / 8] ==
	                     step_pattern(SEED_BASE + 3, STOSB_LEN / 8);
	report_info("alias: CR0.WP = 0: movq at 0x%lx, rep stosb of %u bytes at 0x%lx",
	            (unsigned long)va, STOSB_LEN,
	            (unsigned long)(alias_va(511, 2) + PAGE_SIZE - STOSB_LEN / 2));
	report(!last_fault.taken && lo == (uint32_t)CROSS_QWORD &&
	           hi == (uint32_t)(CROSS_QWORD >> 32) && stos && untouched,
	       "alias: CR0.WP = 0 stores crossing into a never-touched page land where the "
	       "tables say",
	       "fault %d (vector %u CR2 0x%lx), qword halves 0x%x/0x%x, stosb %d, neighbours %d",
	       last_fault.taken, last_fault.vector, (unsigned long)last_fault.cr2, lo, hi, stos,
	       untouched);
}

/* With CR0.WP = 1 the read-only PDE holds again, through every alias and page. */
static void wp1_stores_fault(const struct alias_set *s)
{
	static const unsigned aliases[] = {0, 300, 511};
	uint32_t bad = 0;
	for (unsigned a = 0; a < 3; a++) {
		for (unsigned j = 0; j < 4; j++) {
			uintptr_t va = alias_va(aliases[a], j) + 8;
			bool f = probe_write32(va, 0xdeadbeef);
			bad += !f || !fault_is(VEC_PF, PF_P | PF_W, va);
		}
	}
	bool kept = ((volatile uint32_t *)s->data[1])[2] == step_pattern(SEED_BASE + 1, 2);
	report(!bad && kept,
	       "alias: with CR0.WP = 1 stores through the read-only PDE fault (#PF 0x3) in every "
	       "alias",
	       "%u of 12 stores did not fault as #PF 0x3 (last vector %u error 0x%x), data kept %d",
	       bad, last_fault.vector, last_fault.error, kept);
}

/* The guest's own pages of the sequence (the whole block) read-only: every store faults,
 * every read sees the data. */
static void block_read_only(uintptr_t root, const struct alias_set *s)
{
	uintptr_t pde = pt_entry(root, s->block, 2, false);
	uint64_t saved = pt_get(pde);
	pt_set(pde, saved & ~PTE_W);
	flush_tlb_nonglobal();
	uint32_t bad_w = 0, bad_r = 0;
	for (uint32_t p = 0; p < BLOCK_PAGES; p++) {
		uintptr_t va = s->block + p * PAGE_SIZE;
		uint32_t before = ((volatile uint32_t *)va)[3], v = 0;
		bool f = probe_write32(va + 12, ~before);
		bad_w += !f || !fault_is(VEC_PF, PF_P | PF_W, va + 12);
		bad_r += probe_read32(va + 12, &v) || v != before;
	}
	pt_set(pde, saved);
	flush_tlb_nonglobal();
	report_info("contain: block 0x%lx..0x%lx (PD, page table, data) mapped read-only, one "
	            "store and one read per page",
	            (unsigned long)s->block, (unsigned long)(s->block + BLOCK_SIZE));
	report(!bad_w && !bad_r,
	       "contain: the sequence's own pages read-only: every store faults (#PF 0x3), reads "
	       "unchanged",
	       "%u stores not #PF 0x3, %u reads wrong (of %u pages)", bad_w, bad_r, BLOCK_PAGES);
}

/* The 1 GiB of aliases unmapped (PDPTE cleared, CR3 reloaded): every read must fault as
 * not present, at its own address. */
static void unmapped_reads_fault(const struct alias_set *s)
{
	pt_set(s->pdpte, 0);
	flush_tlb_nonglobal();
	uint32_t stride = env.full ? PAGE_SIZE : PROBE_STRIDE_SAMPLE, probes = 0, bad = 0;
	uintptr_t bad_va = 0;
	for (uintptr_t off = 0; off < (1ul << 30); off += stride) {
		unsigned pages = !env.full && off % (2u << 20) == 0 ? DATA_PAGES : 1;
		for (unsigned j = 0; j < pages; j++) {
			uintptr_t va = STEP_ALIAS + off + j * PAGE_SIZE;
			uint32_t x;
			bool f = probe_read32(va, &x);
			probes++;
			if (!f || !fault_is(VEC_PF, 0, va)) {
				bad++;
				bad_va = va;
			}
		}
	}
	report_info("contain: 1 GiB at 0x%lx unmapped, %u reads (every %u KiB, and pages 0-7 of "
	            "each former alias)",
	            STEP_ALIAS, probes, stride >> 10);
	report(!bad, "contain: every read of the unmapped 1 GiB faults (#PF 0x0 at its address)",
	       "%u of %u reads did not (last 0x%lx: vector %u error 0x%x CR2 0x%lx)", bad, probes,
	       (unsigned long)bad_va, last_fault.vector, last_fault.error,
	       (unsigned long)last_fault.cr2);
}

void step_alias_tests(uintptr_t root)
{
	struct alias_set s;
	build(root, &s);
	touch_aliases();
	cross_stores(&s);
	wp1_stores_fault(&s);
	block_read_only(root, &s);
	unmapped_reads_fault(&s);
}
