/* COM1's interrupt side (National PC16550D datasheet, "Interrupt Enable Register",
 * "Interrupt Identification Register", "Modem Control Register"): the console (console.c)
 * polls, the irq guests add transmit and receive interrupts on IRQ4. */
#ifndef GUESTS_IRQ_UART_H
#define GUESTS_IRQ_UART_H

#include <stdint.h>

#include "tests/guests/cpu.h"

#define COM1_BASE 0x3f8
#define UART_RBR  0 /* read: receiver buffer; write: transmitter holding register */
#define UART_THR  0
#define UART_IER  1
#define UART_IIR  2
#define UART_MCR  4
#define UART_LSR  5

#define IER_ERBFI (1u << 0) /* received data available */
#define IER_ETBEI (1u << 1) /* transmitter holding register empty */

/* IIR bits 3-0: bit 0 = no interrupt pending, bits 3-1 the source by priority. */
#define IIR_ID_MASK 0x0fu
#define IIR_NONE    0x01u
#define IIR_THRE    0x02u
#define IIR_RDA     0x04u
#define IIR_RLS     0x06u
#define IIR_CTI     0x0cu /* character timeout (FIFO mode) */

/* MCR: OUT2 gates the UART's interrupt onto the PC's IRQ4 line. */
#define MCR_DTR_RTS      0x03u
#define MCR_DTR_RTS_OUT2 0x0bu

#define LSR_DR   (1u << 0)
#define LSR_THRE (1u << 5)
#define LSR_TEMT (1u << 6)

#define UART_TX_FIFO 16u /* 16550A transmit FIFO depth */

static inline uint8_t uart_in(unsigned reg)
{
	return inb((uint16_t)(COM1_BASE + reg));
}

static inline void uart_out(unsigned reg, uint8_t v)
{
	outb((uint16_t)(COM1_BASE + reg), v);
}

/* No interrupt enabled, OUT2 on (IRQ4 driven), stale status read away; the guest then
 * sets the IER for the interrupts it wants. */
void uart_irq_init(void);
/* Waits (bounded) until the transmitter is idle: polled output is all gone. */
void uart_drain(void);

#endif
