/*
 * The guest's text output as the hypervisor's log shows it: bytes from the
 * guest's serial port (and the console hypercall) collected into lines
 * printed as "guest: <line>", unprintable bytes shown as '.'.
 */
#ifndef VMX_VM_CONSOLE_H
#define VMX_VM_CONSOLE_H

#include <stdint.h>

#define CONSOLE_LINE_MAX 160

struct console {
	char line[CONSOLE_LINE_MAX];
	uint32_t len;
	uint64_t bytes;
};

/* A byte from the guest (the bus console's put()). */
void console_put(void *console, uint8_t byte);
/* Print what is left of an unfinished line. */
void console_flush(struct console *c);

#endif
