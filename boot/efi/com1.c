/* Polled COM1 output for the EFI loader: see boot/efi/com1.h. */
#include "boot/efi/com1.h"

#include <stdint.h>

#define COM1             0x3f8
/* 16550 registers (offsets from the base) and bits. */
#define UART_THR         0 /* transmit holding (DLAB=0) */
#define UART_DLL         0 /* divisor latch low (DLAB=1) */
#define UART_IER         1 /* interrupt enable (DLAB=0) */
#define UART_DLM         1 /* divisor latch high (DLAB=1) */
#define UART_FCR         2
#define UART_LCR         3
#define UART_MCR         4
#define UART_LSR         5
#define LCR_8N1          0x03
#define LCR_DLAB         0x80
#define FCR_ENABLE_CLEAR 0x07
#define MCR_DTR_RTS_OUT2 0x0b
#define LSR_THRE         0x20
#define DIVISOR_115200   1 /* 1.8432 MHz / 16 / 115200 */
#define READY_POLLS      100000

static int port_present = 1;

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

void com1_init(void)
{
	/* No UART answers with all ones. */
	if (inb(COM1 + UART_LSR) == 0xff) {
		port_present = 0;
		return;
	}
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, LCR_DLAB);
	outb(COM1 + UART_DLL, DIVISOR_115200);
	outb(COM1 + UART_DLM, 0);
	outb(COM1 + UART_LCR, LCR_8N1);
	outb(COM1 + UART_FCR, FCR_ENABLE_CLEAR);
	outb(COM1 + UART_MCR, MCR_DTR_RTS_OUT2);
}

static void put(char c)
{
	for (int i = 0; i < READY_POLLS; i++)
		if (inb(COM1 + UART_LSR) & LSR_THRE) {
			outb(COM1 + UART_THR, (uint8_t)c);
			return;
		}
	port_present = 0; /* stuck: stop trying rather than hang the boot */
}

void com1_write(const char *s)
{
	for (; port_present && *s; s++) {
		if (*s == '\n')
			put('\r');
		put(*s);
	}
}
