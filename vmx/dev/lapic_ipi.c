/*
 * Interprocessor interrupts (SDM Vol. 3A §11.6.1 "Interrupt Command
 * Register"). A write to ICR low sends the IPI described by ICR low and
 * high. The IPI is classified by delivery mode and by who it addresses
 * (this APIC, others that do not exist, or both), counted, and left in
 * vlapic.last_ipi for the caller to log. Fixed, lowest-priority and NMI
 * IPIs that address this APIC are delivered to it; INIT, SIPI and SMI, and
 * everything for other APICs, change nothing (there is one CPU). The
 * delivery-status bit is never set (the register keeps only the writable
 * bits), so a guest polling it sees the send complete at once.
 */
#include "vmx/dev/lapic_internal.h"

static enum vlapic_ipi_kind classify(uint32_t icr_low)
{
	switch (apic_icr_delivery_mode(icr_low)) {
	case APIC_DM_FIXED:
		return VLAPIC_IPI_FIXED;
	case APIC_DM_LOWEST:
		return VLAPIC_IPI_LOWEST;
	case APIC_DM_SMI:
		return VLAPIC_IPI_SMI;
	case APIC_DM_NMI:
		return VLAPIC_IPI_NMI;
	case APIC_DM_INIT:
		/* Level 0 with trigger mode "level" is INIT level de-assert. */
		if (!(icr_low & APIC_ICR_ASSERT) && (icr_low & APIC_ICR_LEVEL_TRIGGER))
			return VLAPIC_IPI_INIT_DEASSERT;
		return VLAPIC_IPI_INIT;
	case APIC_DM_STARTUP:
		return VLAPIC_IPI_STARTUP;
	default:
		return VLAPIC_IPI_RESERVED_MODE;
	}
}

static uint8_t own_id(const struct vlapic *a)
{
	return (uint8_t)(a->reg[vlapic_slot(APIC_ID)] >> APIC_ID_SHIFT);
}

/* §11.6.2.2: flat model, a bit per APIC; cluster model, the high nibble
 * names a cluster and the low nibble a bit per APIC in it. */
static void logical_destination(const struct vlapic *a, uint8_t mda, struct vlapic_ipi *ipi)
{
	uint8_t ldr = (uint8_t)(a->reg[vlapic_slot(APIC_LDR)] >> APIC_ID_SHIFT);
	bool flat = (a->reg[vlapic_slot(APIC_DFR)] & APIC_DFR_MODEL_MASK) == APIC_DFR_FLAT;

	if (mda == APIC_BROADCAST_ID) {
		ipi->to_self = ipi->to_others = true;
	} else if (flat) {
		ipi->to_self = (mda & ldr) != 0;
		ipi->to_others = (mda & ~ldr) != 0;
	} else {
		bool same_cluster = (mda >> 4) == (ldr >> 4);
		ipi->to_self = same_cluster && (mda & ldr & 0x0f) != 0;
		ipi->to_others = !same_cluster || (mda & ~ldr & 0x0f) != 0;
	}
}

static void destination(const struct vlapic *a, uint32_t icr_low, uint32_t icr_high,
                        struct vlapic_ipi *ipi)
{
	uint8_t dest = (uint8_t)(icr_high >> APIC_ICR_DEST_SHIFT);

	switch (apic_icr_shorthand(icr_low)) {
	case APIC_SHORTHAND_SELF:
		ipi->to_self = true;
		return;
	case APIC_SHORTHAND_ALL:
		ipi->to_self = ipi->to_others = true;
		return;
	case APIC_SHORTHAND_OTHERS:
		ipi->to_others = true;
		return;
	default:
		break;
	}
	if (icr_low & APIC_ICR_LOGICAL) {
		logical_destination(a, dest, ipi);
		return;
	}
	ipi->to_self = dest == own_id(a) || dest == APIC_BROADCAST_ID;
	ipi->to_others = dest != own_id(a);
}

static bool carries_vector(const struct vlapic_ipi *ipi)
{
	return ipi->kind == VLAPIC_IPI_FIXED || ipi->kind == VLAPIC_IPI_LOWEST;
}

/*
 * What reaches this APIC. A lowest-priority IPI has one candidate, this
 * APIC, and is taken as fixed (KVM does the same). The xAPIC sends every
 * IPI edge-triggered (§11.6.1 table 11-3 note 2: a level trigger bit is
 * overridden), so TMR is cleared. An illegal vector is a receive error
 * (in vlapic_accept_fixed). The SDM calls NMI with the self and
 * all-including-self shorthands invalid; it is delivered anyway, as KVM
 * does. Other kinds have no effect on the one CPU.
 */
static bool deliver_to_self(struct vlapic *a, const struct vlapic_ipi *ipi)
{
	if (carries_vector(ipi))
		return vlapic_accept_fixed(a, ipi->vector, false, VLAPIC_SRC_IPI);
	if (ipi->kind == VLAPIC_IPI_NMI) {
		vlapic_raise_nmi(a);
		return true;
	}
	return false;
}

void vlapic_send_ipi(struct vlapic *a)
{
	struct vlapic_ipi ipi = {
	    .icr_low = a->reg[vlapic_slot(APIC_ICR_LOW)],
	    .icr_high = a->reg[vlapic_slot(APIC_ICR_HIGH)],
	};
	ipi.kind = (uint8_t)classify(ipi.icr_low);
	ipi.vector = (uint8_t)(ipi.icr_low & APIC_ICR_VECTOR_MASK);
	destination(a, ipi.icr_low, ipi.icr_high, &ipi);

	ipi.first_of_kind = a->ipis[ipi.kind] == 0;
	a->ipis[ipi.kind]++;
	/* §11.5.3: sending a vector 0..15 is a send error. */
	if (carries_vector(&ipi) && ipi.vector < APIC_FIRST_LEGAL_VECTOR)
		vlapic_error(a, APIC_ESR_SEND_ILLEGAL_VECTOR);
	if (ipi.to_self) {
		a->self_ipis++;
		ipi.delivered = deliver_to_self(a, &ipi);
	}
	a->last_ipi = ipi;
}

const char *vlapic_ipi_kind_name(enum vlapic_ipi_kind k)
{
	static const char *const names[VLAPIC_IPI_KINDS] = {
	    [VLAPIC_IPI_FIXED] = "fixed",  [VLAPIC_IPI_LOWEST] = "lowest-priority",
	    [VLAPIC_IPI_SMI] = "SMI",      [VLAPIC_IPI_NMI] = "NMI",
	    [VLAPIC_IPI_INIT] = "INIT",    [VLAPIC_IPI_INIT_DEASSERT] = "INIT de-assert",
	    [VLAPIC_IPI_STARTUP] = "SIPI", [VLAPIC_IPI_RESERVED_MODE] = "reserved delivery mode",
	};
	return (unsigned)k < VLAPIC_IPI_KINDS ? names[k] : "unknown";
}
