/*
 * The 16550's receiver FIFO and the FIFO Control Register (PC16550D
 * datasheet, "FIFO Control Register"). With FCR bit 0 set the receiver
 * holds 16 bytes, each with its own PE/FE/BI bits, which show in LSR when
 * the byte reaches the top of the FIFO; with it clear the receiver holds
 * one byte, RBR, as on the 16450. The TX FIFO needs no storage: the
 * transmitter sends every byte at once (ns16550_tx.c).
 */
#include "vmx/dev/ns16550_internal.h"

_Static_assert((NS16550_FIFO_SIZE & (NS16550_FIFO_SIZE - 1)) == 0, "FIFO index wraps by masking");

static unsigned slot(unsigned index)
{
	return index & (NS16550_FIFO_SIZE - 1);
}

static unsigned capacity(const struct ns16550 *u)
{
	return ns16550_fifos_enabled(u) ? NS16550_FIFO_SIZE : 1;
}

bool ns16550_rx_full(const struct ns16550 *u)
{
	return u->rx.count >= capacity(u);
}

/* The caller checked ns16550_rx_full(). A byte that lands on top of an
 * empty FIFO shows its errors in LSR at once. */
void ns16550_rx_push(struct ns16550 *u, uint8_t byte, uint8_t errors)
{
	struct ns16550_rx_fifo *f = &u->rx;
	unsigned tail = slot(f->head + f->count);

	f->byte[tail] = byte;
	f->error[tail] = errors;
	f->count++;
	if (f->count == 1)
		u->lsr_errors |= errors;
	if (errors && ns16550_fifos_enabled(u))
		u->rx_fifo_error = true; /* LSR bit 7 */
}

/* The caller checked that the FIFO is not empty. The next byte moves to the
 * top, and its errors into LSR. */
uint8_t ns16550_rx_pop(struct ns16550 *u)
{
	struct ns16550_rx_fifo *f = &u->rx;
	uint8_t byte = f->byte[f->head];

	f->head = (uint8_t)slot(f->head + 1u);
	f->count--;
	if (f->count)
		u->lsr_errors |= f->error[f->head];
	return byte;
}

/* A 16450-mode overrun: the new character takes RBR's place, "destroying
 * the previous character" (datasheet, LSR bit 1). */
void ns16550_rx_replace_newest(struct ns16550 *u, uint8_t byte, uint8_t errors)
{
	struct ns16550_rx_fifo *f = &u->rx;
	unsigned newest = slot(f->head + f->count - 1u);

	f->byte[newest] = byte;
	f->error[newest] = errors;
	u->lsr_errors |= errors;
}

void ns16550_rx_clear(struct ns16550 *u)
{
	u->rx.head = 0;
	u->rx.count = 0;
	u->rx_timeout = false;
	u->rx_fifo_error = false;
}

/* LSR bit 7 stays set after an LSR read only "if there are subsequent
 * errors in the FIFO": errors of bytes behind the one just reported. */
bool ns16550_rx_errors_behind_top(const struct ns16550 *u)
{
	const struct ns16550_rx_fifo *f = &u->rx;

	for (unsigned i = 1; i < f->count; i++)
		if (f->error[slot(f->head + i)])
			return true;
	return false;
}

/* The received-data-available condition: the trigger level in FIFO mode,
 * one byte in RBR without FIFOs. */
bool ns16550_rx_at_trigger(const struct ns16550 *u)
{
	if (!ns16550_fifos_enabled(u))
		return u->rx.count != 0;
	return u->rx.count >= ns16550_rx_trigger(u->fcr);
}

/*
 * FCR bit 0 must be 1 for the other bits to be programmed; changing it
 * clears both FIFOs, and "the first transmitter interrupt after changing
 * FCR0 will be immediate". Bits 1 and 2 clear the RX and TX FIFOs and
 * clear themselves; emptying THR this way raises the THRE interrupt, as
 * THR emptying always does.
 */
void ns16550_write_fcr(struct ns16550 *u, uint8_t value)
{
	bool enable = (value & NS16550_FCR_ENABLE) != 0;

	if (enable != ns16550_fifos_enabled(u)) {
		ns16550_rx_clear(u);
		u->thre_pending = true;
	}
	if (!enable) {
		u->fcr &= (uint8_t)~NS16550_FCR_ENABLE;
	} else {
		if (value & NS16550_FCR_CLEAR_RX)
			ns16550_rx_clear(u);
		if (value & NS16550_FCR_CLEAR_TX)
			u->thre_pending = true;
		u->fcr = value & NS16550_FCR_KEPT;
	}
	ns16550_rx_rearm_timer(u);
	ns16550_update_irq(u);
}
