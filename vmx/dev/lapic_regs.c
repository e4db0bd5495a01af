/*
 * The xAPIC register map as this model implements it: reset values from
 * SDM Vol. 3A §11.4.7.1 ("Local APIC State After Power-Up or Reset") and
 * writable bits from the register figures of §11.4-§11.9. Bits outside
 * `writable` are reserved or read-only and read back as 0 (or as 1 for
 * DFR's reserved bits). The APIC ID's reset value is set by vlapic_init.
 */
#include "vmx/dev/lapic_regs.h"

#define REG(off, n, k, rst, wr, one, nm)                                                      \
	{                                                                                     \
		.offset = (off), .slots = (n), .kind = (k), .reset = (rst), .writable = (wr), \
		.ones = (one), .name = (nm)                                                   \
	}
#define LVT(off, wr, nm) REG(off, 1, VLAPIC_REG_LVT, APIC_LVT_RESET, wr, 0, nm)

const struct vlapic_reg_desc vlapic_reg_table[] = {
    REG(APIC_ID, 1, VLAPIC_REG_PLAIN, 0, APIC_ID_MASK, 0, "ID"),
    REG(APIC_VERSION, 1, VLAPIC_REG_CONST, APIC_VERSION_VALUE, 0, 0, "version"),
    REG(APIC_TPR, 1, VLAPIC_REG_PLAIN, 0, APIC_TPR_MASK, 0, "TPR"),
    REG(APIC_APR, 1, VLAPIC_REG_ZERO, 0, 0, 0, "APR"),
    REG(APIC_PPR, 1, VLAPIC_REG_PPR, 0, 0, 0, "PPR"),
    REG(APIC_EOI, 1, VLAPIC_REG_EOI, 0, 0, 0, "EOI"),
    REG(APIC_LDR, 1, VLAPIC_REG_PLAIN, 0, APIC_LDR_MASK, 0, "LDR"),
    REG(APIC_DFR, 1, VLAPIC_REG_PLAIN, APIC_DFR_FLAT | APIC_DFR_RESERVED_ONES, APIC_DFR_MODEL_MASK,
        APIC_DFR_RESERVED_ONES, "DFR"),
    REG(APIC_SVR, 1, VLAPIC_REG_SVR, APIC_SVR_RESET, APIC_SVR_WRITABLE, 0, "SVR"),
    REG(APIC_ISR, 8, VLAPIC_REG_VECTORS, 0, 0, 0, "ISR"),
    REG(APIC_TMR, 8, VLAPIC_REG_VECTORS, 0, 0, 0, "TMR"),
    REG(APIC_IRR, 8, VLAPIC_REG_VECTORS, 0, 0, 0, "IRR"),
    REG(APIC_ESR, 1, VLAPIC_REG_ESR, 0, 0, 0, "ESR"),
    REG(APIC_ICR_LOW, 1, VLAPIC_REG_ICR_LOW, 0, APIC_ICR_LOW_WRITABLE, 0, "ICR low"),
    REG(APIC_ICR_HIGH, 1, VLAPIC_REG_PLAIN, 0, APIC_ICR_HIGH_WRITABLE, 0, "ICR high"),
    LVT(APIC_LVT_TIMER, APIC_LVT_TIMER_WRITABLE, "LVT timer"),
    LVT(APIC_LVT_THERMAL, APIC_LVT_DELIVERY_WRITABLE, "LVT thermal"),
    LVT(APIC_LVT_PERF, APIC_LVT_DELIVERY_WRITABLE, "LVT perf"),
    LVT(APIC_LVT_LINT0, APIC_LVT_LINT_WRITABLE, "LVT LINT0"),
    LVT(APIC_LVT_LINT1, APIC_LVT_LINT_WRITABLE, "LVT LINT1"),
    LVT(APIC_LVT_ERROR, APIC_LVT_ERROR_WRITABLE, "LVT error"),
    REG(APIC_TIMER_INITIAL, 1, VLAPIC_REG_TIMER_INITIAL, 0, 0xffffffffu, 0, "timer initial"),
    REG(APIC_TIMER_CURRENT, 1, VLAPIC_REG_TIMER_CURRENT, 0, 0, 0, "timer current"),
    REG(APIC_TIMER_DIVIDE, 1, VLAPIC_REG_TIMER_DIVIDE, 0, APIC_DIVIDE_WRITABLE, 0, "timer divide"),
};

const unsigned vlapic_reg_count = sizeof(vlapic_reg_table) / sizeof(vlapic_reg_table[0]);

const struct vlapic_reg_desc *vlapic_reg_desc(uint32_t offset)
{
	for (unsigned i = 0; i < vlapic_reg_count; i++) {
		const struct vlapic_reg_desc *d = &vlapic_reg_table[i];
		if (offset >= d->offset && offset < d->offset + d->slots * VLAPIC_SLOT_SIZE)
			return d;
	}
	return 0;
}
