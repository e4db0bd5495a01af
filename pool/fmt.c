/*
 * A bounded formatter for audit messages and nothing else: %s, %u, %d, %lu,
 * %lx. Kernel code has no snprintf; this keeps the audit freestanding.
 */
#include <stdarg.h>

#include "pool/internal.h"

static void put_char(struct fmt_buf *b, char c)
{
	if (b->len + 1 < b->size)
		b->buf[b->len++] = c;
	if (b->size)
		b->buf[b->len < b->size ? b->len : b->size - 1] = '\0';
}

static void put_unsigned(struct fmt_buf *b, unsigned long v, unsigned base)
{
	char tmp[24];
	int n = 0;

	do {
		unsigned d = (unsigned)(v % base);
		tmp[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
		v /= base;
	} while (v);
	while (n)
		put_char(b, tmp[--n]);
}

void fmt_append(struct fmt_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put_char(b, *fmt);
			continue;
		}
		fmt++;
		if (*fmt == 's') {
			for (const char *s = va_arg(ap, const char *); *s; s++)
				put_char(b, *s);
		} else if (*fmt == 'u') {
			put_unsigned(b, va_arg(ap, unsigned), 10);
		} else if (*fmt == 'd') {
			int v = va_arg(ap, int);
			if (v < 0)
				put_char(b, '-');
			put_unsigned(b, v < 0 ? 0ul - (unsigned long)v : (unsigned long)v, 10);
		} else if (*fmt == 'l' && fmt[1] == 'u') {
			fmt++;
			put_unsigned(b, va_arg(ap, unsigned long), 10);
		} else if (*fmt == 'l' && fmt[1] == 'x') {
			fmt++;
			put_unsigned(b, va_arg(ap, unsigned long), 16);
		} else {
			put_char(b, '%');
			if (!*fmt)
				break;
			put_char(b, *fmt);
		}
	}
	va_end(ap);
}
