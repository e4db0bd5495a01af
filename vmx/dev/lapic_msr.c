/*
 * IA32_APIC_BASE (MSR 0x1B; SDM Vol. 3A §11.4.4 figure 11-5):
 *   bit 8   BSP: set for the bootstrap processor; read-only in this model
 *           (the one vCPU is the BSP), a written value is ignored
 *   bit 10  EXTD, x2APIC mode (§11.12.1): reserved when CPUID.1:ECX[21]
 *           is 0, as here, so setting it is #GP
 *   bit 11  EN, APIC global enable (§11.4.3): may be cleared and set again;
 *           clearing it returns the registers to their power-up state
 *   bits 12..MAXPHYADDR-1  base of the register page
 * Bits 0..7, 9 and MAXPHYADDR..63 are reserved: #GP.
 */
#include "vmx/dev/lapic.h"

#define BASE_RESERVED_LOW (0xffull | (1ull << 9))

_Static_assert((BASE_RESERVED_LOW & (VLAPIC_BASE_BSP | VLAPIC_BASE_X2APIC | VLAPIC_BASE_ENABLE)) ==
                   0,
               "reserved bits do not overlap the defined ones");

uint64_t vlapic_read_base_msr(const struct vlapic *a)
{
	return a->base_msr;
}

static uint64_t reserved_bits(const struct vlapic *a)
{
	return BASE_RESERVED_LOW | (~0ull << a->phys_addr_bits);
}

enum vlapic_msr_status vlapic_write_base_msr(struct vlapic *a, uint64_t value)
{
	if (value & VLAPIC_BASE_X2APIC)
		return VLAPIC_MSR_X2APIC;
	if (value & reserved_bits(a))
		return VLAPIC_MSR_RESERVED_BITS;
	/* Moving the page is architectural (§11.4.5) but not supported: the
	 * hypervisor only traps 0xFEE00000, which lies outside guest RAM. */
	if ((value & VLAPIC_BASE_ADDR_MASK) != VLAPIC_DEFAULT_BASE)
		return VLAPIC_MSR_BASE_MOVED;

	bool was_enabled = vlapic_hw_enabled(a);
	a->base_msr = (a->base_msr & VLAPIC_BASE_BSP) |
	              (value & (VLAPIC_BASE_ADDR_MASK | VLAPIC_BASE_ENABLE));
	if (was_enabled && !vlapic_hw_enabled(a))
		vlapic_hw_disable(a);
	return VLAPIC_MSR_OK;
}

const char *vlapic_msr_status_name(enum vlapic_msr_status s)
{
	switch (s) {
	case VLAPIC_MSR_OK:
		return "ok";
	case VLAPIC_MSR_X2APIC:
		return "x2APIC enable (bit 10) set, but x2APIC is not offered";
	case VLAPIC_MSR_RESERVED_BITS:
		return "reserved bits set";
	case VLAPIC_MSR_BASE_MOVED:
		return "moving the APIC page from 0xfee00000 is not supported";
	}
	return "unknown";
}
