/*
 * The guest's text output as the hypervisor's log shows it: bytes from the
 * guest's serial port (and the console hypercall) collected into lines
 * printed as "guest: <line>", unprintable bytes shown as '.'. A line the
 * guest leaves unfinished (a shell prompt) is printed once the guest has
 * been quiet for a while. Raw mode (hv.console=raw, for an interactive
 * shell) passes the bytes to the host's serial line as they are.
 */
#ifndef VMX_VM_CONSOLE_H
#define VMX_VM_CONSOLE_H

#include <stdbool.h>
#include <stdint.h>

#define CONSOLE_LINE_MAX    160
#define CONSOLE_QUIET_LOOKS 10 /* calls without output before a partial line is printed */

struct console {
	char line[CONSOLE_LINE_MAX];
	uint32_t len;
	uint64_t bytes;
	uint64_t bytes_at_last_look; /* for the quiet check */
	unsigned quiet_looks;
	bool raw;
};

/* A byte from the guest (the bus console's put()). */
void console_put(void *console, uint8_t byte);
/* Print what is left of an unfinished line. */
void console_flush(struct console *c);
/* Called now and then (every 10 ms of guest time): an unfinished line that
 * got no byte for CONSOLE_QUIET_LOOKS calls is printed. */
void console_flush_idle(struct console *c);

#endif
