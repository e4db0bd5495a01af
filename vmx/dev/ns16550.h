/*
 * A PC16550D UART (National Semiconductor / TI, "PC16550D Universal
 * Asynchronous Receiver/Transmitter with FIFOs") as a guest's COM port:
 * every register, the 16-byte RX FIFO with its trigger levels, the five
 * interrupt sources with their priorities, loopback and the modem lines.
 * Linux's 8250 driver identifies it as a 16550A.
 *
 * Choices where a model without a baud clock must decide (details in the
 * files named):
 *  - Transmission is instant (ns16550_intr.c): a byte written to THR goes to
 *    the output sink at once, so LSR.THRE and LSR.TEMT always read 1 and the
 *    TX FIFO is never more than empty. The THRE interrupt still follows the
 *    datasheet: a THR write clears it and the byte's departure raises it
 *    again at once (the IRQ line drops and rises); reading IIR clears it
 *    when it is the reported source; setting IER.ETBEI raises it.
 *  - The character timeout (ns16550_rx.c) uses the real four character
 *    times of the programmed divisor and frame format, counted in guest
 *    time from the last RX FIFO activity; a timer raises it, and an IIR
 *    read checks it too.
 *  - Host input (ns16550_receive) never overruns: a full FIFO refuses the
 *    byte and the caller keeps it. Overruns happen only in loopback.
 *  - In loopback the IRQ line is not driven (ns16550_modem.c): the
 *    datasheet forces the modem control output pins, OUT2 among them,
 *    inactive, and on a PC the OUT2 pin gates the IRQ driver.
 *
 * Pure logic (no hardware access): the bus calls the port handlers, the
 * machine runs the timer and passes host input in.
 */
#ifndef VMX_DEV_NS16550_H
#define VMX_DEV_NS16550_H

#include <stdbool.h>
#include <stdint.h>

#include "vmx/dev/ns16550_regs.h"
#include "vmx/io/clock.h"
#include "vmx/io/irq.h"
#include "vmx/io/log.h"
#include "vmx/io/timer.h"

/* Where transmitted bytes go (a console, a log line collector). */
typedef void (*ns16550_tx_fn)(void *ctx, uint8_t byte);

/* The receiver's FIFO; without FIFOs (16450 mode) it holds one byte: RBR. */
struct ns16550_rx_fifo {
	uint8_t byte[NS16550_FIFO_SIZE];
	uint8_t error[NS16550_FIFO_SIZE]; /* LSR PE/FE/BI that came with each byte */
	uint8_t head, count;
};

struct ns16550_stats {
	uint64_t tx_bytes;    /* written to the output sink */
	uint64_t rx_bytes;    /* taken from the host */
	uint64_t loop_bytes;  /* transmitted into our own receiver in loopback */
	uint64_t overruns;    /* loopback bytes lost to a full receiver (LSR.OE) */
	uint64_t interrupts;  /* rising edges of the IRQ line */
	uint64_t rx_timeouts; /* character timeout indications */
};

struct ns16550 {
	/* Registers as the guest programmed them. */
	uint8_t ier, lcr, mcr, fcr, scr, dll, dlm;
	uint8_t rbr;        /* the last byte read from the receiver */
	uint8_t lsr_errors; /* OE, PE, FE, BI latched until LSR is read */
	bool rx_fifo_error; /* LSR bit 7 */
	uint8_t msr_deltas; /* MSR bits 3..0, cleared by reading MSR */
	uint8_t lines;      /* MSR bits 7..4: the modem inputs as MSR shows them now */
	uint8_t external;   /* MSR bits 7..4 of the connected terminal */

	/* Interrupt state. */
	bool thre_pending;       /* the THRE interrupt's latch */
	bool rx_timeout;         /* character timeout indicated, until RBR is read */
	bool irq_level;          /* what we drive on the line now */
	uint64_t rx_quiet_since; /* guest ns of the last RX FIFO activity */

	struct ns16550_rx_fifo rx;
	struct ns16550_stats stats;

	/* Wiring. */
	struct io_irq irq;
	struct io_clock clock;
	struct io_timer rx_timer;
	ns16550_tx_fn tx;
	void *tx_ctx;
};

/*
 * Wire the UART (interrupt line, guest clock, output sink; tx may be 0 to
 * drop output) and put it in its power-up state: ns16550_reset, divisor 12
 * (9600 baud, what a PC BIOS programs; the datasheet leaves it undefined),
 * scratch 0, a terminal connected (CTS, DSR, DCD on; RI off). The line is
 * driven low. The machine must add ns16550_timer(u) with io_bus_add_timer.
 */
void ns16550_init(struct ns16550 *u, struct io_irq irq, struct io_clock clock, ns16550_tx_fn tx,
                  void *tx_ctx);

/* The master reset (datasheet Table III "UART Reset Configuration"): IER,
 * FCR, LCR, MCR 0, LSR 0x60, IIR 0x01, FIFOs empty, MSR deltas clear, line
 * low. The divisor latch, the scratch register and the statistics stay. */
void ns16550_reset(struct ns16550 *u);

/* Port handlers for the bus: offsets 0..7, 1-byte accesses only (other
 * widths and offsets are refused: false). */
bool ns16550_port_read(void *u, uint16_t offset, unsigned size, uint32_t *value);
bool ns16550_port_write(void *u, uint16_t offset, unsigned size, uint32_t value);

/*
 * Host input: one byte arrives on the serial line. False, and nothing
 * changes, when the receiver cannot take it (FIFO or RBR full, or loopback
 * disconnects the input): the caller keeps the byte and offers it again.
 */
bool ns16550_receive(struct ns16550 *u, uint8_t byte);
bool ns16550_can_receive(const struct ns16550 *u);

/* The same with receive errors: `errors` is a mask of NS16550_LSR_PE, _FE
 * and _BI; a break is a 0 byte with NS16550_LSR_BI. */
bool ns16550_receive_with_errors(struct ns16550 *u, uint8_t byte, uint8_t errors);

/* The terminal's modem lines (MSR bits 7..4: CTS, DSR, RI, DCD) change;
 * changes set the MSR delta bits while not in loopback. */
void ns16550_set_modem_lines(struct ns16550 *u, uint8_t lines);

/* The character timeout timer, for io_bus_add_timer. */
static inline struct io_timer *ns16550_timer(struct ns16550 *u)
{
	return &u->rx_timer;
}

/* The divisor latch (DLM:DLL). */
static inline uint16_t ns16550_divisor(const struct ns16550 *u)
{
	return (uint16_t)(u->dlm << 8 | u->dll);
}

/* One report line: "uart: 120 bytes out, 3 in, 0 looped back (0 overruns),
 * 5 interrupts, 1 rx timeouts; lcr 0x03 ier 0x05 fcr 0x81 mcr 0x0b divisor 1". */
void ns16550_print(const struct ns16550 *u, struct io_log *log);

#endif
