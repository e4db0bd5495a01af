/*
 * Emulating a guest write the shadow keeps read-only (a write to one of the
 * guest's own page tables, or a supervisor write the guest allows only
 * because its CR0.WP is 0): open the shadow walk for that address
 * (shadow_step_open()), single-step the guest instruction with RFLAGS.TF and
 * #DB intercepted, then close the walk, diff the page against a snapshot and
 * hand every changed entry to the pool's write monitor. Works for any
 * instruction, string operations included, without an instruction decoder.
 */
#ifndef VMX_CPU_STEP_H
#define VMX_CPU_STEP_H

#include <stdbool.h>
#include <stdint.h>

#define VCPU_STEP_PAGES 4

struct vcpu;

/* One guest page written by the stepped instruction, and its snapshot. */
struct step_page {
	uint64_t gpa; /* guest-physical page */
	uint8_t before[4096];
};

struct vcpu_step {
	bool active;
	bool guest_tf; /* the guest had RFLAGS.TF itself */
	unsigned count;
	struct step_page page[VCPU_STEP_PAGES];
};

/* Start (or extend) a step for the write to linear la / guest-physical gpa.
 * Returns false if the walk cannot be opened (the caller stops the guest). */
bool step_begin(struct vcpu *v, uint64_t la, uint64_t gpa, uint32_t access);
/* The #DB after the stepped instruction: close, diff, notify. */
void step_finish(struct vcpu *v);

#endif
