/* HLT-based waits. Idling in HLT rather than spinning also leaves an emulator's host
 * threads the CPU time that its device timers need. */
#include "tests/guests/irq_wait.h"

#include "tests/guests/irq_time.h"
#include "tests/guests/irq_vectors.h"

bool irq_halt_until(volatile uint32_t *count, uint32_t target, uint32_t timeout_us)
{
	uint64_t start = tsc_read();
	irq_disable();
	while (*count < target) {
		if (tsc_passed(start, timeout_us))
			return false;
		irq_enable_and_halt();
		irq_disable();
	}
	return true;
}

bool irq_halt_until_set(volatile bool *flag, uint32_t timeout_us)
{
	uint64_t start = tsc_read();
	irq_disable();
	while (!*flag) {
		if (tsc_passed(start, timeout_us))
			return false;
		irq_enable_and_halt();
		irq_disable();
	}
	return true;
}

void irq_halt_for(uint32_t us)
{
	uint64_t start = tsc_read();
	irq_disable();
	while (!tsc_passed(start, us)) {
		irq_enable_and_halt();
		irq_disable();
	}
}
