/*
 * The pit suite's machine: a guest clock the tests move by hand, an
 * interrupt controller that records every level IRQ0 is driven to, the PIT
 * on its PC ports, and the loop that runs the PIT's timer as the machine
 * does (disarm, then fire at the time it gets round to it).
 */
#ifndef TESTS_UNIT_PIT_ENV_H
#define TESTS_UNIT_PIT_ENV_H

#include <stdbool.h>
#include <stdint.h>

#include "vmx/dev/pit.h"

#define ENV_MAX_CHANGES 8192

/* The PIT clock of a PC: 1.193182 MHz, exactly 105/88 MHz. */
#define PIT_HZ_NUM 105000000ull
#define PIT_HZ_DEN 88ull

struct irq_change {
	uint64_t ns;
	bool level;
};

struct env {
	struct pit pit;
	uint64_t now;
	struct io_irq_chip chip;
	bool line;      /* IRQ0 as the controller sees it */
	unsigned rises; /* low-to-high transitions the controller saw */
	unsigned wrong_pin;
	unsigned nchanges;
	struct irq_change changes[ENV_MAX_CHANGES];
	char log[512]; /* what io_log_print wrote */
};

extern struct env env;

/* A fresh machine at guest time 0, the PIT as the BIOS leaves it. */
void env_reset(void);
void env_at(uint64_t ns);
/* Guest time of PIT clock pulse k (the first ns at or after it; pulse 0 is
 * at guest time 0). */
uint64_t pulse_ns(uint64_t k);
void env_at_pulse(uint64_t k);

/* Byte port accesses at the current guest time; the handler must claim them. */
uint8_t pio_in(uint16_t port);
void pio_out(uint16_t port, uint8_t value);
/* Accesses of any size: whether the handler claimed it. */
bool pio_in_sized(uint16_t port, unsigned size, uint32_t *value);
bool pio_out_sized(uint16_t port, unsigned size, uint32_t value);

/* Control word, then the count in the format the control word selects. */
void pit_program(uint8_t cw, uint16_t count);
/* The count of counter `ch` through the counter latch command (format LSB then MSB). */
uint16_t pit_latched_count(unsigned ch);
/* The status byte of counter `ch` through the read-back command. */
uint8_t pit_status(unsigned ch);
bool pit_out(unsigned ch);

/* Run the PIT's timer until guest time `until`, each fire `late` ns after
 * its deadline; guest time ends at `until`. */
void run_machine(uint64_t until, uint64_t late);
/* Rising transitions the controller saw in [from, to). */
unsigned rises_between(uint64_t from, uint64_t to);

/* pit_print into env.log. */
void pit_print_capture(void);

#endif
