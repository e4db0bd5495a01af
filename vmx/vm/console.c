/* The guest's output lines (see vmx/vm/console.h). */
#include "vmx/vm/console.h"
#include "arch/x86/printf.h"
#include "arch/x86/serial.h"

void console_flush(struct console *c)
{
	if (!c->len)
		return;
	c->line[c->len] = '\0';
	printf("guest: %s\n", c->line);
	c->len = 0;
}

void console_put(void *console, uint8_t byte)
{
	struct console *c = console;
	char ch = (char)byte;

	c->bytes++;
	if (c->raw) {
		serial_put_raw_byte(byte);
		return;
	}
	if (ch == '\r')
		return;
	if (ch == '\n') {
		if (c->len)
			console_flush(c);
		else
			printf("guest: \n");
		return;
	}
	/* Only printable bytes reach our log; anything else becomes '.'. */
	c->line[c->len++] = (ch >= 0x20 && ch < 0x7f) || ch == '\t' ? ch : '.';
	if (c->len == CONSOLE_LINE_MAX - 1)
		console_flush(c);
}

void console_flush_idle(struct console *c)
{
	if (c->bytes != c->bytes_at_last_look) {
		c->bytes_at_last_look = c->bytes;
		c->quiet_looks = 0;
		return;
	}
	if (++c->quiet_looks == CONSOLE_QUIET_LOOKS)
		console_flush(c);
}
