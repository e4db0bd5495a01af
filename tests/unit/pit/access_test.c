/* Programming and reading the 82C54 through its ports: the three count
 * formats, the LSB/MSB flip-flops, the counter latch command, the read-back
 * command and the status byte, and accesses wider than a byte. */
#include "tests/unit/harness.h"
#include "tests/unit/pit/env.h"

TEST(lsb_only_format)
{
	env_reset();
	env_at_pulse(1000);
	pit_program(0x14, 100); /* counter 0, LSB only, mode 2 */
	env_at_pulse(1001);     /* loaded on the pulse after the write */
	CHECK_EQ(pio_in(0x40), 100);
	CHECK_EQ(pio_in(0x40), 100); /* every read is the LSB */
	env_at_pulse(1031);
	CHECK_EQ(pio_in(0x40), 70);
}

TEST(msb_only_format)
{
	env_reset();
	env_at_pulse(1000);
	pit_program(0x24, 0x0200); /* counter 0, MSB only, mode 2: one write of 0x02 */
	env_at_pulse(1001);
	CHECK_EQ(pio_in(0x40), 0x02);
	env_at_pulse(1002); /* 0x01ff */
	CHECK_EQ(pio_in(0x40), 0x01);
	env_at_pulse(1001 + 257); /* 0x00ff */
	CHECK_EQ(pio_in(0x40), 0x00);
}

TEST(lsb_then_msb_flip_flop)
{
	env_reset();
	env_at_pulse(1000);
	pit_program(0x34, 0x1234);
	env_at_pulse(1001);
	CHECK_EQ(pio_in(0x40), 0x34);
	CHECK_EQ(pio_in(0x40), 0x12);
	CHECK_EQ(pio_in(0x40), 0x34); /* the flip-flop is back on the LSB */
	/* Unlatched, each byte comes from the CE as it is when read. */
	env_at_pulse(1001 + 0x35); /* 0x11ff */
	CHECK_EQ(pio_in(0x40), 0x11);
}

/* Datasheet, "Read Operations": reads and writes of a two-byte count may
 * interleave: read LSB, write LSB, read MSB, write MSB. */
TEST(reads_and_writes_interleave)
{
	env_reset();
	env_at_pulse(1000);
	pit_program(0x38, 0x1234); /* mode 4 */
	env_at_pulse(1001);
	pio_out(0x43, 0x00); /* latch counter 0 */
	CHECK_EQ(pio_in(0x40), 0x34);
	pio_out(0x40, 0x78);
	CHECK_EQ(pio_in(0x40), 0x12);
	pio_out(0x40, 0x56);
	env_at_pulse(1002); /* mode 4 loads the new count on the next pulse */
	CHECK_EQ(pit_latched_count(0), 0x5678);
	env_at_pulse(1003);
	CHECK_EQ(pit_latched_count(0), 0x5677);
}

TEST(control_word_resets_flip_flops_and_holds_ce)
{
	env_reset();
	env_at_pulse(1000);
	pio_out(0x43, 0x34);
	pio_out(0x40, 0x11);       /* half a count ... */
	pit_program(0x34, 0x0203); /* ... forgotten: the bytes start over */
	env_at_pulse(1003);        /* CE 0x0201 */
	CHECK_EQ(pio_in(0x40), 0x01);
	pio_out(0x43, 0x34);
	CHECK_EQ(pio_in(0x40), 0x01); /* the read flip-flop is on the LSB again */
	CHECK_EQ(pio_in(0x40), 0x02);
	env_at_pulse(5000); /* no count written: the CE keeps its value */
	CHECK_EQ(pit_latched_count(0), 0x0201);
}

TEST(counter_latch_holds_until_read)
{
	env_reset();
	env_at_pulse(1000);
	pit_program(0x34, 1000);
	env_at_pulse(1050); /* CE 951 */
	pio_out(0x43, 0x00);
	env_at_pulse(1060);
	pio_out(0x43, 0x00); /* a second latch before the read is ignored */
	env_at_pulse(1070);
	CHECK_EQ(pio_in(0x40), 951 & 0xff);
	CHECK_EQ(pio_in(0x40), 951 >> 8);
	CHECK_EQ(pio_in(0x40), 931 & 0xff); /* read, so unlatched: live again */
	CHECK_EQ(pio_in(0x40), 931 >> 8);
}

TEST(counter_latch_single_byte_format)
{
	env_reset();
	env_at_pulse(1000);
	pit_program(0x14, 200); /* LSB only */
	env_at_pulse(1011);
	pio_out(0x43, 0x00);
	env_at_pulse(1021);
	CHECK_EQ(pio_in(0x40), 190); /* the one byte releases the latch */
	CHECK_EQ(pio_in(0x40), 180);
}

TEST(status_byte_null_count_and_out)
{
	env_reset();
	env_at_pulse(1000);
	pio_out(0x61, 0x01);           /* counter 2's gate on */
	pio_out(0x43, 0xb0);           /* counter 2, LSB then MSB, mode 0, binary */
	CHECK_EQ(pit_status(2), 0x70); /* OUT low, null count, 11 000 0 */
	pio_out(0x42, 0x10);
	CHECK_EQ(pit_status(2), 0x70);
	pio_out(0x42, 0x00);
	CHECK_EQ(pit_status(2), 0x70); /* written, not yet in the CE */
	env_at_pulse(1001);
	CHECK_EQ(pit_status(2), 0x30); /* loaded: count available */
	env_at_pulse(1016);
	CHECK_EQ(pit_status(2), 0x30);
	env_at_pulse(1017); /* N + 1 = 17 pulses after the write */
	CHECK_EQ(pit_status(2), 0xb0);
}

TEST(status_byte_repeats_control_word)
{
	env_reset();
	pio_out(0x43, 0x77); /* counter 1, LSB then MSB, mode 3, BCD */
	CHECK_EQ(pit_status(1), 0xf7);
	pio_out(0x43, 0x1c); /* counter 0, LSB, mode 6: shown as written */
	CHECK_EQ(pit_status(0), 0xdc);
	pio_out(0x43, 0x3e); /* mode 7 */
	CHECK_EQ(pit_status(0), 0xfe);
}

TEST(read_back_status_before_count)
{
	env_reset();
	env_at_pulse(1000);
	pit_program(0x34, 1000);
	env_at_pulse(1050);
	pio_out(0x43, 0xc2); /* count and status of counter 0 */
	env_at_pulse(1100);
	CHECK_EQ(pio_in(0x40), 0xb4);
	CHECK_EQ(pio_in(0x40), 951 & 0xff);
	CHECK_EQ(pio_in(0x40), 951 >> 8);
	CHECK_EQ(pio_in(0x40), 901 & 0xff);
}

TEST(status_first_even_when_latched_second)
{
	env_reset();
	env_at_pulse(1000);
	pit_program(0x34, 1000);
	env_at_pulse(1050);
	pio_out(0x43, 0x00); /* count first ... */
	env_at_pulse(1060);
	pio_out(0x43, 0xe2); /* ... status second */
	CHECK_EQ(pio_in(0x40), 0xb4);
	CHECK_EQ(pio_in(0x40), 951 & 0xff);
	CHECK_EQ(pio_in(0x40), 951 >> 8);
}

TEST(second_status_latch_ignored)
{
	env_reset();
	env_at_pulse(1000);
	pit_program(0x30, 100); /* mode 0: OUT goes high at pulse 1101 */
	env_at_pulse(1050);
	pio_out(0x43, 0xe2);
	env_at_pulse(1200);
	pio_out(0x43, 0xe2);
	CHECK_EQ(pio_in(0x40), 0x30); /* the status of the first command */
	CHECK_EQ(pit_status(0), 0xb0);
}

/* Datasheet Figure 12's examples: "read back status of counters 2, 1" latches
 * counter 2 but not counter 1 when counter 1's status is already latched. */
TEST(read_back_several_counters)
{
	env_reset();
	/* The BIOS's counter 1 (mode 2, count 18, loaded at pulse 1) has its
	 * one-pulse low output at pulses 18, 36, ... */
	env_at_pulse(18);
	pio_out(0x43, 0xe4);
	env_at_pulse(19);
	pio_out(0x43, 0xec);
	CHECK_EQ(pio_in(0x41), 0x14); /* OUT low at pulse 18, mode 2, LSB */
	CHECK_EQ(pio_in(0x42), 0xb6); /* OUT high, mode 3, LSB then MSB */
	env_at_pulse(20);
	pio_out(0x43, 0xdc); /* count of counters 2 and 1 */
	env_at_pulse(30);
	CHECK_EQ(pio_in(0x41), 17); /* the count at pulse 20 */
	CHECK_EQ(pio_in(0x42), 0x00);
	CHECK_EQ(pio_in(0x42), 0x00); /* counter 2's gate is off: it holds 0 */
}

TEST(wide_accesses_are_successive_bytes)
{
	uint32_t v = 0;

	env_reset();
	env_at_pulse(1000);
	pit_program(0x34, 0x1234);
	env_at_pulse(1001);
	/* 0x40 then 0x41: counter 0's LSB, counter 1's count (18 - 1000 % 18 = 8). */
	CHECK(pio_in_sized(0x40, 2, &v));
	CHECK_EQ(v, 0x0834);
	CHECK(pio_in_sized(0x43, 1, &v));
	CHECK_EQ(v, 0xff); /* the control word register does not read */
	/* 0x42 gets 0x55, then 0x43 gets 0xb6: counter 2 reprogrammed. */
	CHECK(pio_out_sized(0x42, 2, 0xb655));
	CHECK_EQ(pit_status(2), 0xf6);
	CHECK(!pio_out_sized(0x43, 2, 0));
	CHECK(!pio_in_sized(0x42, 4, &v));
	CHECK(pio_in_sized(0x40, 4, &v));
	CHECK_EQ(v >> 24, 0xff);
	CHECK(!pio_in_sized(0x40, 3, &v));
	CHECK(!pio_in_sized(0x61, 2, &v));
	CHECK(!pio_out_sized(0x61, 4, 0));
}

/* "Each counter's latched count is held until it is read (or the counter is
 * reprogrammed)": a control word drops the latched count and status. */
TEST(reprogramming_drops_latches)
{
	env_reset();
	env_at_pulse(1000);
	pit_program(0x34, 1000);
	env_at_pulse(1050);
	pio_out(0x43, 0xc2);
	env_at_pulse(1060);
	pit_program(0x34, 500);
	env_at_pulse(1061);
	CHECK_EQ(pio_in(0x40), 500 & 0xff);
	CHECK_EQ(pio_in(0x40), 500 >> 8);
}
