/*
 * guest-irq-uart-in: interrupt-driven serial input. COM1's received-data interrupt (IER
 * bit 0, MCR OUT2) on IRQ4; the guest prints "irq-uart-in: ready" and idles in HLT until
 * a line arrives, bounded by PIT ticks (100 Hz, 5 s). Whoever runs it types "ping" and a
 * newline after the ready line (tools/emu SERIAL_INPUT, or a pipe into -serial stdio).
 * The timeout can be changed with "timeout=SECONDS" on the command line.
 */
#include "tests/guests/env.h"
#include "tests/guests/guest.h"
#include "tests/guests/irq_pic.h"
#include "tests/guests/irq_pit.h"
#include "tests/guests/irq_setup.h"
#include "tests/guests/irq_uart.h"
#include "tests/guests/irq_vectors.h"
#include "tests/guests/report.h"

const char guest_name[] = "irq-uart-in";

#define TICK_HZ         100u
#define TIMEOUT_S       5u
#define TIMEOUT_MAX_S   600u
#define RX_MAX          64u
#define SHOWN_MAX       (RX_MAX * 4 + 1)
#define PRINTABLE_FIRST 0x20
#define PRINTABLE_LAST  0x7e

static const char expected[] = "ping";

static volatile uint32_t ticks, rx_interrupts, rx_empty, rx_other, rx_len;
static volatile bool line_done;
static char rx[RX_MAX];

static void on_tick(struct trap_frame *f)
{
	(void)f;
	ticks++;
	pic_eoi(IRQ_PIT);
}

/* RDA or character timeout (FIFO mode): drain the receiver; a newline ends the line. An
 * edge latched in the 8259 may still bring IRQ4 after the receiver was drained: then the
 * IIR reads "none". */
static void on_com1(struct trap_frame *f)
{
	(void)f;
	uint8_t id = uart_in(UART_IIR) & IIR_ID_MASK;
	rx_interrupts++;
	if (id == IIR_NONE)
		rx_empty++;
	else if (id != IIR_RDA && id != IIR_CTI)
		rx_other++;
	while (uart_in(UART_LSR) & LSR_DR) {
		char c = (char)uart_in(UART_RBR);
		if (rx_len < RX_MAX)
			rx[rx_len++] = c;
		if (c == '\n' || c == '\r')
			line_done = true;
	}
	pic_eoi(IRQ_COM1);
}

static uint32_t timeout_s(void)
{
	static const char key[] = "timeout=";
	const char *s = env.cmdline;
	for (uint32_t i = 0; s[i]; i++) {
		if ((i && s[i - 1] != ' ') || __builtin_memcmp(s + i, key, sizeof(key) - 1))
			continue;
		uint32_t v = 0;
		for (const char *d = s + i + sizeof(key) - 1; *d >= '0' && *d <= '9'; d++)
			v = v * 10 + (uint32_t)(*d - '0');
		return v && v <= TIMEOUT_MAX_S ? v : TIMEOUT_S;
	}
	return TIMEOUT_S;
}

/* What came in, printable, with \xNN for the rest. */
static const char *shown(void)
{
	static const char hex[] = "0123456789abcdef";
	static char out[SHOWN_MAX];
	uint32_t n = 0;
	for (uint32_t i = 0; i < rx_len; i++) {
		uint8_t c = (uint8_t)rx[i];
		if (c >= PRINTABLE_FIRST && c <= PRINTABLE_LAST && c != '\\') {
			out[n++] = (char)c;
			continue;
		}
		out[n++] = '\\';
		out[n++] = 'x';
		out[n++] = hex[c >> 4];
		out[n++] = hex[c & 0xf];
	}
	out[n] = 0;
	return out;
}

static bool got_ping(void)
{
	uint32_t n = sizeof(expected) - 1;
	if (rx_len < n + 1 || __builtin_memcmp(rx, expected, n))
		return false;
	for (uint32_t i = n; i < rx_len; i++)
		if (rx[i] != '\r' && rx[i] != '\n')
			return false;
	return true;
}

void guest_main(void)
{
	irq_platform_init();
	irq_set_handler(pic_vector(IRQ_PIT), on_tick);
	irq_set_handler(pic_vector(IRQ_COM1), on_com1);
	uart_irq_init();
	uart_out(UART_IER, IER_ERBFI);
	pit_periodic(pit_count_for_hz(TICK_HZ));
	pic_unmask_clean(IRQ_PIT);
	pic_unmask_clean(IRQ_COM1);
	uint32_t limit = timeout_s() * TICK_HZ;
	report_info("ready");
	while (!line_done && ticks < limit) {
		irq_enable_and_halt();
		irq_disable();
	}
	uart_out(UART_IER, 0);
	pit_stop();
	pic_set_mask(PIC_ALL_MASKED);
	bool ping = got_ping();
	if (ping)
		report_info("got ping");
	report(ping && !rx_other,
	       "uart: \"ping\" and a newline received by receive-data interrupts on IRQ4",
	       "%s after %u ticks: %u bytes \"%s\", %u interrupts, %u neither RDA nor CTI",
	       line_done ? "line" : "timeout", ticks, rx_len, shown(), rx_interrupts, rx_other);
	report_info("%u receive interrupts (%u found the receiver already drained), %u ticks "
	            "waited",
	            rx_interrupts, rx_empty, ticks);
	irq_report_unexpected();
}
