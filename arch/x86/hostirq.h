/*
 * The host's own interrupts: the hypervisor owns the interrupt hardware. The
 * 8259 pair is remapped and masked (arch/x86/pic.c); the local APIC gives the
 * host timer (arch/x86/lapic.c). Every interrupt, taken through the IDT or
 * acknowledged on a VM exit, ends here: counted, and acknowledged at the
 * local APIC where it came from there. NMIs are counted too (nothing of the
 * host raises one on purpose).
 */
#ifndef ARCH_X86_HOSTIRQ_H
#define ARCH_X86_HOSTIRQ_H

#include <stdint.h>

#define HOST_VEC_PIC_BASE      0x20 /* the masked 8259s: only spurious IRQ7/15 arrive */
#define HOST_VEC_TIMER         0xf0 /* the local APIC timer */
#define HOST_VEC_APIC_SPURIOUS 0xff

struct host_irq_stats {
	uint64_t timer, spurious, pic_spurious, nmis, other;
};

/* A host interrupt (or NMI, vector 2) was taken or acknowledged. */
void host_interrupt(uint64_t vector);
const struct host_irq_stats *host_irq_stats(void);

/* Take the interrupts pending at the CPU now (after a VM exit without
 * acknowledge-on-exit): open the window for one instruction. */
static inline void host_take_pending_interrupts(void)
{
	__asm__ volatile("sti; nop; cli" ::: "memory");
}

#endif
