/*
 * The kernel page tables (Intel SDM Vol. 3A §4.5). Page-table frames come
 * from the frame allocator; until the new tables are live they are reached
 * through the boot identity map, so they must lie below 4 GiB.
 */
#include "mm/directmap.h"
#include "arch/x86/cpu.h"
#include "arch/x86/cr.h"
#include "arch/x86/paging.h"
#include "mm/frame.h"

#define IDENTITY_LIMIT 0x100000000ull /* what the boot page tables map */

static uint64_t mapped_bytes;
static int use_1g;

static uint64_t *table_at(uint64_t phys)
{
	return (uint64_t *)(uintptr_t)phys; /* identity mapped below 4 GiB */
}

static uint64_t new_table(struct frame_allocator *fa)
{
	uint64_t phys = frame_alloc(fa);
	if (!phys || phys + PAGE_SIZE > IDENTITY_LIMIT)
		return 0;
	__builtin_memset(table_at(phys), 0, PAGE_SIZE);
	return phys;
}

/*
 * Map physical [pa, pa + bytes) at va with 2 MiB or 1 GiB pages. The range
 * lies within one PDPT (512 GiB), so va and pa advance together.
 */
static int map_in_pdpt(struct frame_allocator *fa, uint64_t *pdpt, uint64_t va, uint64_t pa,
                       uint64_t bytes, uint64_t flags, int huge)
{
	for (uint64_t off = 0; off < bytes; off += HUGE_PAGE_SIZE) {
		uint64_t entry;
		if (huge) {
			entry = (pa + off) | flags | PTE_PS;
		} else {
			uint64_t pd = new_table(fa);
			if (!pd)
				return -1;
			for (uint64_t i = 0; i < PT_ENTRIES; i++)
				table_at(pd)[i] = (pa + off + i * LARGE_PAGE_SIZE) | flags | PTE_PS;
			entry = pd | PTE_P | PTE_W;
		}
		pdpt[pt_index(va + off, 3)] = entry;
	}
	return 0;
}

/* Map physical [0, bytes) at va_base; one PDPT per 512 GiB. */
static int map_range(struct frame_allocator *fa, uint64_t *pml4, uint64_t va_base, uint64_t bytes,
                     uint64_t flags, int huge)
{
	const uint64_t per_pdpt = (uint64_t)PT_ENTRIES * HUGE_PAGE_SIZE;

	for (uint64_t off = 0; off < bytes; off += per_pdpt) {
		uint64_t chunk = bytes - off < per_pdpt ? bytes - off : per_pdpt;
		uint64_t pdpt = new_table(fa);
		if (!pdpt)
			return -1;
		pml4[pt_index(va_base + off, 4)] = pdpt | PTE_P | PTE_W;
		if (map_in_pdpt(fa, table_at(pdpt), va_base + off, off, chunk, flags, huge))
			return -1;
	}
	return 0;
}

static int cpu_has_1g_pages(void)
{
	if (cpuid(0x80000000, 0).eax < 0x80000001)
		return 0;
	return (cpuid(0x80000001, 0).edx & CPUID80000001_EDX_PDPE1GB) != 0;
}

int directmap_init(struct frame_allocator *fa, uint64_t max_phys)
{
	uint64_t bytes = (max_phys + HUGE_PAGE_SIZE - 1) & ~(HUGE_PAGE_SIZE - 1);
	uint64_t pml4 = new_table(fa);

	if (!pml4)
		return -1;
	use_1g = cpu_has_1g_pages();
	/* Identity map of the low 4 GiB: the kernel image runs there. */
	if (map_range(fa, table_at(pml4), 0, IDENTITY_LIMIT, PTE_P | PTE_W, 0))
		return -1;
	if (map_range(fa, table_at(pml4), DIRECT_MAP_BASE, bytes, PTE_P | PTE_W | PTE_NX, use_1g))
		return -1;
	mapped_bytes = bytes;
	write_cr3(pml4);
	return 0;
}

uint64_t directmap_size(void)
{
	return mapped_bytes;
}

int directmap_uses_1g_pages(void)
{
	return use_1g;
}
