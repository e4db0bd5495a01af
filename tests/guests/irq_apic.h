/* The local APIC in xAPIC mode at 0xFEE00000 (SDM Vol. 3A chapter 11), as the irq guests
 * drive it: software enable, virtual-wire set-up, EOI, IRR/ISR bits, IPIs and the timer.
 * A paged guest must map the register page at its physical address, uncached. */
#ifndef GUESTS_IRQ_APIC_H
#define GUESTS_IRQ_APIC_H

#include <stdbool.h>
#include <stdint.h>

#define APIC_PAGE 0xfee00000u

/* Register offsets (§11.4.1 Table 11-1). */
#define APIC_ID            0x020
#define APIC_TPR           0x080
#define APIC_PPR           0x0a0
#define APIC_EOI           0x0b0
#define APIC_SVR           0x0f0
#define APIC_ISR           0x100
#define APIC_IRR           0x200
#define APIC_ESR           0x280
#define APIC_ICR_LOW       0x300
#define APIC_ICR_HIGH      0x310
#define APIC_LVT_TIMER     0x320
#define APIC_LVT_LINT0     0x350
#define APIC_LVT_LINT1     0x360
#define APIC_LVT_ERROR     0x370
#define APIC_TIMER_INITIAL 0x380
#define APIC_TIMER_CURRENT 0x390
#define APIC_TIMER_DIVIDE  0x3e0

#define APIC_ID_SHIFT   24
#define APIC_SVR_ENABLE (1u << 8)
#define APIC_SPURIOUS   0xffu

/* LVT fields (§11.5.1 Figure 11-8). */
#define APIC_LVT_MASKED   (1u << 16)
#define APIC_LVT_PERIODIC (1u << 17)
#define APIC_DM_FIXED     (0u << 8)
#define APIC_DM_NMI       (4u << 8)
#define APIC_DM_EXTINT    (7u << 8)

/* ICR fields (§11.6.1 Figure 11-12). */
#define APIC_ICR_BUSY      (1u << 12)
#define APIC_ICR_ASSERT    (1u << 14)
#define APIC_ICR_DEST_SELF (1u << 18)
#define APIC_ICR_DEST_ALL  (2u << 18) /* all including self */

/* IA32_APIC_BASE (§11.4.4 Figure 11-5). */
#define MSR_APIC_BASE       0x1bu
#define APIC_BASE_ENABLE    (1ull << 11)
#define APIC_BASE_ADDR_MASK 0xfffff000ull

static inline uint32_t apic_read(uint32_t off)
{
	return *(volatile uint32_t *)(uintptr_t)(APIC_PAGE + off);
}

static inline void apic_write(uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)(APIC_PAGE + off) = v;
}

static inline void apic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

/* The ESR latches errors when written (§11.5.3): write, then read. */
static inline uint32_t apic_esr(void)
{
	apic_write(APIC_ESR, 0);
	return apic_read(APIC_ESR);
}

static inline uint32_t apic_id(void)
{
	return apic_read(APIC_ID) >> APIC_ID_SHIFT;
}

/* Bit VEC of the 256-bit register at BASE (APIC_IRR, APIC_ISR, ...): eight 32-bit
 * registers 16 bytes apart (§11.8.4). */
bool apic_vector_bit(uint32_t base, unsigned vec);
/* Highest set vector of a 256-bit register, or -1. */
int apic_highest_vector(uint32_t base);

/* SVR: software enable with the spurious vector 0xff. */
void apic_sw_enable(void);
/* The virtual-wire mode a PC BIOS sets up (MultiProcessor Specification 1.4 §3.6.2.2):
 * APIC enabled, LINT0 ExtINT (the 8259's INTR), LINT1 NMI, TPR 0. Every 8259 guest does it
 * itself, as the multiboot spec promises no local APIC state. */
void apic_virtual_wire(void);
/* Masks the timer, LINT0, LINT1 and error entries. */
void apic_mask_lvts(void);

/* Writes the ICR (high word first: the low write sends) and waits for the delivery status
 * to read idle; false if it never did. */
bool apic_send_icr(uint32_t high, uint32_t low);
/* Fixed, edge IPI of VEC to this CPU through the "self" shorthand. */
bool apic_self_ipi(unsigned vec);

/* The timer at divide-by-16. Counts per second, measured over 20 ms of TSC time (the TSC
 * must be calibrated). */
uint32_t apic_timer_calibrate(void);
void apic_timer_oneshot(unsigned vec, uint32_t count);
void apic_timer_periodic(unsigned vec, uint32_t count);
void apic_timer_stop(void);

#endif
