#ifndef VMX_STEP_H
#define VMX_STEP_H

#include <stdint.h>

#include "vmx/cpu/vcpu.h"

/*
 * Emulating a guest write the shadow keeps read-only (a write to one of the
 * guest's own page tables, or a supervisor write the guest allows only because
 * its CR0.WP is 0): make that one shadow leaf writable, single-step the guest
 * instruction with RFLAGS.TF and #DB intercepted, then restore the leaf, diff
 * the page against a snapshot and hand every changed entry to the pool's
 * write monitor. Works for any instruction, string operations included,
 * without an instruction decoder.
 */
/* Start (or extend) a step for the write to linear la / guest-physical gpa.
 * Returns false if the shadow leaf cannot be found (the caller stops the guest). */
bool step_begin(struct vcpu *v, uint64_t la, uint64_t gpa, uint32_t access);
/* The #DB after the stepped instruction: restore, diff, notify. */
void step_finish(struct vcpu *v);

#endif
