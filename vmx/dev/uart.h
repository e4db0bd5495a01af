#ifndef VMX_VUART_H
#define VMX_VUART_H

#include <stdbool.h>
#include <stdint.h>

#define VUART_BASE     0x3f8
#define VUART_PORTS    8
#define VUART_LINE_MAX 160

/*
 * A virtual 16550 on COM1: registers read back as written, the transmitter
 * always empty, output collected into lines printed as "guest: <line>".
 */
struct vuart {
	uint8_t ier, lcr, mcr, scr, dll, dlm;
	char line[VUART_LINE_MAX];
	uint32_t len;
	uint64_t bytes_out;
};

bool vuart_handles(uint16_t port);
uint32_t vuart_read(struct vuart *u, uint16_t port);
void vuart_write(struct vuart *u, uint16_t port, uint32_t value);
/* Print what is left of an unfinished line. */
void vuart_flush(struct vuart *u);

#endif
