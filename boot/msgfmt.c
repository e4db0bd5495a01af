/* Bounded message formatting: see boot/msgfmt.h. */
#include "boot/msgfmt.h"

#include <stdint.h>

struct msg_out {
	char *buf;
	size_t cap;
	size_t len;
};

static void out_char(struct msg_out *o, char c)
{
	if (o->len + 1 < o->cap)
		o->buf[o->len++] = c;
}

static void out_string(struct msg_out *o, const char *s)
{
	if (!s)
		s = "(null)";
	while (*s)
		out_char(o, *s++);
}

static void out_unsigned(struct msg_out *o, unsigned long long v, unsigned base)
{
	char digits[24];
	int n = 0;
	do {
		unsigned d = (unsigned)(v % base);
		digits[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
		v /= base;
	} while (v);
	while (n)
		out_char(o, digits[--n]);
}

static void out_signed(struct msg_out *o, long long v)
{
	if (v < 0) {
		out_char(o, '-');
		out_unsigned(o, 0ULL - (unsigned long long)v, 10);
	} else {
		out_unsigned(o, (unsigned long long)v, 10);
	}
}

/* Reads one integer argument of the given length class (0 int, 1 long, 2 long long). */
static unsigned long long arg_unsigned(va_list *ap, int longs)
{
	if (longs == 0)
		return va_arg(*ap, unsigned int);
	if (longs == 1)
		return va_arg(*ap, unsigned long);
	return va_arg(*ap, unsigned long long);
}

static long long arg_signed(va_list *ap, int longs)
{
	if (longs == 0)
		return va_arg(*ap, int);
	if (longs == 1)
		return va_arg(*ap, long);
	return va_arg(*ap, long long);
}

static void out_conversion(struct msg_out *o, char conv, int longs, va_list *ap)
{
	switch (conv) {
	case 's':
		out_string(o, va_arg(*ap, const char *));
		break;
	case 'c':
		out_char(o, (char)va_arg(*ap, int));
		break;
	case 'd':
	case 'i':
		out_signed(o, arg_signed(ap, longs));
		break;
	case 'u':
		out_unsigned(o, arg_unsigned(ap, longs), 10);
		break;
	case 'x':
		out_unsigned(o, arg_unsigned(ap, longs), 16);
		break;
	case '%':
		out_char(o, '%');
		break;
	default:
		out_char(o, '?');
		break;
	}
}

void msg_vformat(char *buf, size_t cap, const char *fmt, va_list ap)
{
	struct msg_out o = {buf, cap, 0};
	va_list args;

	if (!buf || cap == 0)
		return;
	va_copy(args, ap);
	while (*fmt) {
		int longs = 0;
		if (*fmt != '%') {
			out_char(&o, *fmt++);
			continue;
		}
		fmt++;
		while (*fmt == 'l' && longs < 2) {
			longs++;
			fmt++;
		}
		if (!*fmt)
			break;
		out_conversion(&o, *fmt++, longs, &args);
	}
	va_end(args);
	buf[o.len] = '\0';
}

void msg_format(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	msg_vformat(buf, cap, fmt, ap);
	va_end(ap);
}
