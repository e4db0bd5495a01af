/*
 * The register map of the National Semiconductor / TI PC16550D UART: eight
 * byte-wide registers at offsets 0..7 from the port base (datasheet Table II
 * "Summary of Registers"). Offsets 0 and 1 hold the divisor latch instead of
 * RBR/THR and IER while LCR.DLAB is set; offset 2 reads IIR and writes FCR.
 */
#ifndef VMX_DEV_NS16550_REGS_H
#define VMX_DEV_NS16550_REGS_H

#include <stdbool.h>
#include <stdint.h>

#define NS16550_PORTS     8
#define NS16550_FIFO_SIZE 16        /* both FIFOs, datasheet "FIFO Control Register" */
#define NS16550_CLOCK_HZ  1843200ul /* the PC's UART crystal: divisor 1 is 115200 baud */

/* Register offsets. */
#define NS16550_RBR 0 /* read, DLAB = 0: receiver buffer */
#define NS16550_THR 0 /* write, DLAB = 0: transmitter holding */
#define NS16550_DLL 0 /* DLAB = 1: divisor latch, low byte */
#define NS16550_IER 1 /* DLAB = 0 */
#define NS16550_DLM 1 /* DLAB = 1: divisor latch, high byte */
#define NS16550_IIR 2 /* read */
#define NS16550_FCR 2 /* write */
#define NS16550_LCR 3
#define NS16550_MCR 4
#define NS16550_LSR 5
#define NS16550_MSR 6
#define NS16550_SCR 7

/* Interrupt Enable Register: bits 7..4 are always 0. */
#define NS16550_IER_ERBFI   (1u << 0) /* received data available (and character timeout) */
#define NS16550_IER_ETBEI   (1u << 1) /* transmitter holding register empty */
#define NS16550_IER_ELSI    (1u << 2) /* receiver line status */
#define NS16550_IER_EDSSI   (1u << 3) /* modem status */
#define NS16550_IER_DEFINED 0x0fu

/* Interrupt Identification Register (datasheet Table IV "Interrupt Control
 * Functions"): bit 0 clear while an interrupt is pending, bits 3..1 name
 * the highest-priority one, bits 7..6 set while the FIFOs are enabled. */
#define NS16550_IIR_NONE        0x01u
#define NS16550_IIR_LINE_STATUS 0x06u /* priority 1 */
#define NS16550_IIR_RX_DATA     0x04u /* priority 2 */
#define NS16550_IIR_RX_TIMEOUT  0x0cu /* priority 2, FIFO mode only */
#define NS16550_IIR_THR_EMPTY   0x02u /* priority 3 */
#define NS16550_IIR_MODEM       0x00u /* priority 4 */
#define NS16550_IIR_ID_MASK     0x0fu
#define NS16550_IIR_FIFOS_ON    0xc0u

/* FIFO Control Register. */
#define NS16550_FCR_ENABLE        (1u << 0)
#define NS16550_FCR_CLEAR_RX      (1u << 1) /* self-clearing */
#define NS16550_FCR_CLEAR_TX      (1u << 2) /* self-clearing */
#define NS16550_FCR_DMA_MODE      (1u << 3) /* RXRDY/TXRDY pin mode: no pins here */
#define NS16550_FCR_TRIGGER_SHIFT 6
#define NS16550_FCR_TRIGGER_MASK  (3u << NS16550_FCR_TRIGGER_SHIFT)
#define NS16550_FCR_KEPT          (NS16550_FCR_ENABLE | NS16550_FCR_DMA_MODE | NS16550_FCR_TRIGGER_MASK)

/* Line Control Register. */
#define NS16550_LCR_WLS_MASK 0x03u     /* word length: 5 + WLS bits */
#define NS16550_LCR_STB      (1u << 2) /* 2 stop bits (1.5 with 5-bit words) */
#define NS16550_LCR_PEN      (1u << 3) /* parity enable */
#define NS16550_LCR_EPS      (1u << 4)
#define NS16550_LCR_STICK    (1u << 5)
#define NS16550_LCR_BREAK    (1u << 6)
#define NS16550_LCR_DLAB     (1u << 7)

/* Modem Control Register: bits 7..5 are always 0. */
#define NS16550_MCR_DTR     (1u << 0)
#define NS16550_MCR_RTS     (1u << 1)
#define NS16550_MCR_OUT1    (1u << 2)
#define NS16550_MCR_OUT2    (1u << 3) /* on a PC: enables the IRQ line driver */
#define NS16550_MCR_LOOP    (1u << 4)
#define NS16550_MCR_DEFINED 0x1fu

/* Line Status Register. */
#define NS16550_LSR_DR          (1u << 0) /* data ready */
#define NS16550_LSR_OE          (1u << 1) /* overrun error */
#define NS16550_LSR_PE          (1u << 2) /* parity error */
#define NS16550_LSR_FE          (1u << 3) /* framing error */
#define NS16550_LSR_BI          (1u << 4) /* break interrupt */
#define NS16550_LSR_THRE        (1u << 5) /* THR (FIFO mode: TX FIFO) empty */
#define NS16550_LSR_TEMT        (1u << 6) /* THR and transmitter shift register empty */
#define NS16550_LSR_RXFE        (1u << 7) /* an error somewhere in the RX FIFO */
#define NS16550_LSR_ERRORS      (NS16550_LSR_OE | NS16550_LSR_PE | NS16550_LSR_FE | NS16550_LSR_BI)
#define NS16550_LSR_CHAR_ERRORS (NS16550_LSR_PE | NS16550_LSR_FE | NS16550_LSR_BI)

/* Modem Status Register: deltas in bits 3..0, line states in bits 7..4. */
#define NS16550_MSR_DCTS   (1u << 0)
#define NS16550_MSR_DDSR   (1u << 1)
#define NS16550_MSR_TERI   (1u << 2) /* trailing edge of RI: it went from on to off */
#define NS16550_MSR_DDCD   (1u << 3)
#define NS16550_MSR_CTS    (1u << 4)
#define NS16550_MSR_DSR    (1u << 5)
#define NS16550_MSR_RI     (1u << 6)
#define NS16550_MSR_DCD    (1u << 7)
#define NS16550_MSR_DELTAS 0x0fu
#define NS16550_MSR_LINES  0xf0u

_Static_assert(NS16550_FCR_TRIGGER_MASK == 0xc0u, "RX trigger level is FCR bits 7..6");
_Static_assert((NS16550_MSR_CTS >> 4) == NS16550_MSR_DCTS &&
                   (NS16550_MSR_DCD >> 4) == NS16550_MSR_DDCD,
               "each MSR delta bit sits four below its line");

/* RX FIFO trigger levels for FCR bits 7..6 = 00, 01, 10, 11: 1, 4, 8, 14 bytes. */
static inline unsigned ns16550_rx_trigger(uint8_t fcr)
{
	static const uint8_t level[4] = {1, 4, 8, 14};
	return level[(fcr & NS16550_FCR_TRIGGER_MASK) >> NS16550_FCR_TRIGGER_SHIFT];
}

static inline bool ns16550_lcr_dlab(uint8_t lcr)
{
	return (lcr & NS16550_LCR_DLAB) != 0;
}

/*
 * One character on the wire in half bit times: start bit, 5..8 data bits,
 * the parity bit if enabled, and 1, 1.5 (5-bit words) or 2 stop bits
 * (datasheet "Line Control Register", bits 0..3).
 */
static inline unsigned ns16550_char_half_bits(uint8_t lcr)
{
	unsigned data = 5 + (lcr & NS16550_LCR_WLS_MASK);
	unsigned parity = (lcr & NS16550_LCR_PEN) ? 1 : 0;
	unsigned stop_halves = 2;

	if (lcr & NS16550_LCR_STB)
		stop_halves = data == 5 ? 3 : 4;
	return 2 * (1 + data + parity) + stop_halves;
}

#endif
