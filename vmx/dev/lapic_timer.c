/*
 * The APIC timer's counters (SDM Vol. 3A §11.5.4), without a clock: time
 * moves only when the guest reads the current count (see vmx/vlapic.h).
 * Deterministic, so a guest that busy-waits on the count always finishes
 * and a test can predict every value. The timer never interrupts.
 */
#include "vmx/dev/lapic.h"

/* §11.5.4: writing the initial count loads the current count from it and
 * starts counting; writing 0 stops the timer. */
void vlapic_timer_start(struct vlapic *a, uint32_t initial)
{
	a->timer_current = initial;
}

static uint32_t decrement_per_read(const struct vlapic *a)
{
	uint32_t divisor = apic_timer_divisor(a->reg[vlapic_slot(APIC_TIMER_DIVIDE)]);
	uint32_t step = VLAPIC_TIMER_BUS_TICKS_PER_READ / divisor;
	return step ? step : 1;
}

static bool periodic(const struct vlapic *a)
{
	return (a->reg[vlapic_slot(APIC_LVT_TIMER)] & APIC_LVT_TIMER_PERIODIC) != 0;
}

uint32_t vlapic_timer_read_current(struct vlapic *a)
{
	uint32_t step = decrement_per_read(a);
	uint32_t initial = a->reg[vlapic_slot(APIC_TIMER_INITIAL)];

	if (a->timer_current == 0)
		return 0; /* stopped, or a one-shot count that expired */
	if (a->timer_current > step)
		a->timer_current -= step;
	else
		a->timer_current = periodic(a) ? initial : 0; /* expired */
	return a->timer_current;
}
