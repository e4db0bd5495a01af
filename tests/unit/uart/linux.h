/*
 * The register accesses of Linux's 8250 driver (drivers/tty/serial/8250/
 * 8250_port.c), replayed against the bench UART: port detection
 * (autoconfig), start-up tests, the console's polled output and the
 * interrupt handler's RX/TX loops. Written from the driver's documented
 * behaviour, access by access, to check what it would conclude.
 */
#ifndef TESTS_UNIT_UART_LINUX_H
#define TESTS_UNIT_UART_LINUX_H

#include <stdbool.h>
#include <stdint.h>

enum linux_port_type {
	LINUX_PORT_UNKNOWN,
	LINUX_PORT_8250,
	LINUX_PORT_16450,
	LINUX_PORT_16550,
	LINUX_PORT_16550A,
	LINUX_PORT_16650, /* any EFR-based variant */
	LINUX_PORT_NS16550A,
	LINUX_PORT_16750,
	LINUX_PORT_XSCALE,
	LINUX_PORT_U6_16550A,
};

struct linux_probe {
	enum linux_port_type type;
	bool ier_test_failed, loop_test_failed;
	unsigned fifo_size; /* size_fifo()'s count, when the full probe ran it */
};

/* autoconfig(); `full_probe`: CONFIG_SERIAL_8250_16550A_VARIANTS. */
struct linux_probe linux_autoconfig(bool full_probe);

/* The THRE and TXEN tests of serial8250_do_startup(): the bugs it would set. */
struct linux_startup {
	bool bug_thre, bug_txen;
	uint8_t iir1, iir2;
};
struct linux_startup linux_startup(void);

/* set_termios for 115200 8N1 on a 16550A, then IER = RLSI | RDI. */
void linux_set_termios(void);

/* serial8250_console_write(): returns the LSR polls it needed. */
unsigned linux_console_write(const char *text);

/* The tty side of the driver: what is queued for TX and what RX delivered. */
struct linux_tty {
	const uint8_t *xmit;
	unsigned xmit_len, xmit_done;
	uint8_t rx[4096];
	unsigned rx_len;
	uint8_t ier; /* the driver's IER shadow (up->ier) */
	unsigned handled, unhandled;
};
extern struct linux_tty linux_tty;

/* Forget the tty state and the latched edges: call after bench_start(). */
void linux_begin(void);

/* Opening the tty: linux_begin, linux_startup, linux_set_termios, then the
 * interrupt the startup's TXEN test latched is delivered (and found
 * nothing to do, as on a real port) before the counts are zeroed. */
void linux_open(void);

/* start_tx(): set IER.THRI if it is not set. */
void linux_start_tx(void);

/*
 * The 8259 in edge mode in front of the driver: every rising edge of the
 * line since the last call latches a request; each request runs
 * serial8250_interrupt(), whose loop calls the port's handler until IIR
 * shows nothing pending. Returns the number of interrupts delivered.
 */
unsigned linux_deliver_interrupts(void);

#endif
