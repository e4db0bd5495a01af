/* The PAE tree both TLB guests build at the same guest-physical address (SDM Vol. 3A §4.4:
 * four PDPTEs loaded at CR3 load, 2 MiB PDEs, 4 KiB PTEs), and the zero check of L. */
#include "tests/guests/iso_tlb.h"

#include "tests/guests/cpu.h"
#include "tests/guests/env.h"
#include "tests/guests/frames.h"
#include "tests/guests/pt.h"
#include "tests/guests/report.h"

#define LARGE_PAGE (2u << 20)
#define PD_ENTRIES 512u

extern char _end[];

static volatile uint64_t *table(unsigned n)
{
	return (volatile uint64_t *)(uintptr_t)(TLB_TABLES + n * PAGE_SIZE);
}

/* Page 0: PDPT; pages 1-4: the PDs of the four GiBs; page 5: the page table of L. */
#define TLB_PDPT 0
#define TLB_PD0  1
#define TLB_PT   5

static bool layout_fits(void)
{
	bool ok = env.ram_end >= TLB_RAM_NEED && (uintptr_t)_end <= TLB_TABLES &&
	          env.mb_data_end <= TLB_TABLES;
	for (uint32_t i = 0; i < env.mod_count && i < ENV_MAX_MODULES; i++)
		ok &= env.mods[i].end <= TLB_TABLES || env.mods[i].start >= TLB_RAM_NEED;
	return report(ok, "setup: RAM reaches 0x4040000, image and multiboot data below 0x3000000",
	              "RAM end 0x%llx, image end 0x%lx, multiboot data end 0x%lx",
	              (unsigned long long)env.ram_end, (unsigned long)_end,
	              (unsigned long)env.mb_data_end);
}

bool tlb_build(uint32_t target)
{
	if (!layout_fits())
		return false;
	for (unsigned n = 0; n <= TLB_PT; n++)
		for (unsigned i = 0; i < PD_ENTRIES; i++)
			table(n)[i] = 0;
	/* PAE PDPTEs carry P only: R/W and U/S are reserved there (SDM §4.4.1 Table 4-8). */
	for (unsigned g = 0; g < 4; g++)
		table(TLB_PDPT)[g] = (TLB_TABLES + (TLB_PD0 + g) * PAGE_SIZE) | PTE_P;
	uint64_t ram = env.ram_end < (1ull << 30) ? env.ram_end : (1ull << 30);
	for (uint32_t i = 0; i < ram / LARGE_PAGE; i++)
		table(TLB_PD0)[i] = (uint64_t)i * LARGE_PAGE | PTE_P | PTE_W | PTE_PS;
	table(TLB_PD0)[TLB_L / LARGE_PAGE] = (TLB_TABLES + TLB_PT * PAGE_SIZE) | PTE_P | PTE_W;
	for (uint32_t p = 0; p < TLB_PAGES; p++)
		table(TLB_PT)[p] = (uint64_t)(target + p * PAGE_SIZE) | PTE_P | PTE_W;
	return true;
}

void tlb_paging_on(void)
{
	write_cr4(read_cr4() | CR4_PAE);
	write_cr3(TLB_TABLES);
	write_cr0(read_cr0() | CR0_PG | CR0_WP);
}

void tlb_scan(uintptr_t base, struct tlb_scan *s)
{
	for (uint32_t p = 0; p < TLB_PAGES; p++) {
		const volatile uint32_t *w = (const volatile uint32_t *)(base + p * PAGE_SIZE);
		uint32_t or_words = 0, secret = 0;
		for (uint32_t i = 0; i < PAGE_SIZE / 4; i++) {
			or_words |= w[i];
			secret += tlb_is_secret(w[i]);
		}
		s->or_words[p] = or_words;
		s->secret_words[p] = secret;
	}
}

void tlb_report_zero(const char *name, const struct tlb_scan *s)
{
	uint32_t nonzero = 0, secret = 0, first = TLB_PAGES;
	for (uint32_t p = 0; p < TLB_PAGES; p++) {
		nonzero += s->or_words[p] != 0;
		secret += s->secret_words[p];
		if (s->or_words[p] && first == TLB_PAGES)
			first = p;
	}
	if (secret)
		report_fail(name, "guest A's secret pattern: %u words; %u of %u pages not zero",
		            secret, nonzero, TLB_PAGES);
	else
		report(!nonzero, name, "%u of %u pages not zero, first page %u (OR 0x%x)", nonzero,
		       TLB_PAGES, first, first < TLB_PAGES ? s->or_words[first] : 0);
}
