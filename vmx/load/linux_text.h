/*
 * Bounded text for the loaders' one-line messages and names, without libc: a printf
 * subset with %s, %u and %x (32-bit unsigned), %lu and %lx (64-bit unsigned: uint64_t is
 * unsigned long on x86-64), %%. The format attribute lets the compiler check every
 * argument's type against its conversion.
 */
#ifndef VMX_LOAD_LINUX_TEXT_H
#define VMX_LOAD_LINUX_TEXT_H

#include <stdarg.h>
#include <stdint.h>

/*
 * Write fmt with its arguments into out[0..len), always NUL-terminated when len > 0,
 * silently cut at len - 1 characters. Returns the number of characters written.
 */
uint32_t linux_vformat(char *out, uint32_t len, const char *fmt, va_list ap);
uint32_t linux_format(char *out, uint32_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
