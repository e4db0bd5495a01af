/*
 * Power-up, the global disable and the state a BIOS hands over (see
 * vmx/dev/lapic.h).
 */
#include "vmx/dev/lapic_internal.h"

/* §11.4.7.1 "Local APIC State After Power-Up or Reset": IRR, ISR, TMR, ICR,
 * LDR, TPR, the timer registers and the divide register 0, DFR all ones,
 * LVT entries masked, SVR 0xFF; the version register "is not affected" but
 * never changes here. The pin levels are the board's, not the APIC's. */
static void reset_registers(struct vlapic *a)
{
	__builtin_memset(a->reg, 0, sizeof(a->reg));
	for (unsigned i = 0; i < vlapic_reg_count; i++) {
		const struct vlapic_reg_desc *d = &vlapic_reg_table[i];
		for (unsigned s = 0; s < d->slots; s++)
			a->reg[vlapic_slot(d->offset) + s] = d->reset;
	}
	*vlapic_reg(a, APIC_ID) = (uint32_t)a->initial_id << APIC_ID_SHIFT;
	a->esr_pending = 0;
	vlapic_timer_reset(a);
}

void vlapic_init(struct vlapic *a, uint8_t apic_id, uint8_t phys_addr_bits)
{
	__builtin_memset(a, 0, sizeof(*a));
	a->initial_id = apic_id;
	/* MAXPHYADDR is at least 36 with an APIC at 0xFEE00000 and at most 52. */
	a->phys_addr_bits = phys_addr_bits < 36 ? 36 : phys_addr_bits > 52 ? 52 : phys_addr_bits;
	a->base_msr = VLAPIC_DEFAULT_BASE | VLAPIC_BASE_ENABLE | VLAPIC_BASE_BSP;
	vlapic_timer_init(a);
	vlapic_lint_init(a);
	reset_registers(a);
}

/* Setting the enable bit again starts from this state (software-disabled),
 * as after power-up. An NMI already latched by the core stays latched. */
void vlapic_hw_disable(struct vlapic *a)
{
	reset_registers(a);
	a->hw_disables++;
}

/* SeaBIOS smp_scan(): SVR |= 0x100, LINT0 = 0x8700 (ExtINT, level), LINT1 =
 * 0x8400 (NMI, level; NMI is edge-sensitive whatever bit 15 says). It
 * also sends INIT and SIPI to all other CPUs, which changes nothing on a
 * one-CPU machine and is not repeated here (ICR stays 0). */
#define BIOS_LVT_LINT0 (APIC_LVT_LEVEL_TRIGGER | (APIC_DM_EXTINT << APIC_LVT_DELIVERY_MODE_SHIFT))
#define BIOS_LVT_LINT1 (APIC_LVT_LEVEL_TRIGGER | (APIC_DM_NMI << APIC_LVT_DELIVERY_MODE_SHIFT))
_Static_assert(BIOS_LVT_LINT0 == 0x8700u, "SeaBIOS LINT0");
_Static_assert(BIOS_LVT_LINT1 == 0x8400u, "SeaBIOS LINT1");

void vlapic_bios_handoff(struct vlapic *a)
{
	uint64_t base = vlapic_base(a);
	uint32_t svr = vlapic_reg_value(a, APIC_SVR) | APIC_SVR_ENABLE;

	vlapic_mmio_write(a, base + APIC_SVR, 4, svr);
	vlapic_mmio_write(a, base + APIC_LVT_LINT0, 4, BIOS_LVT_LINT0);
	vlapic_mmio_write(a, base + APIC_LVT_LINT1, 4, BIOS_LVT_LINT1);
}
