/*
 * The ports a guest ends a test machine with: QEMU's isa-debug-exit (a
 * status written to it ends the machine with that status) and the Bochs
 * shutdown port, where the bytes of "Shutdown" written one after the other
 * power the machine off (Bochs's iodev/unmapped.cc convention). Both ask the
 * bus to stop the machine; the machine says how it ended.
 */
#ifndef VMX_DEV_DEBUG_EXIT_H
#define VMX_DEV_DEBUG_EXIT_H

#include <stdbool.h>
#include <stdint.h>

#include "vmx/io/bus.h"

#define DEBUG_EXIT_PORT     0xf4
#define BOCHS_SHUTDOWN_PORT 0x8900

struct debug_exit {
	struct io_bus *bus;
	unsigned shutdown_progress; /* bytes of "Shutdown" seen in a row */
};

void debug_exit_init(struct debug_exit *d, struct io_bus *bus);
/* Bus handlers: isa-debug-exit (writes only) and the Bochs shutdown port. */
bool debug_exit_write(void *dev, uint16_t offset, unsigned size, uint32_t value);
bool bochs_shutdown_write(void *dev, uint16_t offset, unsigned size, uint32_t value);

#endif
