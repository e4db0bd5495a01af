/* guest-iso-tlb-a and guest-iso-tlb-b: A leaves translations of linear L..L+63 pages in
 * the TLB (its own frames, full of a secret pattern) and exits; B, started next, reads L
 * with paging off and then on and must see its own fresh RAM only. Both build the same
 * PAE tree at the same guest-physical address, so B's CR3 equals A's: a shadow pager that
 * keeps anything of A's keyed by CR3 value or by frame shows it to B. */
#ifndef GUESTS_ISO_TLB_H
#define GUESTS_ISO_TLB_H

#include <stdbool.h>
#include <stdint.h>

/* L: linear in A (mapped to TLB_A_FRAMES), guest-physical in B. Below 128 MiB of RAM. */
#define TLB_L        0x4000000u
#define TLB_PAGES    64u
#define TLB_SPAN     (TLB_PAGES * 4096u)
/* The PAE tree (PDPT, four PDs, the page table of L's 2 MiB) and A's data frames. */
#define TLB_TABLES   0x3000000u
#define TLB_A_FRAMES 0x3100000u
/* The guests need RAM up to here. */
#define TLB_RAM_NEED (TLB_L + TLB_SPAN)

/* A's secret: word I of page P holds TLB_SECRET_HI << 16 | P << 10 | I. */
#define TLB_SECRET_HI 0xa5ecu
static inline uint32_t tlb_secret(uint32_t page, uint32_t word)
{
	return (uint32_t)TLB_SECRET_HI << 16 | page << 10 | word;
}

static inline bool tlb_is_secret(uint32_t word)
{
	return word >> 16 == TLB_SECRET_HI;
}

/* The fixed tree: RAM identity-mapped with 2 MiB pages, except L's 4 KiB pages, which map
 * TARGET.. (A: TLB_A_FRAMES, B: L itself). False (with a FAIL) when RAM is too small or
 * the multiboot data lies in the way. */
bool tlb_build(uint32_t target);
/* CR4.PAE, CR3 = TLB_TABLES, CR0.PG | CR0.WP. */
void tlb_paging_on(void);

/* What a scan of TLB_PAGES pages from BASE found: per page the OR of every word and the
 * number of words that look like A's secret. */
struct tlb_scan {
	uint32_t or_words[TLB_PAGES];
	uint32_t secret_words[TLB_PAGES];
};
void tlb_scan(uintptr_t base, struct tlb_scan *s);
/* PASS when every word was zero; the FAIL says whether A's secret showed. */
void tlb_report_zero(const char *name, const struct tlb_scan *s);

#endif
