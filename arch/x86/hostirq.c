/* The host's interrupts (see arch/x86/hostirq.h). */
#include "arch/x86/hostirq.h"
#include "arch/x86/lapic.h"
#include "arch/x86/vectors.h"

static struct host_irq_stats stats;

void host_interrupt(uint64_t vector)
{
	if (vector == VEC_NMI) {
		stats.nmis++;
		return;
	}
	if (vector == HOST_VEC_APIC_SPURIOUS) {
		stats.spurious++; /* no EOI for the spurious vector (SDM Vol. 3A §11.9) */
		return;
	}
	if (vector >= HOST_VEC_PIC_BASE && vector < HOST_VEC_PIC_BASE + 16) {
		stats.pic_spurious++; /* masked 8259: IRQ7/IRQ15 without an in-service bit */
		return;
	}
	if (vector == HOST_VEC_TIMER)
		stats.timer++;
	else
		stats.other++;
	host_lapic_eoi();
}

const struct host_irq_stats *host_irq_stats(void)
{
	return &stats;
}
