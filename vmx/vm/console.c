/* The guest's output lines (see vmx/vm/console.h). */
#include "vmx/vm/console.h"
#include "arch/x86/printf.h"

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
