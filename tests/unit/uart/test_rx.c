/* The receive path: host input, LSR, the data-available interrupt at the
 * trigger level, the character timeout rule and receive errors. */
#include "tests/unit/harness.h"
#include "tests/unit/uart/bench.h"

/* Four 8N1 characters at divisor 1: 4 * 10 bits * 16 clocks / 1.8432 MHz. */
#define QUIET_115200_8N1 347222u
#define QUIET_9600_8N1   4166666u

TEST(received_bytes_set_dr_until_read)
{
	struct ns16550 *u = bench_start();
	CHECK(ns16550_receive(u, 'o'));
	CHECK_EQ(rd(NS16550_LSR), 0x61);
	CHECK_EQ(rd(NS16550_LSR), 0x61); /* DR is not cleared by reading LSR */
	CHECK_EQ(rd(NS16550_RBR), 'o');
	CHECK_EQ(rd(NS16550_LSR), 0x60);
	CHECK_EQ(u->stats.rx_bytes, 1);
}

TEST(a_full_receiver_refuses_without_overrun)
{
	struct ns16550 *u = bench_start();
	wr(NS16550_FCR, NS16550_FCR_ENABLE);
	for (unsigned i = 0; i < 16; i++)
		ns16550_receive(u, (uint8_t)i);
	struct ns16550 before = *u;
	CHECK(!ns16550_receive(u, 0xaa));
	CHECK(memcmp(&before.rx, &u->rx, sizeof(u->rx)) == 0);
	CHECK_EQ(u->stats.rx_bytes, 16);
	CHECK_EQ(rd(NS16550_LSR), 0x61); /* no OE */
	CHECK_EQ(rd(NS16550_RBR), 0);
	CHECK(ns16550_can_receive(u));
	CHECK(ns16550_receive(u, 0xaa));
}

TEST(data_available_raises_the_line_at_the_trigger_level)
{
	struct ns16550 *u = bench_start();
	bench_setup(1, 0x81, NS16550_IER_ERBFI, NS16550_MCR_OUT2);
	for (unsigned i = 0; i < 7; i++)
		ns16550_receive(u, 'a');
	CHECK(!bench_line());
	ns16550_receive(u, 'a');
	CHECK(bench_line());
	CHECK_EQ(rd(NS16550_IIR), 0xc4);
	rd(NS16550_RBR);
	CHECK(!bench_line()); /* 7 left: below the trigger, and no time has passed */
}

TEST(timeout_follows_four_quiet_character_times)
{
	struct ns16550 *u = bench_start();
	bench_setup(1, 0x81, NS16550_IER_ERBFI, NS16550_MCR_OUT2);
	bench.now = 1000;
	for (unsigned i = 0; i < 3; i++)
		ns16550_receive(u, (uint8_t)('a' + i));
	CHECK(io_timer_armed(ns16550_timer(u)));
	CHECK_EQ(ns16550_timer(u)->deadline, 1000 + QUIET_115200_8N1);
	bench_advance(QUIET_115200_8N1 - 1);
	CHECK(!bench_line());
	CHECK_EQ(rd(NS16550_IIR), 0xc1);
	bench_advance(1);
	CHECK(bench_line());
	CHECK(!io_timer_armed(ns16550_timer(u)));
	CHECK_EQ(rd(NS16550_IIR), 0xcc);
	CHECK_EQ(rd(NS16550_RBR), 'a'); /* clears the timeout, restarts the count */
	CHECK(!bench_line());
	CHECK_EQ(ns16550_timer(u)->deadline, bench.now + QUIET_115200_8N1);
	bench_advance(QUIET_115200_8N1);
	CHECK(bench_line());
	CHECK_EQ(rd(NS16550_RBR), 'b');
	CHECK_EQ(rd(NS16550_RBR), 'c');
	CHECK(!bench_line());
	CHECK(!io_timer_armed(ns16550_timer(u))); /* empty: nothing to time */
	CHECK_EQ(u->stats.rx_timeouts, 2);
}

TEST(a_new_byte_restarts_the_timeout_count)
{
	struct ns16550 *u = bench_start();
	bench_setup(1, 0x81, NS16550_IER_ERBFI, NS16550_MCR_OUT2);
	ns16550_receive(u, 'a');
	bench_advance(300000);
	ns16550_receive(u, 'b');
	bench_advance(QUIET_115200_8N1 - 1);
	CHECK(!bench_line());
	bench_advance(1);
	CHECK(bench_line());
	ns16550_receive(u, 'c'); /* a byte in does not clear an indicated timeout */
	CHECK_EQ(rd(NS16550_IIR), 0xcc);
}

TEST(an_iir_read_finds_the_timeout_without_the_timer)
{
	struct ns16550 *u = bench_start();
	bench_setup(1, 0x81, NS16550_IER_ERBFI, 0);
	ns16550_receive(u, 'a');
	bench.now += QUIET_115200_8N1; /* time moves, the timer has not run */
	CHECK_EQ(rd(NS16550_IIR), 0xcc);
}

TEST(the_timeout_counts_real_character_times)
{
	static const struct {
		uint8_t lcr;
		uint16_t divisor;
		uint64_t quiet;
	} cases[] = {
	    {0x03, 12, QUIET_9600_8N1},  /* 640 clocks per divisor */
	    {0x1e, 1, 381944},           /* 7E2: 11 bits, 704 clocks */
	    {0x04, 1, 260416},           /* 5N1.5: 7.5 bits, 480 clocks */
	    {0x0f, 1, 416666},           /* 8 data, parity, 2 stop: 12 bits */
	    {0x03, 0, QUIET_115200_8N1}, /* divisor 0 counts as 1 */
	};
	for (unsigned c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct ns16550 *u = bench_start();
		bench_setup(cases[c].divisor, 0x81, 0, 0);
		wr(NS16550_LCR, cases[c].lcr);
		ns16550_receive(u, 'a');
		CHECK_EQ(ns16550_timer(u)->deadline, cases[c].quiet);
	}
}

TEST(reprogramming_the_divisor_retimes_the_count)
{
	struct ns16550 *u = bench_start();
	bench_setup(1, 0x81, 0, 0);
	ns16550_receive(u, 'a');
	CHECK_EQ(ns16550_timer(u)->deadline, QUIET_115200_8N1);
	wr(NS16550_LCR, 0x83);
	wr(NS16550_DLL, 12);
	CHECK_EQ(ns16550_timer(u)->deadline, QUIET_9600_8N1);
	wr(NS16550_LCR, 0x1e); /* 7E2: 11 bits a character instead of 10 */
	CHECK_EQ(ns16550_timer(u)->deadline, 4583333);
}

TEST(no_timeout_without_fifos)
{
	struct ns16550 *u = bench_start();
	bench_setup(1, 0, NS16550_IER_ERBFI, 0);
	ns16550_receive(u, 'a');
	CHECK(!io_timer_armed(ns16550_timer(u)));
	bench_advance(10 * QUIET_115200_8N1);
	CHECK_EQ(rd(NS16550_IIR), 0x04);
	CHECK_EQ(u->stats.rx_timeouts, 0);
}

TEST(at_the_trigger_level_iir_reports_data_not_timeout)
{
	struct ns16550 *u = bench_start();
	bench_setup(1, 0x01, NS16550_IER_ERBFI, 0);
	ns16550_receive(u, 'a');
	bench_advance(QUIET_115200_8N1);
	CHECK_EQ(rd(NS16550_IIR), 0xc4);
}

TEST(clearing_the_fifo_stops_the_count)
{
	struct ns16550 *u = bench_start();
	bench_setup(1, 0x81, NS16550_IER_ERBFI, NS16550_MCR_OUT2);
	ns16550_receive(u, 'a');
	wr(NS16550_FCR, 0x83);
	CHECK(!io_timer_armed(ns16550_timer(u)));
	bench_advance(QUIET_115200_8N1);
	CHECK(!bench_line());
	CHECK_EQ(rd(NS16550_IIR), 0xc1);
}

TEST(errors_show_when_their_byte_reaches_the_top)
{
	struct ns16550 *u = bench_start();
	wr(NS16550_FCR, NS16550_FCR_ENABLE);
	ns16550_receive(u, 'a');
	ns16550_receive_with_errors(u, 'b', NS16550_LSR_FE);
	CHECK_EQ(rd(NS16550_LSR), 0xe1); /* RXFE, THRE, TEMT, DR: FE waits for 'b' */
	CHECK_EQ(rd(NS16550_RBR), 'a');
	CHECK_EQ(rd(NS16550_LSR), 0xe9); /* FE now; RXFE kept: the error is still in */
	CHECK_EQ(rd(NS16550_LSR), 0x61); /* both cleared by the read */
	CHECK_EQ(rd(NS16550_RBR), 'b');
	CHECK_EQ(rd(NS16550_LSR), 0x60);
}

TEST(rxfe_stays_for_errors_further_down)
{
	struct ns16550 *u = bench_start();
	wr(NS16550_FCR, NS16550_FCR_ENABLE);
	ns16550_receive_with_errors(u, 'a', NS16550_LSR_PE);
	ns16550_receive_with_errors(u, 'b', NS16550_LSR_PE);
	CHECK_EQ(rd(NS16550_LSR), 0xe5);
	CHECK_EQ(rd(NS16550_LSR), 0xe1); /* 'b' still carries an error */
	rd(NS16550_RBR);
	CHECK_EQ(rd(NS16550_LSR), 0xe5);
	CHECK_EQ(rd(NS16550_LSR), 0x61);
}

TEST(a_break_is_a_zero_byte_with_bi)
{
	struct ns16550 *u = bench_start();
	wr(NS16550_FCR, NS16550_FCR_ENABLE);
	wr(NS16550_IER, NS16550_IER_ELSI);
	CHECK(ns16550_receive_with_errors(u, 0, NS16550_LSR_BI));
	CHECK_EQ(rd(NS16550_IIR), 0xc6);
	CHECK_EQ(rd(NS16550_LSR), 0xf1);
	CHECK_EQ(rd(NS16550_IIR), 0xc1);
	CHECK_EQ(rd(NS16550_RBR), 0);
}

TEST(without_fifos_errors_show_at_once_and_rxfe_never)
{
	struct ns16550 *u = bench_start();
	ns16550_receive_with_errors(u, 'a', NS16550_LSR_PE | NS16550_LSR_OE | 0x81);
	CHECK_EQ(rd(NS16550_LSR), 0x65); /* only PE: OE and other bits are not input errors */
}
