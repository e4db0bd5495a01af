/*
 * What the files of the local APIC model call in each other (see
 * vmx/dev/lapic.h for the model and its public interface).
 */
#ifndef VMX_DEV_LAPIC_INTERNAL_H
#define VMX_DEV_LAPIC_INTERNAL_H

#include "vmx/dev/lapic.h"

static inline uint32_t *vlapic_reg(struct vlapic *a, uint32_t offset)
{
	return &a->reg[vlapic_slot(offset)];
}

static inline uint32_t vlapic_reg_value(const struct vlapic *a, uint32_t offset)
{
	return a->reg[vlapic_slot(offset)];
}

/* Guest time; 0 for a model with no clock attached. */
static inline uint64_t vlapic_now(const struct vlapic *a)
{
	return a->clock ? io_now(a->clock) : 0;
}

/* The 256-bit vector sets (set = APIC_IRR, APIC_ISR or APIC_TMR;
 * vmx/dev/lapic_irr.c). highest: the highest vector in the set, or -1. */
bool vlapic_vec_test(const struct vlapic *a, uint32_t set, uint8_t vector);
void vlapic_vec_set(struct vlapic *a, uint32_t set, uint8_t vector);
void vlapic_vec_clear(struct vlapic *a, uint32_t set, uint8_t vector);
int vlapic_vec_highest(const struct vlapic *a, uint32_t set);

/* INTA of a fixed vector: the deliverable vector moves from IRR to ISR;
 * -1 if none is deliverable. A write to the EOI register. */
int vlapic_take_fixed(struct vlapic *a);
void vlapic_eoi(struct vlapic *a);

/*
 * Acceptance (vmx/dev/lapic_accept.c). accept_fixed: a fixed interrupt
 * reaches this APIC (an illegal vector is a receive error instead; a
 * software-disabled APIC refuses it); whether IRR got it. local_deliver:
 * the LVT entry at `lvt` signals (a masked entry drops it). error: the APIC
 * detected the errors `esr_bits` (ESR bits), which may signal the LVT error
 * entry.
 */
bool vlapic_accept_fixed(struct vlapic *a, uint8_t vector, bool level, enum vlapic_source src);
bool vlapic_local_deliver(struct vlapic *a, uint32_t lvt, enum vlapic_source src);
void vlapic_error(struct vlapic *a, uint32_t esr_bits);
void vlapic_raise_nmi(struct vlapic *a);

/* Timer internals (vmx/dev/lapic_timer.c): set up the io_timer (once, at
 * vlapic_init); signal the expiries up to `now` and re-arm; stop; the
 * register writes that change a running count (they store the value). */
void vlapic_timer_init(struct vlapic *a);
void vlapic_timer_sync(struct vlapic *a, uint64_t now);
void vlapic_timer_reset(struct vlapic *a);
void vlapic_timer_write_divide(struct vlapic *a, uint32_t dcr, uint64_t now);
void vlapic_timer_write_lvt(struct vlapic *a, uint32_t lvt, uint64_t now);

/* LINT pins (vmx/dev/lapic_lint.c): set up lint_chip (at vlapic_init); an
 * EOI of a level-triggered vector clears the remote IRR of the LINT entries
 * that delivered it; an LVT entry was written. */
void vlapic_lint_init(struct vlapic *a);
void vlapic_lint_eoi(struct vlapic *a, uint8_t vector);
void vlapic_lint_lvt_written(struct vlapic *a, uint32_t lvt);

#endif
