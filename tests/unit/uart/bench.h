/*
 * The uart suite's test bench: one 16550 wired to a fake interrupt
 * controller that records every level change of its line, a guest clock
 * moved by hand, and an output sink that collects the transmitted bytes.
 */
#ifndef TESTS_UNIT_UART_BENCH_H
#define TESTS_UNIT_UART_BENCH_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "vmx/dev/ns16550.h"

#define BENCH_IRQ_PIN     4 /* COM1 */
#define BENCH_MAX_CHANGES 4096
#define BENCH_MAX_OUT     4096

struct bench {
	struct ns16550 uart;
	struct io_irq_chip chip;
	bool change[BENCH_MAX_CHANGES]; /* each level the chip was given, in order */
	unsigned changes;
	unsigned wrong_pin; /* set_level calls for a pin other than BENCH_IRQ_PIN */
	unsigned refused;   /* rd()/wr() accesses the UART refused */
	uint8_t out[BENCH_MAX_OUT];
	unsigned nout;
	uint64_t now; /* guest ns */
	char log[1024];
	unsigned loglen;
};

extern struct bench bench;

/* A fresh bench: the UART just initialized, its changes list emptied (init
 * drives the line low once; that call is dropped). */
struct ns16550 *bench_start(void);

uint8_t rd(uint16_t offset);
void wr(uint16_t offset, uint8_t value);

/* The level the controller sees now (false before any change). */
bool bench_line(void);

/* Move guest time on and run the UART's timer if it is due, as the machine
 * does before each guest entry. */
void bench_advance(uint64_t ns);

/* The line's level changes since the last call, as a string of '0' and '1'. */
const char *bench_edges(void);

/* Program a usual Linux setup: 8N1 at `divisor`, FIFOs per `fcr`, IER, MCR. */
void bench_setup(uint16_t divisor, uint8_t fcr, uint8_t ier, uint8_t mcr);

/* A printf sink for io_log that appends to bench.log. */
int bench_vprintf(const char *fmt, va_list ap);

#endif
