/*
 * The 16550's receiver: bytes from the host or from loopback, RBR and LSR
 * reads, and the character timeout (PC16550D datasheet, "Line Status
 * Register" and "FIFO Interrupt Mode Operation").
 *
 * The character timeout rule: in FIFO mode, when the RX FIFO holds at
 * least one byte and nothing has entered or left it for four character
 * times, the timeout is indicated (IIR 0xCC when the FIFO is below its
 * trigger level; at or above it IIR reports received data, 0xC4). A
 * character time is the programmed frame (start, data, parity, stop bits)
 * at the programmed divisor of the 1.8432 MHz clock, measured in guest
 * time; divisor 0 counts as 1. Reading RBR clears the indication and
 * restarts the count; a new byte restarts the count. The rx timer raises
 * the indication on time, and every IIR read checks it again, so a guest
 * sees a lone typed byte after about 0.35 ms at 115200 baud, 4 ms at 9600.
 */
#include "vmx/dev/ns16550_internal.h"

#define CLOCKS_PER_BIT     16u /* the baud generator's 16x clock */
#define TIMEOUT_CHARACTERS 4u

/* Four character times in guest ns: half_bits / 2 bits each, 16 * divisor
 * clocks per bit. */
static uint64_t quiet_ns(const struct ns16550 *u)
{
	uint64_t divisor = ns16550_divisor(u) ? ns16550_divisor(u) : 1;
	uint64_t clocks =
	    TIMEOUT_CHARACTERS * ns16550_char_half_bits(u->lcr) * CLOCKS_PER_BIT / 2 * divisor;

	return io_muldiv(clocks, IO_NS_PER_SEC, NS16550_CLOCK_HZ);
}

bool ns16550_rx_timed_out(const struct ns16550 *u)
{
	return u->rx_timeout && u->rx.count != 0;
}

void ns16550_rx_rearm_timer(struct ns16550 *u)
{
	if (ns16550_fifos_enabled(u) && u->rx.count && !u->rx_timeout)
		io_timer_arm(&u->rx_timer, u->rx_quiet_since + quiet_ns(u));
	else
		io_timer_disarm(&u->rx_timer);
}

void ns16550_rx_check_timeout(struct ns16550 *u, uint64_t now)
{
	if (!ns16550_fifos_enabled(u) || !u->rx.count || u->rx_timeout)
		return;
	if (now < u->rx_quiet_since + quiet_ns(u))
		return;
	u->rx_timeout = true;
	u->stats.rx_timeouts++;
	io_timer_disarm(&u->rx_timer);
}

void ns16550_rx_timer_fire(void *dev, uint64_t now)
{
	struct ns16550 *u = dev;

	ns16550_rx_check_timeout(u, now);
	ns16550_rx_rearm_timer(u);
	ns16550_update_irq(u);
}

/* A byte entered or left the FIFO: the timeout count starts again. */
static void rx_activity(struct ns16550 *u)
{
	u->rx_quiet_since = ns16550_now(u);
	ns16550_rx_rearm_timer(u);
	ns16550_update_irq(u);
}

/* In loopback the serial input is disconnected (datasheet, MCR bit 4). */
bool ns16550_can_receive(const struct ns16550 *u)
{
	return !ns16550_loopback(u) && !ns16550_rx_full(u);
}

bool ns16550_receive_with_errors(struct ns16550 *u, uint8_t byte, uint8_t errors)
{
	if (!ns16550_can_receive(u))
		return false;
	u->stats.rx_bytes++;
	ns16550_rx_push(u, byte, errors & NS16550_LSR_CHAR_ERRORS);
	rx_activity(u);
	return true;
}

bool ns16550_receive(struct ns16550 *u, uint8_t byte)
{
	return ns16550_receive_with_errors(u, byte, 0);
}

/*
 * A transmitted byte arriving in loopback. Nobody holds it back, so a full
 * receiver overruns (datasheet, LSR bit 1): in FIFO mode the byte is lost
 * and the FIFO kept; without FIFOs it overwrites RBR. Linux's size_fifo()
 * counts the FIFO this way: 16 of its 256 bytes survive.
 */
void ns16550_loopback_receive(struct ns16550 *u, uint8_t byte)
{
	u->stats.loop_bytes++;
	if (!ns16550_rx_full(u)) {
		ns16550_rx_push(u, byte, 0);
		rx_activity(u);
		return;
	}
	u->stats.overruns++;
	u->lsr_errors |= NS16550_LSR_OE;
	if (!ns16550_fifos_enabled(u))
		ns16550_rx_replace_newest(u, byte, 0);
	ns16550_update_irq(u);
}

/* An empty receiver reads as the last byte read: RBR keeps its contents. */
uint8_t ns16550_read_rbr(struct ns16550 *u)
{
	if (!u->rx.count)
		return u->rbr;
	u->rbr = ns16550_rx_pop(u);
	u->rx_timeout = false;
	rx_activity(u);
	return u->rbr;
}

/* Reading LSR clears OE, PE, FE and BI, and with them the receiver line
 * status interrupt; bit 7 stays only for errors further down the FIFO. */
uint8_t ns16550_read_lsr(struct ns16550 *u)
{
	uint8_t value = NS16550_LSR_THRE | NS16550_LSR_TEMT | u->lsr_errors;

	if (u->rx.count)
		value |= NS16550_LSR_DR;
	if (u->rx_fifo_error)
		value |= NS16550_LSR_RXFE;
	u->lsr_errors = 0;
	u->rx_fifo_error = ns16550_rx_errors_behind_top(u);
	ns16550_update_irq(u);
	return value;
}
