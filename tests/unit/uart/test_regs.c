/* Registers, reset values, DLAB and access widths (PC16550D Table II and
 * Table III). */
#include "tests/unit/harness.h"
#include "tests/unit/uart/bench.h"

#include "vmx/io/log.h"

TEST(reset_values)
{
	bench_start();
	CHECK_EQ(rd(NS16550_IER), 0x00);
	CHECK_EQ(rd(NS16550_IIR), 0x01); /* nothing pending, FIFOs off */
	CHECK_EQ(rd(NS16550_LCR), 0x00);
	CHECK_EQ(rd(NS16550_MCR), 0x00);
	CHECK_EQ(rd(NS16550_LSR), 0x60); /* THRE, TEMT */
	CHECK_EQ(rd(NS16550_MSR), 0xb0); /* DCD, DSR, CTS of a connected terminal; no deltas */
	CHECK_EQ(rd(NS16550_SCR), 0x00);
	CHECK_EQ(rd(NS16550_RBR), 0x00);
	wr(NS16550_LCR, NS16550_LCR_DLAB);
	CHECK_EQ(rd(NS16550_DLL), 12); /* 9600 baud */
	CHECK_EQ(rd(NS16550_DLM), 0);
	CHECK(!bench_line());
	CHECK_EQ(bench.changes, 0);
}

TEST(init_drives_the_line_low)
{
	bench_start();
	bench.changes = 0;
	struct io_irq irq = {.chip = &bench.chip, .pin = BENCH_IRQ_PIN};
	struct io_clock clock = {0};
	ns16550_init(&bench.uart, irq, clock, 0, 0);
	CHECK_EQ(bench.changes, 1);
	CHECK_EQ(bench.change[0], false);
	CHECK_EQ(bench.wrong_pin, 0);
}

TEST(ier_keeps_its_four_bits)
{
	bench_start();
	wr(NS16550_IER, 0xff);
	CHECK_EQ(rd(NS16550_IER), 0x0f);
	wr(NS16550_IER, 0x05);
	CHECK_EQ(rd(NS16550_IER), 0x05);
}

TEST(dlab_maps_the_divisor_latch_at_0_and_1)
{
	struct ns16550 *u = bench_start();
	wr(NS16550_IER, 0x05);
	wr(NS16550_LCR, 0x83);
	wr(NS16550_DLL, 0x01);
	wr(NS16550_DLM, 0x02);
	CHECK_EQ(rd(NS16550_DLL), 0x01);
	CHECK_EQ(rd(NS16550_DLM), 0x02);
	CHECK_EQ(ns16550_divisor(u), 0x0201);
	CHECK_EQ(bench.nout, 0); /* the DLL write transmitted nothing */
	wr(NS16550_LCR, 0x03);
	CHECK_EQ(rd(NS16550_IER), 0x05); /* the DLM write left IER alone */
	CHECK_EQ(rd(NS16550_RBR), 0x00);
	wr(NS16550_THR, 'A');
	CHECK_EQ(bench.nout, 1);
	wr(NS16550_LCR, 0x83);
	CHECK_EQ(rd(NS16550_DLL), 0x01); /* the THR write left DLL alone */
}

TEST(dlab_leaves_registers_2_to_7_alone)
{
	bench_start();
	wr(NS16550_LCR, 0x80);
	wr(NS16550_FCR, NS16550_FCR_ENABLE);
	wr(NS16550_SCR, 0x42);
	CHECK_EQ(rd(NS16550_IIR), 0xc1);
	CHECK_EQ(rd(NS16550_LSR), 0x60);
	CHECK_EQ(rd(NS16550_MSR), 0xb0);
	CHECK_EQ(rd(NS16550_SCR), 0x42);
}

TEST(lcr_reads_back_all_eight_bits)
{
	bench_start();
	wr(NS16550_LCR, 0x5b);
	CHECK_EQ(rd(NS16550_LCR), 0x5b);
	wr(NS16550_LCR, 0xbf);
	CHECK_EQ(rd(NS16550_LCR), 0xbf);
}

TEST(mcr_keeps_its_five_bits)
{
	bench_start();
	wr(NS16550_MCR, 0xef);
	CHECK_EQ(rd(NS16550_MCR), 0x0f);
	wr(NS16550_MCR, 0xff);
	CHECK_EQ(rd(NS16550_MCR), 0x1f);
}

TEST(scratch_register_reads_back)
{
	bench_start();
	wr(NS16550_SCR, 0xa5);
	CHECK_EQ(rd(NS16550_SCR), 0xa5);
	wr(NS16550_SCR, 0x5a);
	CHECK_EQ(rd(NS16550_SCR), 0x5a);
}

TEST(lsr_and_msr_writes_change_nothing)
{
	bench_start();
	wr(NS16550_LSR, 0x00);
	wr(NS16550_MSR, 0x0f);
	CHECK_EQ(rd(NS16550_LSR), 0x60);
	CHECK_EQ(rd(NS16550_MSR), 0xb0);
}

TEST(thr_bytes_reach_the_sink_at_once)
{
	struct ns16550 *u = bench_start();
	wr(NS16550_THR, 'h');
	CHECK_EQ(rd(NS16550_LSR), 0x60);
	wr(NS16550_THR, 'i');
	CHECK_EQ(rd(NS16550_LSR), 0x60);
	CHECK_EQ(bench.nout, 2);
	CHECK(memcmp(bench.out, "hi", 2) == 0);
	CHECK_EQ(u->stats.tx_bytes, 2);
}

TEST(a_null_sink_drops_output)
{
	struct ns16550 *u = bench_start();
	u->tx = 0;
	wr(NS16550_THR, 'x');
	CHECK_EQ(u->stats.tx_bytes, 1);
	CHECK_EQ(rd(NS16550_LSR), 0x60);
}

TEST(other_widths_and_offsets_are_refused)
{
	struct ns16550 *u = bench_start();
	uint32_t v = 0x1234;
	CHECK(!ns16550_port_read(u, NS16550_LSR, 2, &v));
	CHECK(!ns16550_port_read(u, NS16550_RBR, 4, &v));
	CHECK(!ns16550_port_read(u, 8, 1, &v));
	CHECK_EQ(v, 0x1234);
	CHECK(!ns16550_port_write(u, NS16550_IER, 2, 0x0f0f));
	CHECK(!ns16550_port_write(u, NS16550_THR, 4, 'x'));
	CHECK(!ns16550_port_write(u, 8, 1, 0));
	CHECK_EQ(rd(NS16550_IER), 0);
	CHECK_EQ(bench.nout, 0);
	CHECK(ns16550_port_read(u, NS16550_SCR, 1, &v));
	CHECK_EQ(v, 0);
}

TEST(reset_restores_table_iii_and_keeps_divisor_and_scratch)
{
	struct ns16550 *u = bench_start();
	bench_setup(1, 0xc7, 0x0f, 0x1b);
	wr(NS16550_SCR, 0x77);
	wr(NS16550_THR, 1); /* looped back: RX holds a byte */
	ns16550_reset(u);
	CHECK_EQ(rd(NS16550_IER), 0);
	CHECK_EQ(rd(NS16550_IIR), 0x01);
	CHECK_EQ(rd(NS16550_LCR), 0);
	CHECK_EQ(rd(NS16550_MCR), 0);
	CHECK_EQ(rd(NS16550_LSR), 0x60);
	CHECK_EQ(rd(NS16550_MSR), 0xb0);
	CHECK_EQ(rd(NS16550_SCR), 0x77);
	CHECK_EQ(ns16550_divisor(u), 1);
	CHECK(!io_timer_armed(ns16550_timer(u)));
	CHECK(!bench_line());
}

TEST(print_is_one_report_line)
{
	struct ns16550 *u = bench_start();
	struct io_log log;
	io_log_init(&log, bench_vprintf, "vmx: ");
	bench_setup(1, 0x81, 0x05, 0x0b);
	wr(NS16550_THR, 'a');
	wr(NS16550_THR, 'b');
	ns16550_receive(u, 'c');
	ns16550_print(u, &log);
	CHECK_EQ(strcmp(bench.log, "uart: 2 bytes out, 1 in, 0 looped back (0 overruns), 0 "
	                           "interrupts, 0 rx timeouts; lcr 0x03 ier 0x05 fcr 0x81 mcr "
	                           "0x0b divisor 1\n"),
	         0);
}
