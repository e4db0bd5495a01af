/*
 * Formatted output for the log. One formatter (format_to) writes through an
 * emitter; printf emits to the serial port, snprintf into a buffer.
 */
#include "arch/x86/printf.h"
#include "arch/x86/serial.h"

#include <stdint.h>

struct emitter {
	void (*put)(struct emitter *e, char c);
	char *buf;
	size_t size;
	size_t count;
};

struct spec {
	int width;
	int zero_pad;
	int left;
	int longs; /* 0 = int, 1 = long, 2 = long long */
};

static void (*printf_sink)(char c) = serial_putc;

void printf_set_sink(void (*sink)(char c))
{
	printf_sink = sink;
}

static void emit(struct emitter *e, char c)
{
	e->put(e, c);
	e->count++;
}

static void emit_padded(struct emitter *e, const char *s, size_t len, const struct spec *sp,
                        int allow_zero)
{
	size_t pad = sp->width > 0 && (size_t)sp->width > len ? (size_t)sp->width - len : 0;
	char padc = (sp->zero_pad && allow_zero && !sp->left) ? '0' : ' ';

	if (padc == '0' && len && (*s == '-')) {
		emit(e, *s++);
		len--;
	}
	while (!sp->left && pad--)
		emit(e, padc);
	while (len--)
		emit(e, *s++);
	while (sp->left && pad--)
		emit(e, ' ');
}

static void emit_number(struct emitter *e, uint64_t v, int negative, unsigned base, int upper,
                        const struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = sizeof(tmp);

	do {
		tmp[--n] = digits[v % base];
		v /= base;
	} while (v);
	if (negative)
		tmp[--n] = '-';
	emit_padded(e, tmp + n, sizeof(tmp) - (size_t)n, sp, 1);
}

static uint64_t take_unsigned(va_list *ap, int longs)
{
	if (longs == 2)
		return va_arg(*ap, unsigned long long);
	if (longs == 1)
		return va_arg(*ap, unsigned long);
	return va_arg(*ap, unsigned int);
}

static int64_t take_signed(va_list *ap, int longs)
{
	if (longs == 2)
		return va_arg(*ap, long long);
	if (longs == 1)
		return va_arg(*ap, long);
	return va_arg(*ap, int);
}

static const char *parse_spec(const char *f, struct spec *sp)
{
	*sp = (struct spec){0};
	for (;; f++) {
		if (*f == '0')
			sp->zero_pad = 1;
		else if (*f == '-')
			sp->left = 1;
		else
			break;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	/* 'z' is size_t, a long on x86-64. */
	while (*f == 'l' || *f == 'z') {
		sp->longs++;
		f++;
	}
	if (sp->longs > 2)
		sp->longs = 2;
	return f;
}

static void format_one(struct emitter *e, char conv, const struct spec *sp, va_list *ap)
{
	switch (conv) {
	case 'd':
	case 'i': {
		int64_t v = take_signed(ap, sp->longs);
		uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
		emit_number(e, mag, v < 0, 10, 0, sp);
		break;
	}
	case 'u':
		emit_number(e, take_unsigned(ap, sp->longs), 0, 10, 0, sp);
		break;
	case 'x':
	case 'X':
		emit_number(e, take_unsigned(ap, sp->longs), 0, 16, conv == 'X', sp);
		break;
	case 'p': {
		struct spec p = {.width = 16, .zero_pad = 1};
		emit(e, '0');
		emit(e, 'x');
		emit_number(e, (uint64_t)(uintptr_t)va_arg(*ap, void *), 0, 16, 0, &p);
		break;
	}
	case 's': {
		const char *s = va_arg(*ap, const char *);
		size_t len = 0;
		if (!s)
			s = "(null)";
		while (s[len])
			len++;
		emit_padded(e, s, len, sp, 0);
		break;
	}
	case 'c': {
		char c = (char)va_arg(*ap, int);
		emit_padded(e, &c, 1, sp, 0);
		break;
	}
	case '%':
		emit(e, '%');
		break;
	default:
		emit(e, '%');
		emit(e, conv);
		break;
	}
}

static int format_to(struct emitter *e, const char *fmt, va_list ap)
{
	va_list args;
	va_copy(args, ap);
	while (*fmt) {
		struct spec sp;
		if (*fmt != '%') {
			emit(e, *fmt++);
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp);
		if (!*fmt)
			break;
		format_one(e, *fmt++, &sp, &args);
	}
	va_end(args);
	return (int)e->count;
}

static void put_sink(struct emitter *e, char c)
{
	(void)e;
	printf_sink(c);
}

static void put_buffer(struct emitter *e, char c)
{
	if (e->size && e->count < e->size - 1)
		e->buf[e->count] = c;
}

int vprintf(const char *fmt, va_list ap)
{
	struct emitter e = {.put = put_sink};
	return format_to(&e, fmt, ap);
}

int printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct emitter e = {.put = put_buffer, .buf = buf, .size = size};
	int n = format_to(&e, fmt, ap);
	if (size)
		buf[e.count < size ? e.count : size - 1] = '\0';
	return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
