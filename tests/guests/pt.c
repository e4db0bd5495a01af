/* Generic walker/builder for the three paging formats: entry width 4 bytes with 10 index
 * bits per level (32-bit paging) or 8 bytes with 9 bits (PAE: 2 bits at the PDPT). */
#include "tests/guests/pt.h"

#include "tests/guests/cpu.h"
#include "tests/guests/env.h"
#include "tests/guests/frames.h"
#include "tests/guests/report.h"

static enum pg_mode mode;

void pt_set_mode(enum pg_mode m)
{
	mode = m;
}

enum pg_mode pt_mode(void)
{
	return mode;
}

const char *pt_mode_name(void)
{
	static const char *const names[] = {"32-bit", "PAE", "4-level"};
	return names[mode];
}

int pt_levels(void)
{
	return mode == PG_MODE_32 ? 2 : mode == PG_MODE_PAE ? 3 : 4;
}

static unsigned index_bits(void)
{
	return mode == PG_MODE_32 ? 10 : 9;
}

unsigned pt_shift(int level)
{
	return 12 + (unsigned)(level - 1) * index_bits();
}

uint64_t pt_page_size(int level)
{
	return 1ull << pt_shift(level);
}

static unsigned entry_size(void)
{
	return mode == PG_MODE_32 ? 4 : 8;
}

static unsigned pt_index(uint64_t va, int level)
{
	unsigned mask = (1u << index_bits()) - 1;
	if (mode == PG_MODE_PAE && level == 3)
		mask = 3; /* the PAE PDPT has 4 entries */
	return (unsigned)(va >> pt_shift(level)) & mask;
}

uint64_t pt_addr_mask(void)
{
	if (mode == PG_MODE_32)
		return 0xfffff000ull;
	return ((1ull << env.maxphyaddr) - 1) & ~0xfffull;
}

uint64_t pt_get(uintptr_t entry)
{
	if (mode == PG_MODE_32)
		return *(volatile uint32_t *)entry;
	return *(volatile uint64_t *)entry;
}

void pt_set(uintptr_t entry, uint64_t val)
{
	if (mode == PG_MODE_32)
		*(volatile uint32_t *)entry = (uint32_t)val;
	else
		*(volatile uint64_t *)entry = val;
}

uint64_t pt_table_flags(int level)
{
	/* PAE PDPTEs have no R/W, U/S or A bits: they are reserved (SDM §4.4.1 Table 4-8). */
	if (mode == PG_MODE_PAE && level == 3)
		return PTE_P;
	return PTE_RW_USER;
}

uintptr_t pt_entry(uintptr_t root, uint64_t va, int level, bool create)
{
	uintptr_t table = root;
	for (int l = pt_levels(); l > level; l--) {
		uintptr_t e = table + pt_index(va, l) * entry_size();
		uint64_t v = pt_get(e);
		if (!(v & PTE_P) || (v & PTE_PS)) {
			if (!create)
				return 0;
			v = frame_alloc() | pt_table_flags(l);
			pt_set(e, v);
		}
		table = (uintptr_t)(v & pt_addr_mask());
	}
	return table + pt_index(va, level) * entry_size();
}

void pt_map(uintptr_t root, uint64_t va, uint64_t pa, uint64_t flags)
{
	pt_set(pt_entry(root, va, 1, true), pa | flags);
	invlpg((uintptr_t)va);
}

void pt_map_large(uintptr_t root, uint64_t va, uint64_t pa, uint64_t flags, int level)
{
	pt_set(pt_entry(root, va, level, true), pa | flags | PTE_PS);
	invlpg((uintptr_t)va);
}

uintptr_t pt_new_root(void)
{
	uintptr_t root = frame_alloc();
	if (mode == PG_MODE_PAE) {
		/* All four PDPTEs exist from the start: PDPTEs are loaded only at CR3 load. */
		for (uint64_t i = 0; i < 4; i++)
			pt_entry(root, i << 30, 2, true);
	}
	uint64_t large = pt_page_size(2);
	uint64_t end = ((uint64_t)frames_usable_end() + large - 1) & ~(large - 1);
	for (uint64_t pa = 0; pa < end; pa += large)
		pt_set(pt_entry(root, pa, 2, true), pa | PTE_RW_USER | PTE_PS);
	return root;
}

uintptr_t pt_current_root(void)
{
	return read_cr3() & ~0xffful;
}

void set_wp(bool on)
{
	unsigned long cr0 = read_cr0();
	write_cr0(on ? cr0 | CR0_WP : cr0 & ~CR0_WP);
}

void set_nxe(bool on)
{
	uint64_t efer = rdmsr(MSR_EFER);
	wrmsr(MSR_EFER, on ? efer | EFER_NXE : efer & ~EFER_NXE);
}

void paging_enable(uintptr_t root)
{
	unsigned long cr4 = read_cr4() | CR4_PSE;
	if (mode != PG_MODE_32)
		cr4 |= CR4_PAE;
	else
		cr4 &= ~CR4_PAE;
	write_cr4(cr4);
	if (mode != PG_MODE_32 && env.nx)
		set_nxe(true);
	write_cr3(root);
	write_cr0(read_cr0() | CR0_PG | CR0_WP);
}
