/* The kernel's first page tables: see boot/efi/identity_map.h. */
#include "boot/efi/identity_map.h"

#include "arch/x86/paging.h"

#define TABLE_BYTES (PT_ENTRIES * sizeof(uint64_t))

_Static_assert(TABLE_BYTES == 4096, "a paging structure fills one 4 KiB page");
_Static_assert(IDMAP_GIB <= PT_ENTRIES, "one PDPT maps at most 512 GiB");

uint64_t identity_map_build(uint64_t *tables, uint64_t phys)
{
	uint64_t *pml4 = tables, *pdpt = tables + PT_ENTRIES;
	uint64_t pdpt_phys = phys + TABLE_BYTES;

	__builtin_memset(tables, 0, IDMAP_PAGES * TABLE_BYTES);
	pml4[0] = pdpt_phys | PTE_P | PTE_W;
	for (uint64_t gib = 0; gib < IDMAP_GIB; gib++) {
		uint64_t *pd = tables + (2 + gib) * PT_ENTRIES;
		pdpt[gib] = (phys + (2 + gib) * TABLE_BYTES) | PTE_P | PTE_W;
		for (uint64_t i = 0; i < PT_ENTRIES; i++)
			pd[i] =
			    (gib * HUGE_PAGE_SIZE + i * LARGE_PAGE_SIZE) | PTE_P | PTE_W | PTE_PS;
	}
	return phys;
}
