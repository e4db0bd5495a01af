/*
 * The 16550 model's front (see vmx/dev/ns16550.h): wiring, reset, the
 * register decode of PC16550D datasheet Table II and the report line.
 */
#include "vmx/dev/ns16550_internal.h"

#define POWER_UP_DIVISOR 12 /* 9600 baud from 1.8432 MHz */
#define TERMINAL_LINES   (NS16550_MSR_CTS | NS16550_MSR_DSR | NS16550_MSR_DCD)

void ns16550_init(struct ns16550 *u, struct io_irq irq, struct io_clock clock, ns16550_tx_fn tx,
                  void *tx_ctx)
{
	__builtin_memset(u, 0, sizeof(*u));
	u->irq = irq;
	u->clock = clock;
	u->tx = tx;
	u->tx_ctx = tx_ctx;
	io_timer_init(&u->rx_timer, "ns16550 rx timeout", ns16550_rx_timer_fire, u);
	u->dll = POWER_UP_DIVISOR;
	u->external = TERMINAL_LINES;
	ns16550_reset(u);
}

void ns16550_reset(struct ns16550 *u)
{
	u->ier = 0;
	u->lcr = 0;
	u->mcr = 0;
	u->fcr = 0;
	u->rbr = 0;
	u->lsr_errors = 0;
	u->msr_deltas = 0;
	u->lines = u->external;
	u->thre_pending = false;
	ns16550_rx_clear(u);
	u->rx_quiet_since = ns16550_now(u);
	io_timer_disarm(&u->rx_timer);
	u->irq_level = false;
	io_irq_lower(&u->irq);
}

static uint8_t read_register(struct ns16550 *u, uint16_t offset)
{
	bool dlab = ns16550_lcr_dlab(u->lcr);

	switch (offset) {
	case NS16550_RBR:
		return dlab ? u->dll : ns16550_read_rbr(u);
	case NS16550_IER:
		return dlab ? u->dlm : u->ier;
	case NS16550_IIR:
		return ns16550_read_iir(u);
	case NS16550_LCR:
		return u->lcr;
	case NS16550_MCR:
		return u->mcr;
	case NS16550_LSR:
		return ns16550_read_lsr(u);
	case NS16550_MSR:
		return ns16550_read_msr(u);
	default:
		return u->scr;
	}
}

/* The divisor and the frame format set the character time of the RX
 * timeout; a pending timeout count is re-timed. */
static void set_timing(struct ns16550 *u, uint8_t *reg, uint8_t value)
{
	*reg = value;
	ns16550_rx_rearm_timer(u);
}

static void write_register(struct ns16550 *u, uint16_t offset, uint8_t value)
{
	bool dlab = ns16550_lcr_dlab(u->lcr);

	switch (offset) {
	case NS16550_THR:
		if (dlab)
			set_timing(u, &u->dll, value);
		else
			ns16550_write_thr(u, value);
		break;
	case NS16550_IER:
		if (dlab)
			set_timing(u, &u->dlm, value);
		else
			ns16550_write_ier(u, value);
		break;
	case NS16550_FCR:
		ns16550_write_fcr(u, value);
		break;
	case NS16550_LCR:
		set_timing(u, &u->lcr, value);
		break;
	case NS16550_MCR:
		ns16550_write_mcr(u, value);
		break;
	case NS16550_SCR:
		u->scr = value;
		break;
	default:
		break; /* LSR (factory test only, the datasheet says not to) and MSR */
	}
}

bool ns16550_port_read(void *dev, uint16_t offset, unsigned size, uint32_t *value)
{
	if (size != 1 || offset >= NS16550_PORTS)
		return false;
	*value = read_register(dev, offset);
	return true;
}

bool ns16550_port_write(void *dev, uint16_t offset, unsigned size, uint32_t value)
{
	if (size != 1 || offset >= NS16550_PORTS)
		return false;
	write_register(dev, offset, (uint8_t)value);
	return true;
}

void ns16550_print(const struct ns16550 *u, struct io_log *log)
{
	const struct ns16550_stats *s = &u->stats;

	io_log_print(log,
	             "uart: %llu bytes out, %llu in, %llu looped back (%llu overruns), "
	             "%llu interrupts, %llu rx timeouts; lcr 0x%02x ier 0x%02x fcr 0x%02x "
	             "mcr 0x%02x divisor %u\n",
	             (unsigned long long)s->tx_bytes, (unsigned long long)s->rx_bytes,
	             (unsigned long long)s->loop_bytes, (unsigned long long)s->overruns,
	             (unsigned long long)s->interrupts, (unsigned long long)s->rx_timeouts, u->lcr,
	             u->ier, u->fcr, u->mcr, ns16550_divisor(u));
}
