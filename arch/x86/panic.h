#ifndef ARCH_X86_PANIC_H
#define ARCH_X86_PANIC_H

/* Print "PANIC: <message>" on the log and leave the machine. */
__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);

#endif
