/* Interrupt sources, their IIR codes and priorities (PC16550D Table IV),
 * the THRE rules and the OUT2 gate of the IRQ line. */
#include "tests/unit/harness.h"
#include "tests/unit/uart/bench.h"

#define OUT2 NS16550_MCR_OUT2

TEST(nothing_pending_reads_iir_01)
{
	bench_start();
	wr(NS16550_IER, NS16550_IER_ERBFI | NS16550_IER_ELSI | NS16550_IER_EDSSI);
	CHECK_EQ(rd(NS16550_IIR), 0x01);
}

TEST(receiver_line_status_is_06_and_cleared_by_lsr)
{
	struct ns16550 *u = bench_start();
	wr(NS16550_IER, NS16550_IER_ELSI);
	ns16550_receive_with_errors(u, 0x55, NS16550_LSR_FE);
	CHECK_EQ(rd(NS16550_IIR), 0x06);
	CHECK_EQ(rd(NS16550_IIR), 0x06); /* an IIR read does not clear it */
	CHECK_EQ(rd(NS16550_LSR), 0x69);
	CHECK_EQ(rd(NS16550_IIR), 0x01);
}

TEST(received_data_is_04_and_cleared_by_rbr)
{
	struct ns16550 *u = bench_start();
	wr(NS16550_IER, NS16550_IER_ERBFI);
	ns16550_receive(u, 'k');
	CHECK_EQ(rd(NS16550_IIR), 0x04);
	CHECK_EQ(rd(NS16550_IIR), 0x04);
	CHECK_EQ(rd(NS16550_RBR), 'k');
	CHECK_EQ(rd(NS16550_IIR), 0x01);
}

TEST(character_timeout_is_0c_and_cleared_by_rbr)
{
	struct ns16550 *u = bench_start();
	bench_setup(1, 0x81, NS16550_IER_ERBFI, 0);
	ns16550_receive(u, 'k');
	bench_advance(1000000);
	CHECK_EQ(rd(NS16550_IIR), 0xcc);
	CHECK_EQ(rd(NS16550_RBR), 'k');
	CHECK_EQ(rd(NS16550_IIR), 0xc1);
}

TEST(thr_empty_is_02_and_cleared_by_reading_iir)
{
	bench_start();
	wr(NS16550_IER, NS16550_IER_ETBEI);
	CHECK_EQ(rd(NS16550_IIR), 0x02);
	CHECK_EQ(rd(NS16550_IIR), 0x01);
}

TEST(modem_status_is_00_and_cleared_by_msr)
{
	struct ns16550 *u = bench_start();
	wr(NS16550_IER, NS16550_IER_EDSSI);
	ns16550_set_modem_lines(u, NS16550_MSR_CTS | NS16550_MSR_DSR); /* carrier lost */
	CHECK_EQ(rd(NS16550_IIR), 0x00);
	CHECK_EQ(rd(NS16550_MSR), 0x38); /* CTS, DSR, DDCD */
	CHECK_EQ(rd(NS16550_IIR), 0x01);
	CHECK_EQ(rd(NS16550_MSR), 0x30);
}

TEST(sources_are_reported_in_priority_order)
{
	struct ns16550 *u = bench_start();
	wr(NS16550_FCR, NS16550_FCR_ENABLE); /* trigger level 1 */
	ns16550_receive_with_errors(u, 'p', NS16550_LSR_PE);
	ns16550_set_modem_lines(u, NS16550_MSR_DSR | NS16550_MSR_DCD);
	wr(NS16550_IER, 0x0f);
	CHECK_EQ(rd(NS16550_IIR), 0xc6); /* 1: line status */
	rd(NS16550_LSR);
	CHECK_EQ(rd(NS16550_IIR), 0xc4); /* 2: received data */
	rd(NS16550_RBR);
	CHECK_EQ(rd(NS16550_IIR), 0xc2); /* 3: THR empty, cleared by this read */
	CHECK_EQ(rd(NS16550_IIR), 0xc0); /* 4: modem status */
	rd(NS16550_MSR);
	CHECK_EQ(rd(NS16550_IIR), 0xc1);
}

TEST(character_timeout_ranks_above_thre)
{
	struct ns16550 *u = bench_start();
	bench_setup(1, 0x41, 0, 0);
	ns16550_receive(u, 'a');
	bench_advance(1000000);
	wr(NS16550_IER, NS16550_IER_ERBFI | NS16550_IER_ETBEI);
	CHECK_EQ(rd(NS16550_IIR), 0xcc);
	CHECK_EQ(rd(NS16550_IIR), 0xcc); /* THRE is not the one reported: still pending */
	rd(NS16550_RBR);
	CHECK_EQ(rd(NS16550_IIR), 0xc2);
	CHECK_EQ(rd(NS16550_IIR), 0xc1);
}

TEST(an_iir_read_reporting_another_source_keeps_thre)
{
	struct ns16550 *u = bench_start();
	wr(NS16550_IER, NS16550_IER_ERBFI | NS16550_IER_ETBEI);
	ns16550_receive(u, 'a');
	CHECK_EQ(rd(NS16550_IIR), 0x04);
	CHECK_EQ(rd(NS16550_IIR), 0x04);
	rd(NS16550_RBR);
	CHECK_EQ(rd(NS16550_IIR), 0x02);
	CHECK_EQ(rd(NS16550_IIR), 0x01);
}

TEST(disabled_sources_are_not_reported)
{
	struct ns16550 *u = bench_start();
	ns16550_receive_with_errors(u, 'a', NS16550_LSR_BI);
	ns16550_set_modem_lines(u, 0);
	CHECK_EQ(rd(NS16550_IIR), 0x01);
	wr(NS16550_IER, NS16550_IER_EDSSI);
	CHECK_EQ(rd(NS16550_IIR), 0x00); /* pending all along, now enabled */
}

TEST(setting_etbei_raises_thre_only_on_the_change)
{
	bench_start();
	wr(NS16550_IER, NS16550_IER_ETBEI);
	CHECK_EQ(rd(NS16550_IIR), 0x02);
	wr(NS16550_IER, NS16550_IER_ETBEI | NS16550_IER_ERBFI); /* ETBEI stays set */
	CHECK_EQ(rd(NS16550_IIR), 0x01);
	wr(NS16550_IER, 0);
	wr(NS16550_IER, NS16550_IER_ETBEI);
	CHECK_EQ(rd(NS16550_IIR), 0x02);
}

TEST(a_thr_write_raises_thre_again)
{
	bench_start();
	wr(NS16550_IER, NS16550_IER_ETBEI);
	CHECK_EQ(rd(NS16550_IIR), 0x02);
	CHECK_EQ(rd(NS16550_IIR), 0x01);
	wr(NS16550_THR, 'x');
	CHECK_EQ(rd(NS16550_IIR), 0x02);
	CHECK_EQ(rd(NS16550_LSR), 0x60);
}

TEST(a_thr_write_pulses_a_raised_line)
{
	struct ns16550 *u = bench_start();
	wr(NS16550_MCR, OUT2);
	wr(NS16550_IER, NS16550_IER_ETBEI);
	CHECK_EQ(strcmp(bench_edges(), "1"), 0);
	rd(NS16550_IIR);
	CHECK_EQ(strcmp(bench_edges(), "0"), 0);
	wr(NS16550_THR, 'a'); /* line low: THR fills (no change), empties (rises) */
	CHECK_EQ(strcmp(bench_edges(), "1"), 0);
	wr(NS16550_THR, 'b'); /* line high: it drops while THR is full */
	CHECK_EQ(strcmp(bench_edges(), "01"), 0);
	CHECK_EQ(u->stats.interrupts, 3);
}

TEST(out2_gates_the_irq_line)
{
	bench_start();
	wr(NS16550_IER, NS16550_IER_ETBEI);
	CHECK_EQ(bench.changes, 0); /* pending, but OUT2 is off */
	wr(NS16550_MCR, NS16550_MCR_DTR | NS16550_MCR_RTS);
	CHECK_EQ(bench.changes, 0);
	wr(NS16550_MCR, OUT2);
	CHECK_EQ(strcmp(bench_edges(), "1"), 0);
	wr(NS16550_MCR, 0);
	CHECK_EQ(strcmp(bench_edges(), "0"), 0);
	wr(NS16550_MCR, OUT2 | NS16550_MCR_OUT1);
	CHECK_EQ(strcmp(bench_edges(), "1"), 0);
	CHECK_EQ(rd(NS16550_IIR), 0x02); /* the read clears the source: the line drops */
	CHECK_EQ(strcmp(bench_edges(), "0"), 0);
	CHECK_EQ(bench.wrong_pin, 0);
}

TEST(clearing_ier_drops_the_line)
{
	struct ns16550 *u = bench_start();
	wr(NS16550_MCR, OUT2);
	wr(NS16550_IER, NS16550_IER_ERBFI);
	ns16550_receive(u, 'a');
	CHECK_EQ(strcmp(bench_edges(), "1"), 0);
	wr(NS16550_IER, 0);
	CHECK_EQ(strcmp(bench_edges(), "0"), 0);
	wr(NS16550_IER, NS16550_IER_ERBFI);
	CHECK_EQ(strcmp(bench_edges(), "1"), 0);
	rd(NS16550_RBR);
	CHECK_EQ(strcmp(bench_edges(), "0"), 0);
}

TEST(the_line_is_driven_only_on_changes)
{
	struct ns16550 *u = bench_start();
	wr(NS16550_MCR, OUT2);
	wr(NS16550_IER, NS16550_IER_ERBFI | NS16550_IER_ELSI);
	ns16550_receive_with_errors(u, 'a', NS16550_LSR_PE);
	rd(NS16550_IIR);
	rd(NS16550_LSR); /* line status gone, data still there */
	wr(NS16550_SCR, 1);
	CHECK_EQ(strcmp(bench_edges(), "1"), 0);
	CHECK_EQ(u->stats.interrupts, 1);
}
