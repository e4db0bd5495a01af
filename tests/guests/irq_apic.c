/* Local APIC helpers of the irq guests (SDM Vol. 3A chapter 11). */
#include "tests/guests/irq_apic.h"

#include "tests/guests/irq_time.h"

#define APIC_REG_STRIDE  0x10u
#define APIC_VEC_PER_REG 32u
#define APIC_VEC_REGS    8u
#define APIC_DIVIDE_16   0x03u /* divide configuration 0011b (§11.5.4 Figure 11-10) */
#define ICR_POLL_LIMIT   100000u
#define CALIBRATE_US     20000u

bool apic_vector_bit(uint32_t base, unsigned vec)
{
	uint32_t reg = apic_read(base + (vec / APIC_VEC_PER_REG) * APIC_REG_STRIDE);
	return (reg >> (vec % APIC_VEC_PER_REG)) & 1u;
}

int apic_highest_vector(uint32_t base)
{
	for (int r = APIC_VEC_REGS - 1; r >= 0; r--) {
		uint32_t reg = apic_read(base + (uint32_t)r * APIC_REG_STRIDE);
		if (reg)
			return r * (int)APIC_VEC_PER_REG + 31 - __builtin_clz(reg);
	}
	return -1;
}

void apic_sw_enable(void)
{
	apic_write(APIC_SVR, APIC_SVR_ENABLE | APIC_SPURIOUS);
}

void apic_virtual_wire(void)
{
	apic_sw_enable();
	apic_write(APIC_TPR, 0);
	apic_write(APIC_LVT_LINT0, APIC_DM_EXTINT);
	apic_write(APIC_LVT_LINT1, APIC_DM_NMI);
}

void apic_mask_lvts(void)
{
	apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED);
	apic_write(APIC_LVT_LINT0, APIC_LVT_MASKED);
	apic_write(APIC_LVT_LINT1, APIC_LVT_MASKED);
	apic_write(APIC_LVT_ERROR, APIC_LVT_MASKED);
}

bool apic_send_icr(uint32_t high, uint32_t low)
{
	apic_write(APIC_ICR_HIGH, high);
	apic_write(APIC_ICR_LOW, low);
	for (uint32_t i = 0; i < ICR_POLL_LIMIT; i++)
		if (!(apic_read(APIC_ICR_LOW) & APIC_ICR_BUSY))
			return true;
	return false;
}

bool apic_self_ipi(unsigned vec)
{
	return apic_send_icr(0, APIC_ICR_DEST_SELF | APIC_ICR_ASSERT | APIC_DM_FIXED | vec);
}

uint32_t apic_timer_calibrate(void)
{
	apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED);
	apic_write(APIC_TIMER_DIVIDE, APIC_DIVIDE_16);
	apic_write(APIC_TIMER_INITIAL, 0xffffffffu);
	uint64_t t0 = tsc_read();
	uint32_t c0 = apic_read(APIC_TIMER_CURRENT);
	tsc_delay_us(CALIBRATE_US);
	uint32_t c1 = apic_read(APIC_TIMER_CURRENT);
	uint64_t t1 = tsc_read();
	apic_write(APIC_TIMER_INITIAL, 0);
	/* counts * tsc_hz / cycles, tsc_hz = tsc_khz * 1000 */
	uint64_t hz = irq_udiv64((uint64_t)(c0 - c1) * tsc_khz * 1000u, t1 - t0);
	return hz > 0xffffffffull ? 0xffffffffu : (uint32_t)hz;
}

void apic_timer_oneshot(unsigned vec, uint32_t count)
{
	apic_write(APIC_TIMER_DIVIDE, APIC_DIVIDE_16);
	apic_write(APIC_LVT_TIMER, vec);
	apic_write(APIC_TIMER_INITIAL, count);
}

void apic_timer_periodic(unsigned vec, uint32_t count)
{
	apic_write(APIC_TIMER_DIVIDE, APIC_DIVIDE_16);
	apic_write(APIC_LVT_TIMER, APIC_LVT_PERIODIC | vec);
	apic_write(APIC_TIMER_INITIAL, count);
}

void apic_timer_stop(void)
{
	apic_write(APIC_TIMER_INITIAL, 0);
	apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED);
}
