/* Translation after map, unmap and remap; INVLPG and CR3-reload semantics (SDM Vol. 3A
 * §4.10.4.1: after INVLPG of an address or a CR3 load, the new entries are used). */
#include "tests/guests/cpu.h"
#include "tests/guests/ptest.h"
#include "tests/guests/report.h"

#define MAP_PAGES 64
#define HIGH_VA   0x0000123456789000ull /* 4-level only: above 4 GiB */

static uintptr_t frames[MAP_PAGES];

static void test_fresh_mappings(uintptr_t va)
{
	for (uint32_t i = 0; i < MAP_PAGES; i++) {
		frames[i] = data_frame(i);
		pt_map(main_root, va + i * PAGE_SIZE, frames[i], PTE_P | PTE_W);
	}
	uint32_t bad = MAP_PAGES, seen = 0;
	for (uint32_t i = 0; i < MAP_PAGES && bad == MAP_PAGES; i++) {
		uint32_t last;
		if (!reads_seed(va + i * PAGE_SIZE, i) ||
		    probe_read32(va + i * PAGE_SIZE + 4092, &last) || last != pattern(i, 1))
			bad = i;
	}
	if (bad < MAP_PAGES)
		probe_read32(va + bad * PAGE_SIZE, &seen);
	report(bad == MAP_PAGES, "map: 64 fresh 4 KiB mappings read their own frames",
	       "page %u reads 0x%x, expected 0x%x", bad, seen, pattern(bad, 0));

	for (uint32_t i = 0; i < MAP_PAGES; i++)
		probe_write32(va + i * PAGE_SIZE + 8, 0xa0000000u + i);
	bad = MAP_PAGES;
	for (uint32_t i = 0; i < MAP_PAGES && bad == MAP_PAGES; i++)
		if (((volatile uint32_t *)frames[i])[2] != 0xa0000000u + i)
			bad = i;
	report(bad == MAP_PAGES, "map: writes through the mappings land in the right frames",
	       "frame of page %u holds 0x%x", bad,
	       bad < MAP_PAGES ? ((volatile uint32_t *)frames[bad])[2] : 0);
}

static void test_unmap(uintptr_t va)
{
	uint32_t v;
	pt_set(pte_of(va), 0);
	invlpg(va);
	bool f = probe_read32(va, &v);
	report_pf("unmap: read after PTE cleared + INVLPG (#PF 0x0)", f, 0, va);
	f = probe_write32(va, 1);
	report_pf("unmap: write after PTE cleared + INVLPG (#PF 0x2)", f, PF_W, va);
}

static void test_remap(uintptr_t va)
{
	uintptr_t a = va + 1 * PAGE_SIZE, b = va + 2 * PAGE_SIZE;
	reads_seed(a, 1); /* get the old translations cached */
	reads_seed(b, 2);
	pt_set(pte_of(a), frames[5] | PTE_P | PTE_W);
	invlpg(a);
	uint32_t v = 0;
	probe_read32(a, &v);
	report(v == pattern(5, 0), "remap: PTE changed + INVLPG reads the new frame",
	       "read 0x%x, expected 0x%x (old 0x%x)", v, pattern(5, 0), pattern(1, 0));

	pt_set(pte_of(b), frames[6] | PTE_P | PTE_W);
	flush_tlb_nonglobal();
	probe_read32(b, &v);
	report(v == pattern(6, 0), "remap: PTE changed + CR3 reload reads the new frame",
	       "read 0x%x, expected 0x%x (old 0x%x)", v, pattern(6, 0), pattern(2, 0));

	/* The whole page table goes: INVLPG also drops paging-structure caches. */
	uintptr_t c = va + 3 * PAGE_SIZE;
	reads_seed(c, 3);
	uintptr_t pde = pde_of(va);
	uint64_t saved = pt_get(pde);
	pt_set(pde, 0);
	invlpg(c);
	bool f = probe_read32(c, &v);
	report_pf("unmap: PDE cleared + INVLPG (#PF 0x0)", f, 0, c);
	pt_set(pde, saved);
	invlpg(c);
	report(reads_seed(c, 3), "remap: PDE restored + INVLPG reads the old frame again",
	       "vector %u", last_fault.vector);
}

/* A page table written through a virtual alias (as OSes do), not the identity map. */
static void test_alias(void)
{
	uintptr_t va = slot(SLOT_ALIAS), alias = slot(SLOT_ALIAS + 1);
	pt_map(main_root, va, frames[10], PTE_P | PTE_W);
	reads_seed(va, 10);
	uintptr_t pte = pte_of(va);
	uintptr_t table = pte & ~(uintptr_t)(PAGE_SIZE - 1);
	pt_map(main_root, alias, table, PTE_P | PTE_W);
	uintptr_t pte_alias = alias + (pte - table);
	uint64_t val = frames[11] | PTE_P | PTE_W;
	bool f = probe_write32(pte_alias, (uint32_t)val);
	if (pt_mode() != PG_MODE_32)
		f |= probe_write32(pte_alias + 4, (uint32_t)(val >> 32));
	invlpg(va);
	report(!f && reads_seed(va, 11),
	       "remap: PTE written through a virtual alias of its table + INVLPG",
	       "PTE 0x%llx, read fault %d", (unsigned long long)pt_get(pte), last_fault.taken);
}

static void test_high_va(void)
{
	if (pt_mode() != PG_MODE_LONG)
		return;
	pt_map(main_root, HIGH_VA, frames[12], PTE_P | PTE_W);
	report(reads_seed((uintptr_t)HIGH_VA, 12), "map: virtual address above 4 GiB",
	       "fault %d vector %u", last_fault.taken, last_fault.vector);
}

void ptest_map(void)
{
	uintptr_t va = slot(SLOT_MAP);
	test_fresh_mappings(va);
	test_remap(va);
	test_unmap(va);
	test_alias();
	test_high_va();
}
