/* Waiting for interrupts the way an idle OS does: STI; HLT until the event or a TSC
 * deadline. An interrupt source the caller keeps running (the event itself or a periodic
 * heartbeat) must end each HLT; the TSC must be calibrated. Each returns with IF = 0. */
#ifndef GUESTS_IRQ_WAIT_H
#define GUESTS_IRQ_WAIT_H

#include <stdbool.h>
#include <stdint.h>

/* Until *COUNT >= TARGET; false on timeout. */
bool irq_halt_until(volatile uint32_t *count, uint32_t target, uint32_t timeout_us);
/* Until *FLAG is set; false on timeout. */
bool irq_halt_until_set(volatile bool *flag, uint32_t timeout_us);
/* For US microseconds. */
void irq_halt_for(uint32_t us);

#endif
