/* Guest output: polled COM1 16550 and a small printf. */
#ifndef GUESTS_CONSOLE_H
#define GUESTS_CONSOLE_H

#include <stdarg.h>

void console_init(void);
void console_putc(char c);
/* %s %c %d %u %x %p with l/ll, width and zero pad; decimal is limited to unsigned long. */
void gprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void gvprintf(const char *fmt, va_list ap);

#endif
