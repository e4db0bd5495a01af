/*
 * The printer the vmx/ code logs through: the kernel passes its printf()
 * (arch/x86/printf.h), host tests pass a function that captures the text.
 * Passing it in keeps vmx/ pure logic that builds unchanged on the host.
 */
#ifndef VMX_PRINTF_FN_H
#define VMX_PRINTF_FN_H

typedef int (*vmx_printf_fn)(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
