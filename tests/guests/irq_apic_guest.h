/* State shared by guest-irq-apic's files: the log its fixed-vector handler keeps
 * (irq_apic_main.c) and the LINT0 virtual-wire tests (irq_apic_lint0.c). */
#ifndef GUESTS_IRQ_APIC_GUEST_H
#define GUESTS_IRQ_APIC_GUEST_H

#include <stdbool.h>
#include <stdint.h>

#define APIC_LOG_MAX 8u

/* One entry per fixed-vector interrupt taken, in order. */
struct apic_log {
	volatile uint32_t count;
	volatile uint8_t vector[APIC_LOG_MAX];
	volatile uint8_t depth[APIC_LOG_MAX];  /* 1 = interrupted main code, 2 = nested */
	volatile bool in_isr[APIC_LOG_MAX];    /* its ISR bit, read in the handler */
	volatile bool after_eoi[APIC_LOG_MAX]; /* its ISR bit right after the EOI */
};

extern struct apic_log alog;

void apic_test_lint0(void);

#endif
