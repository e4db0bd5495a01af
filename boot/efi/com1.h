/*
 * The first serial port (16550 UART at I/O port 0x3f8), written directly and
 * polled, 115200 baud 8N1: the loader's messages reach the serial log even
 * where the firmware console does not go there, and after ExitBootServices.
 * The firmware may drive the same port; we set the same line settings.
 */
#ifndef BOOT_EFI_COM1_H
#define BOOT_EFI_COM1_H

void com1_init(void);

/* Writes s, "\n" as CR LF. Gives up on a port that never gets ready. */
void com1_write(const char *s);

#endif
