#ifndef ARCH_X86_SERIAL_H
#define ARCH_X86_SERIAL_H

#include <stdint.h>

/* The 16550 UART the log goes to: COM1 as the BIOS data area reports it,
 * else 0x3F8. 115200 8N1, polled. */
void serial_init(void);
void serial_putc(char c);
uint16_t serial_port(void);
/* A byte typed on the line, or -1 if none is waiting (LSR.DR). */
int serial_getc_nonblock(void);
/* A byte as it is, without the '\n' to "\r\n" of serial_putc. */
void serial_put_raw_byte(uint8_t byte);

/* Wait until the last character has left the UART: an emulator that powers
 * off at once would otherwise drop the end of the log. */
void serial_flush(void);

#endif
