/*
 * The 16550's interrupt system (PC16550D datasheet, "Interrupt
 * Identification Register" and Table IV "Interrupt Control Functions"):
 * five sources in four priorities, each gated by its IER bit; IIR names the
 * highest one pending. The chip's INTR output is high while any enabled
 * source is pending; on a PC it reaches the 8259 only through a driver that
 * the OUT2 pin enables, and in loopback the datasheet forces OUT2 inactive,
 * so the line we drive is INTR && MCR.OUT2 && !MCR.LOOP. IIR still reports
 * every source in loopback ("the receiver and transmitter interrupts are
 * fully operational").
 */
#include "vmx/dev/ns16550_internal.h"

/* The IIR code of the highest-priority enabled source, or NS16550_IIR_NONE. */
static uint8_t pending_source(const struct ns16550 *u)
{
	uint8_t ier = u->ier;

	if ((ier & NS16550_IER_ELSI) && (u->lsr_errors & NS16550_LSR_ERRORS))
		return NS16550_IIR_LINE_STATUS;
	if ((ier & NS16550_IER_ERBFI) && ns16550_rx_at_trigger(u))
		return NS16550_IIR_RX_DATA;
	if ((ier & NS16550_IER_ERBFI) && ns16550_rx_timed_out(u))
		return NS16550_IIR_RX_TIMEOUT;
	if ((ier & NS16550_IER_ETBEI) && u->thre_pending)
		return NS16550_IIR_THR_EMPTY;
	if ((ier & NS16550_IER_EDSSI) && u->msr_deltas)
		return NS16550_IIR_MODEM;
	return NS16550_IIR_NONE;
}

static bool irq_driver_enabled(const struct ns16550 *u)
{
	return (u->mcr & NS16550_MCR_OUT2) && !ns16550_loopback(u);
}

/* Called after every change of state: the line follows at once. */
void ns16550_update_irq(struct ns16550 *u)
{
	bool level = pending_source(u) != NS16550_IIR_NONE && irq_driver_enabled(u);

	if (level == u->irq_level)
		return;
	u->irq_level = level;
	if (level)
		u->stats.interrupts++;
	io_irq_set(&u->irq, level);
}

/*
 * Reading IIR clears the THRE interrupt when THRE is what it reports
 * (Table IV); every other source is cleared by servicing it. The character
 * timeout is checked first, so that a guest polling IIR sees it without
 * waiting for the timer.
 */
uint8_t ns16550_read_iir(struct ns16550 *u)
{
	ns16550_rx_check_timeout(u, ns16550_now(u));
	uint8_t source = pending_source(u);

	if (source == NS16550_IIR_THR_EMPTY)
		u->thre_pending = false;
	ns16550_update_irq(u);
	return (uint8_t)(source | (ns16550_fifos_enabled(u) ? NS16550_IIR_FIFOS_ON : 0));
}

/*
 * Setting ETBEI while THR is empty raises the THRE interrupt even if an
 * IIR read had cleared it: with instant transmission THR is always empty,
 * so every 0 -> 1 change of ETBEI raises it. That is what Linux's
 * serial8250_do_startup() tests (toggling IER.THRI and reading IIR twice)
 * and what its start_tx() relies on. A write that leaves ETBEI set does
 * not raise it again (only the change does, as on QEMU and Bochs).
 */
void ns16550_write_ier(struct ns16550 *u, uint8_t value)
{
	uint8_t rising = (uint8_t)(value & ~u->ier);

	u->ier = value & NS16550_IER_DEFINED;
	if (rising & NS16550_IER_ETBEI)
		u->thre_pending = true;
	ns16550_update_irq(u);
}
