/*
 * The 16550's transmitter without a baud clock: a byte written to THR
 * leaves at once, to the output sink or, in loopback, into our own
 * receiver (PC16550D datasheet, "Modem Control Register" bit 4: "data that
 * is transmitted is immediately received"). THR and the transmitter shift
 * register are therefore always empty (LSR.THRE = LSR.TEMT = 1).
 */
#include "vmx/dev/ns16550_internal.h"

static void transmit(struct ns16550 *u, uint8_t byte)
{
	if (ns16550_loopback(u)) {
		ns16550_loopback_receive(u, byte);
		return;
	}
	u->stats.tx_bytes++;
	if (u->tx)
		u->tx(u->tx_ctx, byte);
}

/*
 * Writing THR clears the THRE interrupt (Table IV); the byte moving on
 * empties THR again, which raises it anew. The line is updated in between,
 * so an edge-triggered controller sees the fresh interrupt as a new edge,
 * as it would from a real chip a moment after the write.
 */
void ns16550_write_thr(struct ns16550 *u, uint8_t byte)
{
	u->thre_pending = false;
	ns16550_update_irq(u);
	transmit(u, byte);
	u->thre_pending = true;
	ns16550_update_irq(u);
}
