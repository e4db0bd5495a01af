/* COM1 interrupt enables for the irq guests (PC16550D datasheet). */
#include "tests/guests/irq_uart.h"

#define DRAIN_POLL_LIMIT 1000000u

#define RX_FLUSH_LIMIT 64u

void uart_irq_init(void)
{
	uart_out(UART_IER, 0);
	uart_out(UART_MCR, MCR_DTR_RTS_OUT2);
	for (uint32_t i = 0; i < RX_FLUSH_LIMIT && (uart_in(UART_LSR) & LSR_DR); i++)
		(void)uart_in(UART_RBR);
	(void)uart_in(UART_IIR);
}

void uart_drain(void)
{
	for (uint32_t i = 0; i < DRAIN_POLL_LIMIT; i++)
		if (uart_in(UART_LSR) & LSR_TEMT)
			return;
}
