/*
 * Emulating a guest write the shadow keeps read-only (a write to one of the
 * guest's own page tables, or a supervisor write the guest allows only
 * because its CR0.WP is 0): open the shadow walk for that address
 * (shadow_step_open()), single-step the guest instruction with RFLAGS.TF and
 * every exception intercepted, then close the walk, diff the page against a
 * snapshot and hand every changed entry to the pool's write monitor. Works
 * for any instruction, string operations included, without an instruction
 * decoder.
 *
 * The window is that one instruction, never more: before anything is
 * injected the step is finished (vcpu_inject() calls step_finish()); an
 * exception the instruction raises exits and is reflected after the step is
 * finished; the hypervisor's TF never reaches the guest (not in a frame, not
 * in a PUSHF image); the guest's own TF still gives it its #DB; and an STI or
 * MOV-SS shadow is lifted for the step (nothing is injected during it). A
 * flush of the pool abandons the step instead (step_abort()): the flush
 * drops every shadow entry, and the instruction will fault again.
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
	bool guest_tf;           /* the guest had RFLAGS.TF itself */
	unsigned push_size;      /* the stepped instruction is PUSHF of this size, else 0 */
	uint64_t guest_debugctl; /* the guest's IA32_DEBUGCTL, BTF off during the step */
	unsigned count;
	struct step_page page[VCPU_STEP_PAGES];
};

/* Start (or extend) a step for the write to linear la / guest-physical gpa.
 * Returns false if the walk cannot be opened (the caller stops the guest). */
bool step_begin(struct vcpu *v, uint64_t la, uint64_t gpa, uint32_t access);
/* The step ends (its #DB, or before an injection): close, diff, notify.
 * Returns true when `trap` says the instruction completed and the guest had
 * TF set itself: the caller then owes it its single-step #DB. */
bool step_finish(struct vcpu *v, bool trap);
/* Abandon an open step without looking at what it wrote (a pool flush is
 * about to drop every shadow entry anyway). */
void step_abort(struct vcpu *v);

#endif
