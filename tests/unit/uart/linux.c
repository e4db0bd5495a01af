/* Linux 8250 driver replays (see linux.h). */
#include "tests/unit/uart/linux.h"

#include <string.h>

#include "tests/unit/uart/bench.h"

/* Register values the driver uses (include/uapi/linux/serial_reg.h). */
#define LCR_CONF_MODE_A 0x80 /* DLAB */
#define LCR_CONF_MODE_B 0xbf /* EFR access on chips that have one */
#define LCR_WLEN8       0x03
#define EFR             2 /* EFR sits where FCR/IIR are */
#define FCR_64BYTE      0x20
#define IIR_16750_BIT   0x20
#define IER_ALL         0x0f
#define IER_UUE         0x40
#define IER_THRI        0x02
#define IER_RLSI_RDI    0x05
#define FCR_R_TRIG_10   0x80

struct linux_tty linux_tty;

static uint16_t dl_read(void)
{
	return (uint16_t)(rd(NS16550_DLL) | rd(NS16550_DLM) << 8);
}

static void dl_write(uint16_t divisor)
{
	wr(NS16550_DLL, (uint8_t)divisor);
	wr(NS16550_DLM, (uint8_t)(divisor >> 8));
}

/* size_fifo(): loop 256 bytes back at divisor 1 and count what arrives. */
static unsigned size_fifo(void)
{
	uint8_t old_lcr = rd(NS16550_LCR);
	wr(NS16550_LCR, 0);
	uint8_t old_fcr = rd(NS16550_FCR); /* reads IIR, as the driver does */
	uint8_t old_mcr = rd(NS16550_MCR);
	wr(NS16550_FCR, NS16550_FCR_ENABLE | NS16550_FCR_CLEAR_RX | NS16550_FCR_CLEAR_TX);
	wr(NS16550_MCR, NS16550_MCR_LOOP);
	wr(NS16550_LCR, LCR_CONF_MODE_A);
	uint16_t old_dl = dl_read();
	dl_write(1);
	wr(NS16550_LCR, LCR_WLEN8);
	for (unsigned i = 0; i < 256; i++)
		wr(NS16550_THR, (uint8_t)i);
	bench_advance(20000000); /* mdelay(20) */
	unsigned count = 0;
	while ((rd(NS16550_LSR) & NS16550_LSR_DR) && count < 256) {
		rd(NS16550_RBR);
		count++;
	}
	wr(NS16550_FCR, old_fcr);
	wr(NS16550_MCR, old_mcr);
	wr(NS16550_LCR, LCR_CONF_MODE_A);
	dl_write(old_dl);
	wr(NS16550_LCR, old_lcr);
	return count;
}

/* National Semiconductor SuperIO check: does MCR.LOOP show at LCR 0xE0, offset 2? */
static bool natsemi_superio(void)
{
	wr(NS16550_LCR, 0);
	uint8_t status1 = rd(NS16550_MCR);
	wr(NS16550_LCR, 0xe0);
	uint8_t status2 = rd(2);
	if ((status2 ^ status1) & NS16550_MCR_LOOP)
		return false;
	wr(NS16550_LCR, 0);
	wr(NS16550_MCR, status1 ^ NS16550_MCR_LOOP);
	wr(NS16550_LCR, 0xe0);
	status2 = rd(2);
	wr(NS16550_LCR, 0);
	wr(NS16550_MCR, status1);
	return ((status2 ^ status1) & NS16550_MCR_LOOP) != 0;
}

/* TI16750: IIR bit 5 follows FCR bit 5 only while DLAB is set. */
static bool ti16750(void)
{
	wr(NS16550_LCR, 0);
	wr(NS16550_FCR, NS16550_FCR_ENABLE | FCR_64BYTE);
	uint8_t status1 = rd(NS16550_IIR) & (0xc0 | IIR_16750_BIT);
	wr(NS16550_FCR, NS16550_FCR_ENABLE);
	wr(NS16550_LCR, LCR_CONF_MODE_A);
	wr(NS16550_FCR, NS16550_FCR_ENABLE | FCR_64BYTE);
	uint8_t status2 = rd(NS16550_IIR) & (0xc0 | IIR_16750_BIT);
	wr(NS16550_FCR, NS16550_FCR_ENABLE);
	wr(NS16550_LCR, 0);
	return status1 == 0xc0 && status2 == 0xe0;
}

/* XScale: IER bit 6 (UUE) can be set. */
static bool xscale(void)
{
	uint8_t iersave = rd(NS16550_IER);
	bool found = false;
	wr(NS16550_IER, iersave & (uint8_t)~IER_UUE);
	if (!(rd(NS16550_IER) & IER_UUE)) {
		wr(NS16550_IER, iersave | IER_UUE);
		found = (rd(NS16550_IER) & IER_UUE) != 0;
	}
	wr(NS16550_IER, iersave);
	return found;
}

/* autoconfig_16550a() with the variant probes. */
static void probe_16550a_variants(struct linux_probe *p)
{
	wr(NS16550_LCR, LCR_CONF_MODE_A);
	if (rd(EFR) == 0) {
		p->type = LINUX_PORT_16650; /* ST16C650V1 or a 64-byte FIFO clone */
		return;
	}
	wr(NS16550_LCR, LCR_CONF_MODE_B);
	if (rd(EFR) == 0) {
		p->type = LINUX_PORT_16650;
		return;
	}
	if (natsemi_superio()) {
		p->type = LINUX_PORT_NS16550A;
		return;
	}
	if (ti16750()) {
		p->type = LINUX_PORT_16750;
		return;
	}
	if (xscale()) {
		p->type = LINUX_PORT_XSCALE;
		return;
	}
	p->fifo_size = size_fifo();
	if (p->fifo_size == 64)
		p->type = LINUX_PORT_U6_16550A;
}

/* The existence test: IER must hold 0 and then 0x0f. */
static bool ier_test(void)
{
	uint8_t scratch = rd(NS16550_IER);
	wr(NS16550_IER, 0);
	uint8_t scratch2 = rd(NS16550_IER) & IER_ALL;
	wr(NS16550_IER, IER_ALL);
	uint8_t scratch3 = rd(NS16550_IER) & IER_ALL;
	wr(NS16550_IER, scratch);
	return scratch2 == 0 && scratch3 == IER_ALL;
}

/* The loopback test: MCR LOOP|OUT2|RTS must show as MSR DCD|CTS. */
static bool loop_test(uint8_t save_mcr)
{
	wr(NS16550_MCR, NS16550_MCR_LOOP | NS16550_MCR_OUT2 | NS16550_MCR_RTS);
	uint8_t status1 = rd(NS16550_MSR) & 0xf0;
	wr(NS16550_MCR, save_mcr);
	return status1 == (NS16550_MSR_DCD | NS16550_MSR_CTS);
}

static void autoconfig_8250(struct linux_probe *p)
{
	p->type = LINUX_PORT_8250;
	uint8_t scratch = rd(NS16550_SCR);
	wr(NS16550_SCR, 0xa5);
	uint8_t status1 = rd(NS16550_SCR);
	wr(NS16550_SCR, 0x5a);
	uint8_t status2 = rd(NS16550_SCR);
	wr(NS16550_SCR, scratch);
	if (status1 == 0xa5 && status2 == 0x5a)
		p->type = LINUX_PORT_16450;
}

static void classify_by_iir(struct linux_probe *p, bool full_probe)
{
	wr(NS16550_LCR, LCR_CONF_MODE_B);
	wr(EFR, 0);
	wr(NS16550_LCR, 0);
	wr(NS16550_FCR, NS16550_FCR_ENABLE);
	switch (rd(NS16550_IIR) & 0xc0) {
	case 0x00:
		autoconfig_8250(p);
		break;
	case 0x80:
		p->type = LINUX_PORT_16550;
		break;
	case 0xc0:
		p->type = LINUX_PORT_16550A;
		if (full_probe)
			probe_16550a_variants(p);
		break;
	default:
		p->type = LINUX_PORT_UNKNOWN;
		break;
	}
}

struct linux_probe linux_autoconfig(bool full_probe)
{
	struct linux_probe p = {.type = LINUX_PORT_UNKNOWN};

	if (!ier_test()) {
		p.ier_test_failed = true;
		return p;
	}
	uint8_t save_mcr = rd(NS16550_MCR);
	uint8_t save_lcr = rd(NS16550_LCR);
	if (!loop_test(save_mcr)) {
		p.loop_test_failed = true;
		return p;
	}
	classify_by_iir(&p, full_probe);
	wr(NS16550_LCR, save_lcr);
	/* Reset the UART: MCR back, FIFOs cleared and off, RBR read, IER 0. */
	wr(NS16550_MCR, save_mcr);
	wr(NS16550_FCR, NS16550_FCR_ENABLE);
	wr(NS16550_FCR, NS16550_FCR_ENABLE | NS16550_FCR_CLEAR_RX | NS16550_FCR_CLEAR_TX);
	wr(NS16550_FCR, 0);
	rd(NS16550_RBR);
	wr(NS16550_IER, 0);
	return p;
}

static bool wait_for_lsr(uint8_t bits, unsigned *polls)
{
	for (unsigned tries = 0; tries < 10000; tries++) {
		++*polls;
		if ((rd(NS16550_LSR) & bits) == bits)
			return true;
		bench_advance(1000); /* udelay(1) */
	}
	return false;
}

static void clear_interrupt_registers(void)
{
	rd(NS16550_LSR);
	rd(NS16550_RBR);
	rd(NS16550_IIR);
	rd(NS16550_MSR);
}

struct linux_startup linux_startup(void)
{
	struct linux_startup s = {0};
	unsigned polls = 0;

	wr(NS16550_FCR, NS16550_FCR_ENABLE); /* serial8250_clear_fifos() */
	wr(NS16550_FCR, NS16550_FCR_ENABLE | NS16550_FCR_CLEAR_RX | NS16550_FCR_CLEAR_TX);
	wr(NS16550_FCR, 0);
	clear_interrupt_registers();
	if (rd(NS16550_LSR) == 0xff)
		return s;
	wait_for_lsr(NS16550_LSR_THRE, &polls);
	wr(NS16550_IER, IER_THRI);
	s.iir1 = rd(NS16550_IIR);
	wr(NS16550_IER, 0);
	wr(NS16550_IER, IER_THRI);
	s.iir2 = rd(NS16550_IIR);
	wr(NS16550_IER, 0);
	s.bug_thre = !(s.iir1 & NS16550_IIR_NONE) && (s.iir2 & NS16550_IIR_NONE);
	wr(NS16550_LCR, LCR_WLEN8);
	wr(NS16550_MCR, NS16550_MCR_DTR | NS16550_MCR_RTS | NS16550_MCR_OUT2);
	wr(NS16550_IER, IER_THRI); /* the TXEN test */
	uint8_t lsr = rd(NS16550_LSR);
	uint8_t iir = rd(NS16550_IIR);
	wr(NS16550_IER, 0);
	s.bug_txen = (lsr & NS16550_LSR_TEMT) && (iir & NS16550_IIR_NONE);
	clear_interrupt_registers();
	linux_tty.ier = IER_RLSI_RDI;
	return s;
}

void linux_set_termios(void)
{
	wr(NS16550_LCR, LCR_WLEN8 | LCR_CONF_MODE_A);
	dl_write(1);
	wr(NS16550_LCR, LCR_WLEN8);
	wr(NS16550_FCR, NS16550_FCR_ENABLE);
	wr(NS16550_FCR, NS16550_FCR_ENABLE | FCR_R_TRIG_10);
	wr(NS16550_IER, linux_tty.ier);
}

unsigned linux_console_write(const char *text)
{
	unsigned polls = 0;
	uint8_t ier = rd(NS16550_IER);

	wr(NS16550_IER, 0);
	for (const char *c = text; *c; c++) {
		if (*c == '\n') {
			wait_for_lsr(NS16550_LSR_THRE, &polls);
			wr(NS16550_THR, '\r');
		}
		wait_for_lsr(NS16550_LSR_THRE, &polls);
		wr(NS16550_THR, (uint8_t)*c);
	}
	wait_for_lsr(NS16550_LSR_THRE | NS16550_LSR_TEMT, &polls);
	wr(NS16550_IER, ier);
	return polls;
}

void linux_start_tx(void)
{
	if (linux_tty.ier & IER_THRI)
		return;
	linux_tty.ier |= IER_THRI;
	wr(NS16550_IER, linux_tty.ier);
}

static void stop_tx(void)
{
	if (!(linux_tty.ier & IER_THRI))
		return;
	linux_tty.ier &= (uint8_t)~IER_THRI;
	wr(NS16550_IER, linux_tty.ier);
}

/* serial8250_rx_chars(): read while LSR shows data or a break. */
static uint8_t rx_chars(uint8_t lsr)
{
	unsigned max = 256;
	do {
		uint8_t ch = (lsr & NS16550_LSR_DR) ? rd(NS16550_RBR) : 0;
		if (linux_tty.rx_len < sizeof(linux_tty.rx))
			linux_tty.rx[linux_tty.rx_len++] = ch;
		if (--max == 0)
			break;
		lsr = rd(NS16550_LSR);
	} while (lsr & (NS16550_LSR_DR | NS16550_LSR_BI));
	return lsr;
}

/* serial8250_tx_chars(): up to 16 bytes (tx_loadsz of a 16550A). */
static void tx_chars(void)
{
	if (linux_tty.xmit_done == linux_tty.xmit_len) {
		stop_tx();
		return;
	}
	for (unsigned count = 16; count && linux_tty.xmit_done < linux_tty.xmit_len; count--)
		wr(NS16550_THR, linux_tty.xmit[linux_tty.xmit_done++]);
	if (linux_tty.xmit_done == linux_tty.xmit_len)
		stop_tx();
}

/* serial8250_default_handle_irq() and serial8250_handle_irq(). */
static bool handle_irq(void)
{
	uint8_t iir = rd(NS16550_IIR);
	if (iir & NS16550_IIR_NONE)
		return false;
	uint8_t lsr = rd(NS16550_LSR);
	if (lsr & (NS16550_LSR_DR | NS16550_LSR_BI))
		lsr = rx_chars(lsr);
	rd(NS16550_MSR);
	if ((lsr & NS16550_LSR_THRE) && (linux_tty.ier & IER_THRI))
		tx_chars();
	return true;
}

/* serial8250_interrupt() for one port: call the handler until it finds
 * nothing to do. */
static void serial8250_interrupt(void)
{
	bool handled = false;
	for (unsigned pass = 0; pass < 512 && handle_irq(); pass++)
		handled = true;
	if (handled)
		linux_tty.handled++;
	else
		linux_tty.unhandled++;
}

static unsigned edges_latched;

static bool rising_edge_since_latch(void)
{
	bool rose = false;
	for (; edges_latched < bench.changes; edges_latched++) {
		bool before = edges_latched ? bench.change[edges_latched - 1] : false;
		if (bench.change[edges_latched] && !before)
			rose = true;
	}
	return rose;
}

void linux_begin(void)
{
	memset(&linux_tty, 0, sizeof(linux_tty));
	edges_latched = bench.changes;
}

unsigned linux_deliver_interrupts(void)
{
	unsigned delivered = 0;
	while (rising_edge_since_latch() && delivered < 10000) {
		delivered++;
		serial8250_interrupt();
	}
	return delivered;
}

void linux_open(void)
{
	linux_begin();
	linux_startup();
	linux_set_termios();
	linux_deliver_interrupts();
	linux_tty.handled = 0;
	linux_tty.unhandled = 0;
}
