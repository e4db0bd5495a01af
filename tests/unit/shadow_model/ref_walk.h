/*
 * A deliberately simple second walker of guest page tables, used by the model test as the
 * reference for the shadow layer. It shares no code with pool/walk.c and fixes
 * MAXPHYADDR at 36 and 1 GiB pages as supported, to stay short.
 */
#ifndef TESTS_SHADOW_MODEL_REF_WALK_H
#define TESTS_SHADOW_MODEL_REF_WALK_H

#include <stdbool.h>
#include <stdint.h>

enum ref_mode { REF_NONE, REF_32, REF_PAE, REF_LONG };

struct ref_cfg {
	enum ref_mode mode;
	uint64_t cr3;
	uint64_t pdpte[4];
	bool wp, pse, nxe, smep, smap;
};

enum ref_kind { REF_OK, REF_PF, REF_BAD_TABLE };

struct ref_out {
	enum ref_kind kind;
	uint32_t err;
	uint64_t gpa;
	int n;             /* entries read */
	uint64_t addr[4];  /* guest-physical address of each entry */
	uint64_t after[4]; /* the value each must hold after the access */
	unsigned size;     /* entry size */
};

/* read(gpa, size, &v) returns false outside guest RAM */
typedef bool (*ref_read_fn)(uint64_t gpa, unsigned size, uint64_t *v);

/* acc: bit 1 write, bit 2 user, bit 4 fetch, bit 8 EFLAGS.AC (the #PF error code bits) */
void ref_walk(const struct ref_cfg *c, uint64_t la, unsigned acc, ref_read_fn rd,
              struct ref_out *o);

#endif
