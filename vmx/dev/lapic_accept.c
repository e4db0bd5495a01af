/*
 * How interrupts reach this APIC: fixed vectors into IRR (and TMR), the
 * LVT entries of the local sources, NMIs, and the errors the ESR records
 * (SDM Vol. 3A §11.5.1-§11.5.3, §11.6.1). Where the interrupt comes from
 * (timer, error, LINT pin, IPI) is the caller's.
 */
#include "vmx/dev/lapic_internal.h"

/*
 * §11.5.2: vectors 0..15 are illegal; receiving one is an error and sets
 * no IRR bit. §11.8.4: TMR records the trigger mode of the accepted
 * vector. A software-disabled APIC (§11.4.7.2) takes no fixed interrupts:
 * its LVT entries are masked, and fixed IPIs are dropped as KVM's
 * __apic_accept_irq() does. A vector already requested stays one request.
 */
bool vlapic_accept_fixed(struct vlapic *a, uint8_t vector, bool level, enum vlapic_source src)
{
	if (vector < APIC_FIRST_LEGAL_VECTOR) {
		vlapic_error(a, APIC_ESR_RECEIVE_ILLEGAL_VECTOR);
		return false;
	}
	if (!vlapic_sw_enabled(a)) {
		a->stats.refused++;
		return false;
	}
	if (vlapic_vec_test(a, APIC_IRR, vector))
		a->stats.coalesced++;
	vlapic_vec_set(a, APIC_IRR, vector);
	if (level)
		vlapic_vec_set(a, APIC_TMR, vector);
	else
		vlapic_vec_clear(a, APIC_TMR, vector);
	a->stats.accepted[src]++;
	return true;
}

/*
 * §11.5.1: the entry's delivery mode says what a local source's signal
 * becomes. The timer and error entries have no delivery-mode or trigger
 * bits (they read 0: fixed, edge). SMI and INIT are not modelled; ExtINT
 * is the 8259 pair's INTR, which vlapic_pending() reads directly.
 */
bool vlapic_local_deliver(struct vlapic *a, uint32_t lvt, enum vlapic_source src)
{
	uint32_t entry = vlapic_reg_value(a, lvt);

	if (entry & APIC_LVT_MASKED)
		return false;
	switch (apic_lvt_delivery_mode(entry)) {
	case APIC_DM_FIXED:
		return vlapic_accept_fixed(a, (uint8_t)(entry & APIC_LVT_VECTOR_MASK),
		                           (entry & APIC_LVT_LEVEL_TRIGGER) != 0, src);
	case APIC_DM_NMI:
		vlapic_raise_nmi(a);
		return true;
	default:
		return false;
	}
}

/*
 * §11.5.3: "An APIC error interrupt is generated when the local APIC sets
 * one of the error bits in the ESR": a bit already recorded since the last
 * ESR write signals nothing again. That also ends the recursion of an LVT
 * error entry with an illegal vector after one receive error.
 */
void vlapic_error(struct vlapic *a, uint32_t esr_bits)
{
	uint32_t fresh = esr_bits & ~a->esr_pending;

	a->esr_pending |= esr_bits;
	if (fresh)
		vlapic_local_deliver(a, APIC_LVT_ERROR, VLAPIC_SRC_ERROR);
}

/* The core latches one NMI; another before it is taken is the same one. */
void vlapic_raise_nmi(struct vlapic *a)
{
	a->nmi_pending = true;
	a->stats.nmis++;
}
