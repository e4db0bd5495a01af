/*
 * The 16550's modem control and status (PC16550D datasheet, "Modem Control
 * Register" and "Modem Status Register"). MSR bits 7..4 show the modem
 * inputs: the terminal's CTS, DSR, RI and DCD, or in loopback the MCR
 * outputs wired back inside the chip (RTS -> CTS, DTR -> DSR, OUT1 -> RI,
 * OUT2 -> DCD). Bits 3..0 record changes of those inputs (for RI only the
 * trailing edge, on -> off) until MSR is read; entering or leaving
 * loopback is such a change when the lines differ.
 */
#include "vmx/dev/ns16550_internal.h"

#define DELTA_OF_LINE_SHIFT 4 /* each delta bit is its line's bit >> 4 */

static uint8_t looped_back_lines(uint8_t mcr)
{
	uint8_t lines = 0;

	if (mcr & NS16550_MCR_RTS)
		lines |= NS16550_MSR_CTS;
	if (mcr & NS16550_MCR_DTR)
		lines |= NS16550_MSR_DSR;
	if (mcr & NS16550_MCR_OUT1)
		lines |= NS16550_MSR_RI;
	if (mcr & NS16550_MCR_OUT2)
		lines |= NS16550_MSR_DCD;
	return lines;
}

static uint8_t deltas_of(uint8_t before, uint8_t after)
{
	uint8_t changed = before ^ after;
	uint8_t deltas =
	    (uint8_t)((changed & (NS16550_MSR_CTS | NS16550_MSR_DSR | NS16550_MSR_DCD)) >>
	              DELTA_OF_LINE_SHIFT);

	if ((before & NS16550_MSR_RI) && !(after & NS16550_MSR_RI))
		deltas |= NS16550_MSR_TERI;
	return deltas;
}

/* The receiver's view of the modem inputs may have changed. */
static void inputs_changed(struct ns16550 *u)
{
	uint8_t lines = ns16550_loopback(u) ? looped_back_lines(u->mcr) : u->external;

	u->msr_deltas |= deltas_of(u->lines, lines);
	u->lines = lines;
	ns16550_update_irq(u);
}

/* The IRQ gate (OUT2, LOOP) and the loopback lines follow every MCR write. */
void ns16550_write_mcr(struct ns16550 *u, uint8_t value)
{
	u->mcr = value & NS16550_MCR_DEFINED;
	inputs_changed(u);
}

/* Reading MSR clears the deltas, and with them the modem status interrupt. */
uint8_t ns16550_read_msr(struct ns16550 *u)
{
	uint8_t value = (uint8_t)(u->lines | u->msr_deltas);

	u->msr_deltas = 0;
	ns16550_update_irq(u);
	return value;
}

void ns16550_set_modem_lines(struct ns16550 *u, uint8_t lines)
{
	u->external = lines & NS16550_MSR_LINES;
	inputs_changed(u);
}
