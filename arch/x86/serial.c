/*
 * Polled 16550 UART driver for the hypervisor log. The BIOS data area word at
 * 0x400 holds COM1's I/O port; UEFI machines leave it zero or stale, so only
 * the four standard ports are believed, else 0x3F8.
 */
#include "arch/x86/serial.h"
#include "arch/x86/cpu.h"

#define BDA_COM1_PORT     0x400
#define UART_DEFAULT_PORT 0x3f8

/* Register offsets (16550 data sheet). */
#define UART_THR 0 /* transmit holding (DLAB=0) */
#define UART_DLL 0 /* divisor low (DLAB=1) */
#define UART_IER 1
#define UART_DLM 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5

#define LCR_8N1          0x03
#define LCR_DLAB         0x80
#define FCR_ENABLE_CLEAR 0xc7
#define MCR_DTR_RTS      0x03
#define LSR_DATA_READY   0x01
#define LSR_THR_EMPTY    0x20
#define LSR_TX_IDLE      0x40 /* holding and shift registers empty */
#define DIVISOR_115200   1

/* Give up waiting on a UART that never drains (absent hardware). */
#define UART_SPIN_LIMIT 100000

static uint16_t uart_port = UART_DEFAULT_PORT;

static int port_is_standard(uint16_t port)
{
	return port == 0x3f8 || port == 0x2f8 || port == 0x3e8 || port == 0x2e8;
}

void serial_init(void)
{
	uint16_t bda = read_low16(BDA_COM1_PORT);

	uart_port = port_is_standard(bda) ? bda : UART_DEFAULT_PORT;
	outb(uart_port + UART_IER, 0);
	outb(uart_port + UART_LCR, LCR_DLAB);
	outb(uart_port + UART_DLL, DIVISOR_115200);
	outb(uart_port + UART_DLM, 0);
	outb(uart_port + UART_LCR, LCR_8N1);
	outb(uart_port + UART_FCR, FCR_ENABLE_CLEAR);
	outb(uart_port + UART_MCR, MCR_DTR_RTS);
}

static void serial_put_raw(char c)
{
	for (uint32_t i = 0; i < UART_SPIN_LIMIT; i++) {
		if (inb(uart_port + UART_LSR) & LSR_THR_EMPTY)
			break;
		cpu_relax();
	}
	outb(uart_port + UART_THR, (uint8_t)c);
}

void serial_putc(char c)
{
	if (c == '\n')
		serial_put_raw('\r');
	serial_put_raw(c);
}

int serial_getc_nonblock(void)
{
	if (!(inb(uart_port + UART_LSR) & LSR_DATA_READY))
		return -1;
	return inb(uart_port + UART_THR); /* RBR, at the same offset */
}

void serial_put_raw_byte(uint8_t byte)
{
	serial_put_raw((char)byte);
}

void serial_flush(void)
{
	for (uint32_t i = 0; i < UART_SPIN_LIMIT; i++) {
		if (inb(uart_port + UART_LSR) & LSR_TX_IDLE)
			return;
		cpu_relax();
	}
}

uint16_t serial_port(void)
{
	return uart_port;
}
