/* Polled output on COM1 (16550 UART at 0x3f8): wait for THR empty, write THR. */
#include "tests/guests/console.h"

#include <stdbool.h>
#include <stdint.h>

#include "tests/guests/cpu.h"

#define COM1          0x3f8
#define UART_THR      0
#define UART_IER      1
#define UART_FCR      2
#define UART_LCR      3
#define UART_MCR      4
#define UART_LSR      5
#define UART_LSR_THRE (1u << 5)
#define UART_LCR_DLAB (1u << 7)
#define UART_LCR_8N1  0x03

/* 115200 baud, 8N1, FIFO on, no interrupts: a plain 16550 set-up a guest OS would do. */
void console_init(void)
{
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, UART_LCR_DLAB);
	outb(COM1 + 0, 1);
	outb(COM1 + 1, 0);
	outb(COM1 + UART_LCR, UART_LCR_8N1);
	outb(COM1 + UART_FCR, 0x07);
	outb(COM1 + UART_MCR, 0x03);
}

void console_putc(char c)
{
	if (c == '\n')
		console_putc('\r');
	/* Bounded wait: a missing UART must not hang the guest. */
	for (uint32_t spin = 0; spin < 1000000; spin++)
		if (inb(COM1 + UART_LSR) & UART_LSR_THRE)
			break;
	outb(COM1 + UART_THR, (uint8_t)c);
}

static void put_str(const char *s, int width)
{
	int len = 0;
	while (s[len])
		len++;
	for (; width > len; width--)
		console_putc(' ');
	while (*s)
		console_putc(*s++);
}

static void put_num(unsigned long long v, unsigned base, int width, bool zero, bool neg)
{
	char buf[24];
	int n = 0;
	do {
		unsigned digit;
		if (base == 16) {
			digit = (unsigned)(v & 0xf);
			v >>= 4;
		} else {
			/* Decimal: only values that fit in unsigned long (no libgcc in 32-bit). */
			unsigned long w = (unsigned long)v;
			digit = (unsigned)(w % 10);
			v = w / 10;
		}
		buf[n++] = (char)(digit < 10 ? '0' + digit : 'a' + digit - 10);
	} while (v);
	if (neg)
		buf[n++] = '-';
	for (; width > n; width--)
		console_putc(zero ? '0' : ' ');
	while (n)
		console_putc(buf[--n]);
}

void gvprintf(const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			console_putc(*fmt);
			continue;
		}
		fmt++;
		bool zero = false;
		int width = 0, longs = 0;
		if (*fmt == '0') {
			zero = true;
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l') {
			longs++;
			fmt++;
		}
		unsigned long long v;
		switch (*fmt) {
		case 's':
			put_str(va_arg(ap, const char *), width);
			break;
		case 'c':
			console_putc((char)va_arg(ap, int));
			break;
		case 'p':
			put_num((uintptr_t)va_arg(ap, void *), 16, width, zero, false);
			break;
		case 'd': {
			long long s = longs == 2   ? va_arg(ap, long long)
			              : longs == 1 ? va_arg(ap, long)
			                           : va_arg(ap, int);
			put_num(s < 0 ? -(unsigned long long)s : (unsigned long long)s, 10, width,
			        zero, s < 0);
			break;
		}
		case 'u':
		case 'x':
			v = longs == 2   ? va_arg(ap, unsigned long long)
			    : longs == 1 ? va_arg(ap, unsigned long)
			                 : va_arg(ap, unsigned);
			put_num(v, *fmt == 'x' ? 16 : 10, width, zero, false);
			break;
		case '%':
			console_putc('%');
			break;
		default:
			console_putc('?');
			break;
		}
	}
}

void gprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	gvprintf(fmt, ap);
	va_end(ap);
}
