/* Loopback (PC16550D "Modem Control Register" bit 4): TX into RX, MCR
 * outputs into MSR inputs, delta bits, overruns and the IRQ line. */
#include "tests/unit/harness.h"
#include "tests/unit/uart/bench.h"

#define LOOP NS16550_MCR_LOOP

TEST(loopback_sends_tx_into_rx)
{
	struct ns16550 *u = bench_start();
	wr(NS16550_MCR, LOOP);
	wr(NS16550_THR, 'x');
	CHECK_EQ(bench.nout, 0);
	CHECK_EQ(rd(NS16550_LSR), 0x61);
	CHECK_EQ(rd(NS16550_RBR), 'x');
	CHECK_EQ(u->stats.loop_bytes, 1);
	CHECK_EQ(u->stats.tx_bytes, 0);
	wr(NS16550_MCR, 0);
	wr(NS16550_THR, 'y');
	CHECK_EQ(bench.nout, 1);
	CHECK_EQ(rd(NS16550_LSR), 0x60);
}

TEST(loopback_maps_mcr_outputs_to_msr_inputs)
{
	static const struct {
		uint8_t mcr, msr;
	} map[] = {
	    {NS16550_MCR_DTR, NS16550_MSR_DSR},
	    {NS16550_MCR_RTS, NS16550_MSR_CTS},
	    {NS16550_MCR_OUT1, NS16550_MSR_RI},
	    {NS16550_MCR_OUT2, NS16550_MSR_DCD},
	    {0x0f, 0xf0},
	    {0, 0},
	};
	bench_start();
	wr(NS16550_MCR, LOOP);
	rd(NS16550_MSR);
	for (unsigned i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		wr(NS16550_MCR, LOOP | map[i].mcr);
		CHECK_EQ(rd(NS16550_MSR) & NS16550_MSR_LINES, map[i].msr);
	}
}

TEST(linux_loop_test_reads_dcd_and_cts)
{
	bench_start();
	wr(NS16550_MCR, LOOP | NS16550_MCR_OUT2 | NS16550_MCR_RTS);
	CHECK_EQ(rd(NS16550_MSR) & 0xf0, 0x90);
}

TEST(entering_loopback_changes_the_inputs)
{
	bench_start();
	wr(NS16550_MCR, LOOP);
	CHECK_EQ(rd(NS16550_MSR), 0x0b); /* CTS, DSR, DCD went off: DCTS, DDSR, DDCD */
	CHECK_EQ(rd(NS16550_MSR), 0x00);
	wr(NS16550_MCR, 0);
	CHECK_EQ(rd(NS16550_MSR), 0xbb); /* the terminal's lines back, changed again */
	CHECK_EQ(rd(NS16550_MSR), 0xb0);
}

TEST(delta_bits_follow_changes_and_clear_on_read)
{
	bench_start();
	wr(NS16550_MCR, LOOP);
	rd(NS16550_MSR);
	wr(NS16550_MCR, LOOP | NS16550_MCR_RTS);
	CHECK_EQ(rd(NS16550_MSR), 0x11); /* CTS, DCTS */
	wr(NS16550_MCR, LOOP | NS16550_MCR_RTS | NS16550_MCR_DTR | NS16550_MCR_OUT2);
	CHECK_EQ(rd(NS16550_MSR), 0xba); /* DCD, DSR, CTS; DDCD, DDSR */
	wr(NS16550_MCR, LOOP | NS16550_MCR_OUT1);
	CHECK_EQ(rd(NS16550_MSR), 0x4b); /* RI on: no TERI (only its trailing edge counts) */
	wr(NS16550_MCR, LOOP);
	CHECK_EQ(rd(NS16550_MSR), 0x04); /* RI off: TERI */
	wr(NS16550_MCR, LOOP | NS16550_MCR_RTS);
	wr(NS16550_MCR, LOOP);
	CHECK_EQ(rd(NS16550_MSR), 0x01); /* two changes since the last read: one delta */
}

TEST(modem_status_interrupt_works_in_loopback)
{
	bench_start();
	wr(NS16550_MCR, LOOP);
	rd(NS16550_MSR);
	wr(NS16550_IER, NS16550_IER_EDSSI);
	CHECK_EQ(rd(NS16550_IIR), 0x01);
	wr(NS16550_MCR, LOOP | NS16550_MCR_DTR);
	CHECK_EQ(rd(NS16550_IIR), 0x00);
	rd(NS16550_MSR);
	CHECK_EQ(rd(NS16550_IIR), 0x01);
}

TEST(loopback_disconnects_host_input)
{
	struct ns16550 *u = bench_start();
	wr(NS16550_FCR, NS16550_FCR_ENABLE);
	wr(NS16550_MCR, LOOP);
	CHECK(!ns16550_can_receive(u));
	CHECK(!ns16550_receive(u, 'h'));
	CHECK_EQ(rd(NS16550_LSR), 0x60);
	wr(NS16550_MCR, 0);
	CHECK(ns16550_receive(u, 'h'));
}

TEST(loopback_overruns_a_full_fifo)
{
	struct ns16550 *u = bench_start();
	wr(NS16550_FCR, NS16550_FCR_ENABLE);
	wr(NS16550_MCR, LOOP);
	for (unsigned i = 0; i < 17; i++)
		wr(NS16550_THR, (uint8_t)i);
	CHECK_EQ(rd(NS16550_LSR), 0x63); /* OE, DR */
	CHECK_EQ(rd(NS16550_LSR), 0x61);
	for (unsigned i = 0; i < 16; i++)
		CHECK_EQ(rd(NS16550_RBR), i); /* the 17th byte is the one lost */
	CHECK_EQ(rd(NS16550_LSR), 0x60);
	CHECK_EQ(u->stats.overruns, 1);
	CHECK_EQ(u->stats.loop_bytes, 17);
}

TEST(loopback_overrun_without_fifos_overwrites_rbr)
{
	bench_start();
	wr(NS16550_MCR, LOOP);
	wr(NS16550_IER, NS16550_IER_ELSI);
	wr(NS16550_THR, 'a');
	CHECK_EQ(rd(NS16550_IIR), 0x01);
	wr(NS16550_THR, 'b');
	CHECK_EQ(rd(NS16550_IIR), 0x06);
	CHECK_EQ(rd(NS16550_LSR), 0x63);
	CHECK_EQ(rd(NS16550_RBR), 'b');
	CHECK_EQ(rd(NS16550_LSR), 0x60);
}

TEST(loopback_keeps_the_irq_line_low)
{
	bench_start();
	wr(NS16550_MCR, LOOP | NS16550_MCR_OUT2);
	wr(NS16550_IER, NS16550_IER_ERBFI | NS16550_IER_ETBEI);
	wr(NS16550_THR, 'a');
	CHECK_EQ(rd(NS16550_IIR), 0x04); /* pending inside the chip ... */
	CHECK_EQ(bench.changes, 0);      /* ... but OUT2 is forced inactive */
	wr(NS16550_MCR, NS16550_MCR_OUT2);
	CHECK_EQ(strcmp(bench_edges(), "1"), 0);
	rd(NS16550_RBR);
	CHECK_EQ(rd(NS16550_IIR), 0x02);
	CHECK_EQ(strcmp(bench_edges(), "0"), 0);
}
