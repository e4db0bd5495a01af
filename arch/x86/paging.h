/*
 * Page-table entry bits for 4-level paging (Intel SDM Vol. 3A §4.5, tables
 * 4-14 to 4-20). Shared with assembly.
 */
#ifndef ARCH_X86_PAGING_H
#define ARCH_X86_PAGING_H

#define PTE_P        (1 << 0) /* present */
#define PTE_W        (1 << 1) /* writable */
#define PTE_U        (1 << 2) /* user */
#define PTE_PWT      (1 << 3) /* write-through */
#define PTE_PCD      (1 << 4) /* cache disable */
#define PTE_A        (1 << 5) /* accessed */
#define PTE_D        (1 << 6) /* dirty */
#define PTE_PS       (1 << 7) /* large page (PDE, PDPTE) */
#define PTE_G        (1 << 8) /* global */
#define PTE_NX_SHIFT 63       /* execute disable, needs EFER.NXE */

#define PT_ENTRIES      512
#define PAGE_SHIFT      12
#define LARGE_PAGE_SIZE 0x200000   /* 2 MiB */
#define HUGE_PAGE_SIZE  0x40000000 /* 1 GiB */

#ifndef __ASSEMBLER__
#include <stdint.h>

#define PTE_NX        ((uint64_t)1 << PTE_NX_SHIFT)
#define PTE_ADDR_MASK 0x000ffffffffff000ull

static inline uint32_t pt_index(uint64_t va, int level)
{
	/* level 1 = PT, 2 = PD, 3 = PDPT, 4 = PML4 */
	return (uint32_t)(va >> (PAGE_SHIFT + 9 * (level - 1))) & (PT_ENTRIES - 1);
}

static inline uint64_t pte_addr(uint64_t pte)
{
	return pte & PTE_ADDR_MASK;
}
#endif

#endif
