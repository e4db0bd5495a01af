/* State shared by guest-irq-idle's files: the interrupt logs its handlers keep and the
 * HLT loop (irq_idle_main.c), and the periodic-rate tests (irq_idle_rate.c). */
#ifndef GUESTS_IRQ_IDLE_GUEST_H
#define GUESTS_IRQ_IDLE_GUEST_H

#include <stdint.h>

#include "tests/guests/irq_time.h"

#define VEC_APIC_TIMER 0x40u
#define VEC_SHADOW_IPI 0x41u

/* Every IRQ0 and every local APIC timer interrupt, timestamped. */
extern struct tick_log pit_log, apic_log;
/* The local APIC timer's counts per second at divide-by-16. */
extern uint32_t apic_timer_hz;

/* STI; HLT until LOG holds TARGET interrupts or WATCHDOG holds any; the HLTs done. */
uint32_t halt_until(struct tick_log *log, uint32_t target, struct tick_log *watchdog);

void idle_test_pit_periodic(void);
void idle_test_apic_periodic(void);

#endif
