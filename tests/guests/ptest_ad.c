/* Accessed and dirty flags (SDM Vol. 3A §4.8): A is set in every entry used by a
 * translation, D in the entry that maps the page on a write; a faulting access leaves
 * the leaf entry's A/D alone; a non-leaf PDE's bit 6 is ignored and never written. */
#include "tests/guests/cpu.h"
#include "tests/guests/env.h"
#include "tests/guests/ptest.h"
#include "tests/guests/report.h"

#define AD (PTE_A | PTE_D)

/* 4-level: a VA under its own PML4E and PDPTE so their A flags start clear. */
#define AD_HIGH_VA (3ull << 39)

static uint64_t ad_of(uintptr_t entry)
{
	return pt_get(entry) & AD;
}

/* Clears A/D at every level of VA's walk (upper levels only where they have A). */
static void clear_walk(uintptr_t root, uint64_t va)
{
	for (int l = 1; l <= pt_levels(); l++) {
		if (pt_mode() == PG_MODE_PAE && l == 3)
			break;
		uintptr_t e = pt_entry(root, va, l, false);
		pt_set(e, pt_get(e) & ~AD);
	}
	invlpg((uintptr_t)va);
}

static void test_read_write(uint64_t va64)
{
	uintptr_t va = (uintptr_t)va64;
	uintptr_t frame = data_frame(200);
	pt_map(main_root, va64, frame, PTE_P | PTE_W);
	uintptr_t pte = pt_entry(main_root, va64, 1, false),
	          pde = pt_entry(main_root, va64, 2, false);
	clear_walk(main_root, va64);
	uint32_t v;
	probe_read32(va, &v);
	bool ok = ad_of(pte) == PTE_A && ad_of(pde) == PTE_A;
	uint64_t upper = 0;
	if (pt_mode() == PG_MODE_LONG) {
		uintptr_t pdpte = pt_entry(main_root, va64, 3, false);
		uintptr_t pml4e = pt_entry(main_root, va64, 4, false);
		upper = (pt_get(pdpte) & AD) | (pt_get(pml4e) & AD) << 8;
		ok &= upper == (PTE_A | PTE_A << 8);
	}
	report(ok, "ad: read sets A at every level and no D",
	       "PTE 0x%llx PDE 0x%llx upper A/D 0x%llx", (unsigned long long)pt_get(pte),
	       (unsigned long long)pt_get(pde), (unsigned long long)upper);

	clear_walk(main_root, va64);
	probe_write32(va, 1);
	report(ad_of(pte) == AD && ad_of(pde) == PTE_A,
	       "ad: write sets A and D in the PTE, only A in the PDE", "PTE 0x%llx PDE 0x%llx",
	       (unsigned long long)pt_get(pte), (unsigned long long)pt_get(pde));

	clear_walk(main_root, va64);
	probe_read32(va, &v);
	uint64_t after_read = ad_of(pte);
	probe_write32(va, 2); /* the cached entry is clean: the write must set D */
	report(after_read == PTE_A && ad_of(pte) == AD,
	       "ad: write after a read through a cached clean entry sets D",
	       "after read 0x%llx, after write 0x%llx", (unsigned long long)after_read,
	       (unsigned long long)ad_of(pte));

	pt_set(pte, pt_get(pte) & ~AD);
	invlpg(va);
	probe_read32(va, &v);
	report(ad_of(pte) == PTE_A, "ad: A set again after software cleared it + INVLPG",
	       "PTE 0x%llx", (unsigned long long)pt_get(pte));

	/* Faulting accesses: user read of a supervisor page, write to a read-only page. */
	pt_set(pte, frame | PTE_P);
	invlpg(va);
	bool f1 = user_read32(va, &v);
	bool f2 = probe_write32(va, 3);
	report(f1 && f2 && ad_of(pte) == 0, "ad: accesses that fault leave the PTE A/D clear",
	       "faults %d/%d PTE 0x%llx", f1, f2, (unsigned long long)pt_get(pte));
}

static void test_large(void)
{
	uintptr_t va = slot(SLOT_AD + 1);
	uint32_t size = (uint32_t)pt_page_size(2);
	uintptr_t big = frame_alloc_large(size);
	pt_map_large(main_root, va, big, PTE_P | PTE_W, 2);
	uintptr_t pde = pde_of(va);
	uint32_t v;
	probe_read32(va + size / 2, &v);
	uint64_t after_read = ad_of(pde);
	probe_write32(va + size - 4, 1);
	report(after_read == PTE_A && ad_of(pde) == AD,
	       "ad: large page: read sets A, write sets D in the PDE",
	       "after read 0x%llx, after write 0x%llx", (unsigned long long)after_read,
	       (unsigned long long)ad_of(pde));
}

void ptest_ad(void)
{
	test_read_write(pt_mode() == PG_MODE_LONG ? AD_HIGH_VA : slot(SLOT_AD));
	test_large();
}
