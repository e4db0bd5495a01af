/* Bounded formatting (vmx/load/linux_text.h). */
#include "vmx/load/linux_text.h"

struct text {
	char *out;
	uint32_t len, pos;
};

static void put_char(struct text *t, char ch)
{
	if (t->pos + 1 < t->len)
		t->out[t->pos++] = ch;
}

static void put_number(struct text *t, uint64_t v, uint32_t base)
{
	char digits[20]; /* 2^64 - 1 has 20 decimal digits */
	uint32_t n = 0;
	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n)
		put_char(t, digits[--n]);
}

static void put_string(struct text *t, const char *s)
{
	for (; s && *s; s++)
		put_char(t, *s);
}

/* One conversion after '%'; returns the characters of fmt it used. */
static uint32_t put_conversion(struct text *t, const char *fmt, va_list *ap)
{
	switch (fmt[0]) {
	case 's':
		put_string(t, va_arg(*ap, const char *));
		return 1;
	case 'u':
	case 'x':
		put_number(t, va_arg(*ap, unsigned int), fmt[0] == 'x' ? 16 : 10);
		return 1;
	case 'l':
		if (fmt[1] == 'u' || fmt[1] == 'x') {
			put_number(t, va_arg(*ap, unsigned long), fmt[1] == 'x' ? 16 : 10);
			return 2;
		}
		break;
	case '%':
		put_char(t, '%');
		return 1;
	}
	put_char(t, '%'); /* unknown conversion: shown as written */
	return 0;
}

uint32_t linux_vformat(char *out, uint32_t len, const char *fmt, va_list ap)
{
	struct text t = {out, len, 0};
	va_list args;
	if (!out || !len)
		return 0;
	va_copy(args, ap);
	while (*fmt) {
		if (*fmt == '%')
			fmt += 1 + put_conversion(&t, fmt + 1, &args);
		else
			put_char(&t, *fmt++);
	}
	va_end(args);
	out[t.pos] = 0;
	return t.pos;
}

uint32_t linux_format(char *out, uint32_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	uint32_t n = linux_vformat(out, len, fmt, ap);
	va_end(ap);
	return n;
}
