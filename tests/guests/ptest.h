/* Shared helpers of the paging test list (guest-pg32, guest-pae, guest-long). */
#ifndef GUESTS_PTEST_H
#define GUESTS_PTEST_H

#include <stdbool.h>
#include <stdint.h>

#include "tests/guests/frames.h"
#include "tests/guests/probe.h"
#include "tests/guests/pt.h"

/* Each test uses its own 4 MiB-aligned virtual slots above the identity map (1 GiB up),
 * so the tests do not disturb each other. */
#define SLOT_BASE     0x40000000u
#define SLOT_SIZE     0x400000u
#define SLOT_MAP      0
#define SLOT_ALIAS    2
#define SLOT_PERM     8
#define SLOT_PERM_PDE 9
#define SLOT_NX       10
#define SLOT_RSVD     12
#define SLOT_AD       16
#define SLOT_TLB      20
#define SLOT_LARGE    24
#define SLOT_ASPACE   28
#define SLOT_COW      32
#define SLOT_REUSE    36
#define SLOT_HOSTILE  44

/* The tree every test runs in unless it says otherwise. */
extern uintptr_t main_root;

static inline uintptr_t slot(unsigned n)
{
	return SLOT_BASE + n * SLOT_SIZE;
}

/* Distinct per (seed, word index) values that no page contains by chance. */
uint32_t pattern(uint32_t seed, uint32_t i);
/* A new frame whose first and last words hold pattern(seed, 0) and pattern(seed, 1). */
uintptr_t data_frame(uint32_t seed);
/* Reads VA (supervisor) and checks it holds pattern(seed, 0); false if it faulted. */
bool reads_seed(uintptr_t va, uint32_t seed);
/* PTE / PDE of VA in the main tree (guest-physical = identity address). */
uintptr_t pte_of(uintptr_t va);
uintptr_t pde_of(uintptr_t va);

/* PASS when the last probe faulted with #PF ERR at CR2 == VA. Under QEMU TCG a
 * reserved-bit fault without P is the known emulator defect: SKIP, never hidden. */
bool report_pf(const char *name, bool faulted, uint32_t err, uintptr_t va);
/* PASS when the access did not fault. */
bool report_no_fault(const char *name, bool faulted);

bool mode_has_nx(void);

void ptest_map(void);
void ptest_perm(void);
void ptest_nx(void);
void ptest_rsvd(void);
void ptest_ad(void);
void ptest_tlb(void);
void ptest_large(void);
void ptest_aspace(void);
void ptest_cow(void);
void ptest_reuse(void);
void ptest_hostile_prepare(void);
void ptest_hostile(void);

#endif
