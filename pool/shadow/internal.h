/* Shared between the shadow-paging files; not part of the public API. */
#ifndef POOL_SHADOW_INTERNAL_H
#define POOL_SHADOW_INTERNAL_H

#include "pool/shadow/shadow.h"

/* Entry index of la in a shadow table of `level` (1 = PT .. 4 = PML4). In PAE hardware
 * format the root PDPT has 4 entries, indexed by la bits 31:30 (§4.4.2). */
static inline unsigned shadow_index(const struct shadow_vcpu *v, uint64_t la, unsigned level)
{
	if (v->hw == SHADOW_HW_PAE && level == 3)
		return (unsigned)(la >> 30) & 3;
	return (unsigned)(la >> (12 + 9 * (level - 1))) & 0x1ff;
}

/* Slot 0 := the root for the current registers (found among recent roots or built). */
enum shadow_result shadow_reload_root(struct shadow_vcpu *v);
/* The current root, rebuilt if a pool flush-all dropped it; 0 on failure. */
uint16_t shadow_current_root(struct shadow_vcpu *v);

#endif
