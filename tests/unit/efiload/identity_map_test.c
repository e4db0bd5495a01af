/* The kernel's first page tables (boot/efi/identity_map.c), walked like the CPU would. */
#include "boot/efi/identity_map.h"
#include "arch/x86/paging.h"
#include "tests/unit/harness.h"

#define PHYS 0x7f000000ULL /* where the tables pretend to live */

static _Alignas(4096) uint64_t tables[IDMAP_PAGES * PT_ENTRIES];

static uint64_t *table_at(uint64_t pa)
{
	if (pa < PHYS || pa >= PHYS + sizeof(tables) || (pa & 0xfff))
		return NULL;
	return tables + (pa - PHYS) / 8;
}

/* 4-level walk to a 2 MiB page (SDM Vol. 3A 4.5); returns the physical address or ~0. */
static uint64_t walk(uint64_t cr3, uint64_t va)
{
	uint64_t *pml4 = table_at(cr3 & PTE_ADDR_MASK);
	if (!pml4)
		return ~0ULL;
	uint64_t e = pml4[(va >> 39) & 511];
	if (!(e & PTE_P) || !(e & PTE_W))
		return ~0ULL;
	uint64_t *pdpt = table_at(e & PTE_ADDR_MASK);
	if (!pdpt)
		return ~0ULL;
	e = pdpt[(va >> 30) & 511];
	if (!(e & PTE_P) || (e & PTE_PS) || !(e & PTE_W))
		return ~0ULL;
	uint64_t *pd = table_at(e & PTE_ADDR_MASK);
	if (!pd)
		return ~0ULL;
	e = pd[(va >> 21) & 511];
	if (!(e & PTE_P) || !(e & PTE_PS) || !(e & PTE_W) || (e & PTE_NX))
		return ~0ULL;
	return (e & PTE_ADDR_MASK & ~(LARGE_PAGE_SIZE - 1)) | (va & (LARGE_PAGE_SIZE - 1));
}

TEST(low_4g_identity_mapped)
{
	memset(tables, 0xee, sizeof(tables));
	uint64_t cr3 = identity_map_build(tables, PHYS);

	CHECK_EQ(cr3, PHYS);
	for (uint64_t va = 0; va < 0x100000000ULL; va += 0x1fff123)
		if (walk(cr3, va) != va) {
			printf("  va 0x%llx -> 0x%llx\n", (unsigned long long)va,
			       (unsigned long long)walk(cr3, va));
			CHECK(0);
			return;
		}
	CHECK_EQ(walk(cr3, 0xffffffffULL), 0xffffffffULL);
	CHECK_EQ(walk(cr3, 0x200040), 0x200040);
}

TEST(nothing_above_4g)
{
	memset(tables, 0xee, sizeof(tables));
	uint64_t cr3 = identity_map_build(tables, PHYS);

	CHECK_EQ(walk(cr3, 0x100000000ULL), ~0ULL);
	CHECK_EQ(walk(cr3, 0x8000000000ULL), ~0ULL);
	CHECK_EQ(walk(cr3, 0xffff888000000000ULL), ~0ULL);
	/* Unused entries are zero, not left-over junk. */
	CHECK_EQ(tables[1], 0);
	CHECK_EQ(tables[PT_ENTRIES + IDMAP_GIB], 0);
}
