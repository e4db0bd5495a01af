/*
 * A tiny bounded formatter for error messages of the boot-information parsers
 * and the memory-map code. Those run before (and outside of) the kernel's
 * printf and in host tests, so they cannot use snprintf; they only need
 * strings and numbers.
 *
 * Supported: %s %c %d %u %x with optional l / ll length modifiers, and %%.
 * The output is always NUL-terminated and silently truncated to cap - 1.
 */
#ifndef BOOT_MSGFMT_H
#define BOOT_MSGFMT_H

#include <stdarg.h>
#include <stddef.h>

void msg_vformat(char *buf, size_t cap, const char *fmt, va_list ap);
void msg_format(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
