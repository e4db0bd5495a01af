/* FIFO control (PC16550D "FIFO Control Register") and 16450 mode. */
#include "tests/unit/harness.h"
#include "tests/unit/uart/bench.h"

TEST(fcr_enable_shows_in_iir_bits_7_6)
{
	bench_start();
	wr(NS16550_FCR, NS16550_FCR_ENABLE);
	CHECK_EQ(rd(NS16550_IIR), 0xc1);
	wr(NS16550_FCR, 0x00);
	CHECK_EQ(rd(NS16550_IIR), 0x01);
}

TEST(fcr_bits_without_bit_0_are_not_programmed)
{
	struct ns16550 *u = bench_start();
	wr(NS16550_FCR, 0xc6); /* trigger 14 and both clears, but FIFOs off */
	CHECK_EQ(rd(NS16550_IIR), 0x01);
	CHECK(ns16550_receive(u, 'a'));
	CHECK(!ns16550_receive(u, 'b')); /* still one-byte RBR */
}

TEST(without_fifos_the_receiver_holds_one_byte)
{
	struct ns16550 *u = bench_start();
	CHECK(ns16550_can_receive(u));
	CHECK(ns16550_receive(u, 'a'));
	CHECK(!ns16550_can_receive(u));
	CHECK(!ns16550_receive(u, 'b'));
	CHECK_EQ(rd(NS16550_LSR), 0x61); /* DR, and no overrun */
	CHECK_EQ(rd(NS16550_RBR), 'a');
	CHECK_EQ(rd(NS16550_LSR), 0x60);
	CHECK(ns16550_receive(u, 'b'));
	CHECK_EQ(rd(NS16550_RBR), 'b');
}

TEST(the_fifo_holds_sixteen_bytes_in_order)
{
	struct ns16550 *u = bench_start();
	wr(NS16550_FCR, NS16550_FCR_ENABLE);
	for (unsigned i = 0; i < 16; i++)
		CHECK(ns16550_receive(u, (uint8_t)('a' + i)));
	CHECK(!ns16550_can_receive(u));
	CHECK(!ns16550_receive(u, 'z'));
	CHECK_EQ(rd(NS16550_LSR), 0x61);
	for (unsigned i = 0; i < 16; i++)
		CHECK_EQ(rd(NS16550_RBR), 'a' + i);
	CHECK_EQ(rd(NS16550_LSR), 0x60);
	CHECK_EQ(rd(NS16550_RBR), 'p'); /* empty: RBR keeps the last byte */
	CHECK_EQ(u->stats.rx_bytes, 16);
}

TEST(the_fifo_wraps_around)
{
	struct ns16550 *u = bench_start();
	wr(NS16550_FCR, NS16550_FCR_ENABLE);
	for (unsigned round = 0; round < 40; round++) {
		CHECK(ns16550_receive(u, (uint8_t)round));
		CHECK(ns16550_receive(u, (uint8_t)(round + 100)));
		CHECK_EQ(rd(NS16550_RBR), round);
		CHECK_EQ(rd(NS16550_RBR), round + 100);
	}
	CHECK_EQ(rd(NS16550_LSR), 0x60);
}

TEST(fcr_bit_1_clears_the_rx_fifo_only)
{
	struct ns16550 *u = bench_start();
	wr(NS16550_FCR, NS16550_FCR_ENABLE);
	for (unsigned i = 0; i < 5; i++)
		ns16550_receive(u, 'x');
	wr(NS16550_FCR, NS16550_FCR_ENABLE | NS16550_FCR_CLEAR_RX);
	CHECK_EQ(rd(NS16550_LSR), 0x60);
	CHECK_EQ(rd(NS16550_IIR), 0xc1); /* still in FIFO mode: the bit cleared itself */
	for (unsigned i = 0; i < 16; i++)
		CHECK(ns16550_receive(u, 'y'));
}

TEST(changing_fifo_mode_clears_the_receiver)
{
	struct ns16550 *u = bench_start();
	wr(NS16550_FCR, NS16550_FCR_ENABLE);
	ns16550_receive(u, 'a');
	ns16550_receive(u, 'b');
	wr(NS16550_FCR, 0);
	CHECK_EQ(rd(NS16550_LSR), 0x60);
	ns16550_receive(u, 'c');
	wr(NS16550_FCR, NS16550_FCR_ENABLE);
	CHECK_EQ(rd(NS16550_LSR), 0x60);
	wr(NS16550_FCR, NS16550_FCR_ENABLE); /* no change of mode: nothing cleared */
	ns16550_receive(u, 'd');
	wr(NS16550_FCR, NS16550_FCR_ENABLE | 0x40);
	CHECK_EQ(rd(NS16550_RBR), 'd');
}

TEST(trigger_levels_are_1_4_8_14)
{
	static const struct {
		uint8_t fcr;
		unsigned level;
	} cases[] = {{0x01, 1}, {0x41, 4}, {0x81, 8}, {0xc1, 14}};
	for (unsigned c = 0; c < 4; c++) {
		struct ns16550 *u = bench_start();
		wr(NS16550_FCR, cases[c].fcr);
		wr(NS16550_IER, NS16550_IER_ERBFI);
		CHECK_EQ(ns16550_rx_trigger(cases[c].fcr), cases[c].level);
		for (unsigned i = 0; i + 1 < cases[c].level; i++)
			ns16550_receive(u, 'x');
		CHECK_EQ(rd(NS16550_IIR), 0xc1);
		ns16550_receive(u, 'x');
		CHECK_EQ(rd(NS16550_IIR), 0xc4);
		rd(NS16550_RBR); /* below the trigger again */
		CHECK_EQ(rd(NS16550_IIR), 0xc1);
	}
}

TEST(fcr_bit_2_empties_thr_and_raises_thre)
{
	bench_start();
	wr(NS16550_FCR, NS16550_FCR_ENABLE);
	wr(NS16550_IER, NS16550_IER_ETBEI);
	CHECK_EQ(rd(NS16550_IIR), 0xc2);
	CHECK_EQ(rd(NS16550_IIR), 0xc1);
	wr(NS16550_FCR, NS16550_FCR_ENABLE | NS16550_FCR_CLEAR_TX);
	CHECK_EQ(rd(NS16550_IIR), 0xc2);
	CHECK_EQ(rd(NS16550_LSR), 0x60);
}

TEST(first_thre_after_changing_fcr0_is_immediate)
{
	bench_start();
	wr(NS16550_IER, NS16550_IER_ETBEI);
	CHECK_EQ(rd(NS16550_IIR), 0x02);
	CHECK_EQ(rd(NS16550_IIR), 0x01);
	wr(NS16550_FCR, NS16550_FCR_ENABLE);
	CHECK_EQ(rd(NS16550_IIR), 0xc2);
	CHECK_EQ(rd(NS16550_IIR), 0xc1);
	wr(NS16550_FCR, 0);
	CHECK_EQ(rd(NS16550_IIR), 0x02);
}
