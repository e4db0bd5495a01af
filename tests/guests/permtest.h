/* guest-permtest: every legal combination of PDE/PTE bits, CR0.WP, EFER.NXE, privilege,
 * access kind and a touch-twice variant, checked against a reference model of the
 * architecture (Intel SDM Vol. 3A §4.6 access rights, §4.7 #PF error code, §4.8 A/D). */
#ifndef GUESTS_PERMTEST_H
#define GUESTS_PERMTEST_H

#include <stdbool.h>
#include <stdint.h>

#include "tests/guests/probe.h"

enum rsvd_place { RSVD_NONE, RSVD_IN_PDE, RSVD_IN_PTE, RSVD_PLACES };

struct perm_case {
	bool large;   /* the PDE maps a 2 MiB page (no PTE) */
	uint64_t pde; /* PDE flags: P W U A D(large only) NX */
	uint64_t pte; /* PTE flags when !large: P W U A D NX */
	enum rsvd_place rsvd;
	bool wp, nxe, user, twice;
	enum access_kind kind;
};

/* What the architecture says happens. Bits in *_check are compared after the access,
 * the others are "may" (e.g. A in a non-leaf entry above a faulting walk). */
struct perm_outcome {
	bool fault;
	uint32_t error;
	uint64_t pde_after, pde_check;
	uint64_t pte_after, pte_check;
};

/* A reserved bit the model and the test agree on: an address bit at MAXPHYADDR. */
void perm_set_rsvd_bit(uint64_t bit);
uint64_t perm_rsvd_bit(void);
/* The flags actually written to the PDE / PTE for a case (with the reserved bit). */
uint64_t perm_pde_bits(const struct perm_case *c);
uint64_t perm_pte_bits(const struct perm_case *c);

/* Reference model: the expected outcome of one access of case C. */
void perm_expect(const struct perm_case *c, struct perm_outcome *o);

/* Decodes combination INDEX (0 <= INDEX < PERM_INDEX_COUNT); false if not legal. */
#define PERM_INDEX_COUNT (2u * 64 * 64 * RSVD_PLACES * 2 * 2 * 2 * 3 * 2)
bool perm_decode(uint32_t index, struct perm_case *c);

/* The observed outcome of running case C at the test address. */
struct perm_seen {
	bool fault[2];
	uint32_t vector[2], error[2];
	uintptr_t cr2[2];
	uint32_t value[2];
	uint64_t pde_after, pte_after;
};

/* Page-table set-up of the test address (in the current tree). */
void perm_run_init(void);
void perm_run(const struct perm_case *c, struct perm_seen *s);
uintptr_t perm_test_va(void);
/* The 32-bit value the test frames hold at the test address (RET opcodes). */
#define PERM_VALUE 0xc3c3c3c3u

#endif
