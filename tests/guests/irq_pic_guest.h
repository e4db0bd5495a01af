/* State shared by guest-irq-pic's set-up (irq_pic_main.c) and its handlers
 * (irq_pic_steps.c). */
#ifndef GUESTS_IRQ_PIC_GUEST_H
#define GUESTS_IRQ_PIC_GUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "tests/guests/irq_time.h"

#define HOLD_US      200u   /* IRQ0 handler's wait with IF = 1 while IRQ4 is pending */
#define NEST_WAIT_US 20000u /* IRQ4 handler's wait for a nested tick */
#define MASK_HOLD_US 2000u
#define TX_LINE_MAX  128u

enum pic_scenario {
	SCEN_NONE,
	SCEN_HOLD,     /* IRQ0 in service, IRQ4 raised: IRQ4 waits for the EOI */
	SCEN_PREEMPT,  /* IRQ4 in service with IF = 1: IRQ0 nests, non-specific EOIs */
	SCEN_SPECIFIC, /* the same nesting, ended by specific EOIs from the tick handler */
	SCEN_MASK,     /* IRQ4 masked in the IMR */
	SCEN_TX,       /* interrupt-driven transmission */
};

struct pic_guest {
	volatile enum pic_scenario scenario;
	struct tick_log ticks;
	volatile uint32_t irq4_count;
	volatile uint32_t step; /* order of events inside the handlers */
	volatile bool in_irq4;
	struct {
		volatile bool done;
		volatile uint32_t during, eoi_seq, arrival_seq;
		volatile uint16_t irr, isr;
	} hold;
	struct {
		volatile bool done;
		volatile uint32_t nested;
		volatile uint16_t isr_nested, isr_after;
	} preempt;
	struct {
		volatile bool done;
		volatile uint16_t isr_both, isr_after_ir4, isr_after_ir0;
	} specific;
	struct {
		volatile bool done;
		char buf[TX_LINE_MAX];
		volatile uint32_t len, pos, interrupts, other;
	} tx;
};

extern struct pic_guest pg;

/* Installs the IRQ0 and IRQ4 handlers. */
void pic_guest_handlers(void);
/* Fills pg.tx with the line "<prog>: uart tx: ..." and resets its counters. */
void pic_tx_prepare(void);

#endif
