#ifndef ARCH_X86_PRINTF_H
#define ARCH_X86_PRINTF_H

#include <stdarg.h>
#include <stddef.h>

/*
 * A small printf: %d %i %u %x %X %p %s %c %%, the l/ll/z length modifiers,
 * field width, '0' padding and '-' left adjustment.
 */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* Where printf output goes; the serial log by default. */
void printf_set_sink(void (*sink)(char c));

#endif
