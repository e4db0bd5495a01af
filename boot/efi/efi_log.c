/* Loader messages on the UEFI console and COM1: see boot/efi/efi_log.h. */
#include "boot/efi/efi_log.h"

#include <stdarg.h>

#include "arch/x86/serial.h"
#include "boot/efi/firmware.h"
#include "boot/msgfmt.h"

static int console_on;

void efi_log_init(void)
{
	serial_init(); /* the kernel's own 16550 driver, built into the loader */
	console_on = fw_st && fw_st->ConOut;
}

void efi_log_console_off(void)
{
	console_on = 0;
}

/* ConOut takes UCS-2 and wants CR LF. */
static void console_write(const char *s)
{
	CHAR16 buf[EFI_LOG_MAX * 2 + 1];
	size_t n = 0;

	for (; *s && n + 2 < sizeof(buf) / sizeof(buf[0]); s++) {
		if (*s == '\n')
			buf[n++] = '\r';
		buf[n++] = (CHAR16)(uint8_t)*s;
	}
	buf[n] = 0;
	fw_st->ConOut->OutputString(fw_st->ConOut, buf);
}

void efi_log(const char *fmt, ...)
{
	char line[EFI_LOG_MAX];
	va_list ap;

	va_start(ap, fmt);
	msg_vformat(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	size_t len = 0;
	while (line[len])
		len++;
	line[len] = '\n';
	line[len + 1] = '\0';
	if (console_on)
		console_write(line);
	for (const char *c = line; *c; c++)
		serial_putc(*c);
}
