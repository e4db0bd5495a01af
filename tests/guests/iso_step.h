/* guest-iso-step: writes a shadow pager has to single-step (stores into the guest's own
 * page tables, supervisor stores allowed only by CR0.WP = 0) and what the guest must never
 * see of that: a TF it did not set, a lost store, a shadow entry left writable. */
#ifndef GUESTS_ISO_STEP_H
#define GUESTS_ISO_STEP_H

#include <stdint.h>

/* Linear layout (4-level paging, above the identity map of RAM). */
#define STEP_P      0x40000000ul /* user read-only page; the next page is not mapped */
#define STEP_VICTIM 0x40200000ul /* 2 MiB region whose page table is written as data */
#define STEP_WINDOW 0x40400000ul /* that page table, mapped writable for supervisor */
#define STEP_ALIAS  0x80000000ul /* 1 GiB: 512 PDEs, all pointing at one page table */

/* Entries 256..511 of the victim page table map nothing the guest uses: the stacks and
 * scratch stores of the tests go there. */
#define VICTIM_SCRATCH_FIRST 256u

uint32_t step_pattern(uint32_t seed, uint32_t i);
/* A new frame filled with step_pattern(seed, word). */
uintptr_t step_data_frame(uint32_t seed);

void step_tests(uintptr_t root);
void step_alias_tests(uintptr_t root);

#endif
