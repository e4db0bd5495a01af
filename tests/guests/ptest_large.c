/* Large pages: 4 MiB (32-bit paging with CR4.PSE), 2 MiB (PAE, 4-level), 1 GiB
 * (4-level with CPUID pdpe1gb) (SDM Vol. 3A §4.3-§4.5). */
#include "tests/guests/cpu.h"
#include "tests/guests/env.h"
#include "tests/guests/ptest.h"
#include "tests/guests/report.h"

#define GIB_VA (2ull << 39) /* PML4 entry 2 */

static volatile uint32_t known_word = 0x1a2b3c4d;

static void test_translation(uintptr_t va, uintptr_t big, uint32_t size)
{
	const uint32_t offs[4] = {0, PAGE_SIZE, size / 2 + 0x124, size - 4};
	for (int i = 0; i < 4; i++)
		*(volatile uint32_t *)(big + offs[i]) = pattern(400, (uint32_t)i);
	pt_map_large(main_root, va, big, PTE_P | PTE_W, 2);
	int bad = -1;
	uint32_t v = 0;
	for (int i = 0; i < 4 && bad < 0; i++)
		if (probe_read32(va + offs[i], &v) || v != pattern(400, (uint32_t)i))
			bad = i;
	report(bad < 0,
	       pt_mode() == PG_MODE_32 ? "large: 4 MiB page translation at four offsets"
	                               : "large: 2 MiB page translation at four offsets",
	       "offset 0x%x reads 0x%x", bad >= 0 ? offs[bad] : 0, v);
}

/* The large page is replaced by a page table of 4 KiB pages; INVLPG of each address
 * checked guarantees the new translation there. */
static void test_split(uintptr_t va)
{
	uintptr_t table = frame_alloc();
	uintptr_t f[4];
	for (uint32_t i = 0; i < 4; i++) {
		f[i] = data_frame(410 + i);
		pt_set(table + i * (pt_mode() == PG_MODE_32 ? 4 : 8), f[i] | PTE_P | PTE_W);
	}
	pt_set(pde_of(va), table | PTE_RW_USER);
	bool ok = true;
	for (uint32_t i = 0; i < 4; i++) {
		invlpg(va + i * PAGE_SIZE);
		ok &= reads_seed(va + i * PAGE_SIZE, 410 + i);
	}
	report(ok,
	       pt_mode() == PG_MODE_32
	           ? "large: 4 MiB page replaced by a 4 KiB page table + INVLPG"
	           : "large: 2 MiB page replaced by a 4 KiB page table + INVLPG",
	       "fault %d", last_fault.taken);
}

static void test_1g(void)
{
	if (pt_mode() != PG_MODE_LONG)
		return;
	const char *name = "large: 1 GiB page maps guest-physical 0 (reads and writes RAM)";
	if (!env.pdpe1gb) {
		report_skip(name, "CPUID has no pdpe1gb");
		return;
	}
	pt_map_large(main_root, GIB_VA, 0, PTE_P | PTE_W, 3);
	uintptr_t alias = (uintptr_t)(GIB_VA + (uintptr_t)&known_word);
	uint32_t v = 0;
	bool f = probe_read32(alias, &v);
	bool f2 = probe_write32(alias, 0x600d1619);
	report(!f && !f2 && v == 0x1a2b3c4d && known_word == 0x600d1619, name,
	       "faults %d/%d read 0x%x, word now 0x%x", f, f2, v, known_word);
}

void ptest_large(void)
{
	uintptr_t va = slot(SLOT_LARGE);
	uint32_t size = (uint32_t)pt_page_size(2);
	test_translation(va, frame_alloc_large(size), size);
	test_split(va);
	test_1g();
}
