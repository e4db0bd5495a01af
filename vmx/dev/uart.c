/*
 * The guest's COM1 (16550 register map: THR/RBR 0, IER 1, IIR/FCR 2, LCR 3,
 * MCR 4, LSR 5, MSR 6, SCR 7; DLAB in LCR bit 7 maps DLL/DLM at 0 and 1).
 */
#include "vmx/dev/uart.h"
#include "arch/x86/printf.h"

#define REG_DATA 0
#define REG_IER  1
#define REG_IIR  2
#define REG_LCR  3
#define REG_MCR  4
#define REG_LSR  5
#define REG_MSR  6
#define REG_SCR  7

#define LCR_DLAB         0x80
#define LSR_THR_EMPTY    0x20
#define LSR_TX_IDLE      0x40
#define IIR_NO_INTERRUPT 0x01
#define MSR_CTS_DSR_DCD  0xb0

bool vuart_handles(uint16_t port)
{
	return port >= VUART_BASE && port < VUART_BASE + VUART_PORTS;
}

void vuart_flush(struct vuart *u)
{
	if (!u->len)
		return;
	u->line[u->len] = '\0';
	printf("guest: %s\n", u->line);
	u->len = 0;
}

static void put_char(struct vuart *u, char c)
{
	u->bytes_out++;
	if (c == '\r')
		return;
	if (c == '\n') {
		if (u->len)
			vuart_flush(u);
		else
			printf("guest: \n");
		return;
	}
	/* Only printable bytes reach our log; anything else becomes '.'. */
	u->line[u->len++] = (c >= 0x20 && c < 0x7f) || c == '\t' ? c : '.';
	if (u->len == VUART_LINE_MAX - 1)
		vuart_flush(u);
}

uint32_t vuart_read(struct vuart *u, uint16_t port)
{
	bool dlab = u->lcr & LCR_DLAB;
	switch (port - VUART_BASE) {
	case REG_DATA:
		return dlab ? u->dll : 0; /* nothing ever received */
	case REG_IER:
		return dlab ? u->dlm : u->ier;
	case REG_IIR:
		return IIR_NO_INTERRUPT;
	case REG_LCR:
		return u->lcr;
	case REG_MCR:
		return u->mcr;
	case REG_LSR:
		return LSR_THR_EMPTY | LSR_TX_IDLE;
	case REG_MSR:
		return MSR_CTS_DSR_DCD;
	default:
		return u->scr;
	}
}

void vuart_write(struct vuart *u, uint16_t port, uint32_t value)
{
	uint8_t v = (uint8_t)value;
	bool dlab = u->lcr & LCR_DLAB;
	switch (port - VUART_BASE) {
	case REG_DATA:
		if (dlab)
			u->dll = v;
		else
			put_char(u, (char)v);
		break;
	case REG_IER:
		if (dlab)
			u->dlm = v;
		else
			u->ier = v & 0x0f;
		break;
	case REG_LCR:
		u->lcr = v;
		break;
	case REG_MCR:
		u->mcr = v & 0x1f;
		break;
	case REG_SCR:
		u->scr = v;
		break;
	default:
		break; /* FCR, LSR, MSR: writes have no visible effect here */
	}
}
