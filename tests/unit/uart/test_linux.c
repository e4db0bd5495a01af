/* Linux's 8250 driver against the model: what it would detect and whether
 * its console, TX and RX paths move every byte. */
#include "tests/unit/harness.h"
#include "tests/unit/uart/bench.h"
#include "tests/unit/uart/linux.h"

static const char *type_name(enum linux_port_type t)
{
	static const char *names[] = {"unknown", "8250",     "16450", "16550",  "16550A",
	                              "16650",   "NS16550A", "16750", "XScale", "U6_16550A"};
	return names[t];
}

TEST(autoconfig_finds_a_16550a)
{
	struct ns16550 *u = bench_start();
	struct linux_probe p = linux_autoconfig(false);
	CHECK(!p.ier_test_failed);
	CHECK(!p.loop_test_failed);
	CHECK_EQ(strcmp(type_name(p.type), "16550A"), 0);
	/* It leaves the port reset: IER 0, FIFOs off, nothing sent or pending. */
	CHECK_EQ(rd(NS16550_IER), 0);
	CHECK_EQ(rd(NS16550_IIR), 0x01);
	CHECK_EQ(rd(NS16550_MCR), 0);
	CHECK_EQ(rd(NS16550_LCR), 0);
	CHECK_EQ(bench.nout, 0);
	CHECK_EQ(bench.changes, 0);
	CHECK_EQ(u->stats.interrupts, 0);
	CHECK_EQ(bench.refused, 0);
}

TEST(autoconfig_full_probe_still_finds_a_16550a_with_16_byte_fifo)
{
	struct ns16550 *u = bench_start();
	struct linux_probe p = linux_autoconfig(true);
	CHECK_EQ(strcmp(type_name(p.type), "16550A"), 0);
	CHECK_EQ(p.fifo_size, 16); /* size_fifo(): 16 of 256 looped-back bytes */
	CHECK_EQ(bench.nout, 0);   /* loopback kept them off the wire */
	CHECK_EQ(u->stats.loop_bytes, 256);
	CHECK_EQ(ns16550_divisor(u), 12); /* restored */
	CHECK_EQ(rd(NS16550_LSR), 0x60);
	CHECK_EQ(rd(NS16550_IIR), 0x01);
	CHECK_EQ(bench.changes, 0);
}

TEST(autoconfig_keeps_the_guests_mcr_and_lcr)
{
	bench_start();
	wr(NS16550_MCR, NS16550_MCR_DTR | NS16550_MCR_RTS | NS16550_MCR_OUT2);
	wr(NS16550_LCR, 0x1b);
	struct linux_probe p = linux_autoconfig(true);
	CHECK_EQ(p.type, LINUX_PORT_16550A);
	CHECK_EQ(rd(NS16550_MCR), 0x0b);
	CHECK_EQ(rd(NS16550_LCR), 0x1b);
	/* OUT2 was on: the IER test's IER = 0x0f raised THRE for a moment. */
	CHECK_EQ(strcmp(bench_edges(), "10"), 0);
}

TEST(startup_sets_no_thre_or_txen_bug)
{
	bench_start();
	linux_begin();
	linux_autoconfig(false);
	struct linux_startup s = linux_startup();
	CHECK_EQ(s.iir1, 0x02);
	CHECK_EQ(s.iir2, 0x02); /* THRE re-asserted when THRI was set again */
	CHECK(!s.bug_thre);
	CHECK(!s.bug_txen);
	CHECK(!bench_line());
}

TEST(startup_txen_test_raises_one_interrupt_found_empty)
{
	bench_start();
	linux_begin();
	linux_startup();
	/* With OUT2 on, IER = THRI raises the line; the IIR read lowers it. */
	CHECK_EQ(strcmp(bench_edges(), "10"), 0);
	CHECK_EQ(linux_deliver_interrupts(), 1);
	CHECK_EQ(linux_tty.unhandled, 1);
}

TEST(console_write_polls_lsr_once_per_byte)
{
	bench_start();
	linux_begin();
	linux_startup();
	linux_set_termios();
	unsigned polls = linux_console_write("Linux version 6.1\n");
	const char expect[] = "Linux version 6.1\r\n";
	CHECK_EQ(bench.nout, sizeof(expect) - 1);
	CHECK(memcmp(bench.out, expect, sizeof(expect) - 1) == 0);
	CHECK_EQ(polls, sizeof(expect) - 1 + 1); /* one per byte, one for BOTH_EMPTY */
	CHECK_EQ(rd(NS16550_IER), 0x05);         /* restored */
	CHECK(!bench_line());
}

TEST(console_write_restoring_thri_raises_thre)
{
	bench_start();
	linux_begin();
	linux_startup();
	linux_set_termios();
	wr(NS16550_IER, 0x07); /* the tty is transmitting: THRI set */
	bench_edges();
	rd(NS16550_IIR); /* the handler took THRE */
	CHECK_EQ(strcmp(bench_edges(), "0"), 0);
	linux_console_write("x");
	CHECK_EQ(strcmp(bench_edges(), "1"), 0); /* IER 0 -> 7: the TX interrupt comes back */
}

TEST(interrupt_driven_tx_moves_every_byte)
{
	static uint8_t text[100];
	for (unsigned i = 0; i < sizeof(text); i++)
		text[i] = (uint8_t)('0' + i % 64);
	bench_start();
	linux_open();
	linux_tty.xmit = text;
	linux_tty.xmit_len = sizeof(text);
	linux_start_tx();
	CHECK(bench_line());
	unsigned delivered = linux_deliver_interrupts();
	CHECK_EQ(bench.nout, sizeof(text));
	CHECK(memcmp(bench.out, text, sizeof(text)) == 0);
	CHECK_EQ(linux_tty.ier & NS16550_IER_ETBEI, 0); /* stop_tx() ran */
	CHECK(!bench_line());
	CHECK(delivered >= 1);
	CHECK(linux_tty.unhandled <= 1);
}

TEST(interrupt_driven_rx_sees_a_lone_byte_after_the_timeout)
{
	struct ns16550 *u = bench_start();
	linux_open();
	CHECK(ns16550_receive(u, 'l'));
	CHECK(ns16550_receive(u, 's'));
	CHECK(ns16550_receive(u, '\r'));
	CHECK_EQ(linux_deliver_interrupts(), 0); /* below the trigger level of 8 */
	bench_advance(347222);
	CHECK(bench_line());
	CHECK_EQ(linux_deliver_interrupts(), 1);
	CHECK_EQ(linux_tty.rx_len, 3);
	CHECK(memcmp(linux_tty.rx, "ls\r", 3) == 0);
	CHECK(!bench_line());
	CHECK_EQ(linux_tty.unhandled, 0);
}

TEST(interrupt_driven_rx_drains_a_burst_larger_than_the_fifo)
{
	uint8_t sent[40];
	for (unsigned i = 0; i < sizeof(sent); i++)
		sent[i] = (uint8_t)(0x20 + i);
	struct ns16550 *u = bench_start();
	linux_open();
	unsigned next = 0;
	for (unsigned step = 0; step < 1000 && linux_tty.rx_len < sizeof(sent); step++) {
		while (next < sizeof(sent) && ns16550_receive(u, sent[next]))
			next++; /* the host offers bytes while the FIFO takes them */
		linux_deliver_interrupts();
		bench_advance(100000);
	}
	CHECK_EQ(linux_tty.rx_len, sizeof(sent));
	CHECK(memcmp(linux_tty.rx, sent, sizeof(sent)) == 0);
	CHECK_EQ(rd(NS16550_LSR) & NS16550_LSR_OE, 0);
	CHECK(!bench_line());
}
