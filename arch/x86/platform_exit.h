#ifndef ARCH_X86_PLATFORM_EXIT_H
#define ARCH_X86_PLATFORM_EXIT_H

#include <stdint.h>

/* Exit statuses the test runner understands. */
#define HV_EXIT_SUCCESS 0
#define HV_EXIT_FAILURE 1
#define HV_EXIT_PANIC   2

/*
 * Leave the machine with a status: QEMU's isa-debug-exit (the process exits
 * with (status << 1) | 1), then the Bochs shutdown port; on real hardware
 * neither exists and we halt with interrupts off.
 */
__attribute__((noreturn)) void platform_exit(uint8_t status);

#endif
