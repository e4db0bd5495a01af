/* The six modes of the 82C54, pulse by pulse, against the datasheet's "Mode
 * Definitions": when the count is loaded, what the CE reads, what OUT does
 * and what GATE does. Writes happen at pulse 100 (between pulses 100 and
 * 101), so "loaded on the next CLK pulse" is pulse 101. Counter 2's GATE is
 * port 0x61 bit 0; counters 0 and 1 have GATE tied high. */
#include "tests/unit/harness.h"
#include "tests/unit/pit/env.h"

static void gate2(bool on)
{
	pio_out(0x61, on ? 0x01 : 0x00);
}

/* The CE and OUT of counter `ch` at pulse `k`. */
#define CHECK_AT(ch, k, count, out)                     \
	do {                                            \
		env_at_pulse(k);                        \
		CHECK_EQ(pit_latched_count(ch), count); \
		CHECK_EQ(pit_out(ch), out);             \
	} while (0)

TEST(mode0_interrupt_on_terminal_count)
{
	env_reset();
	env_at_pulse(100);
	pit_program(0x30, 5);
	CHECK(!pit_out(0)); /* low from the control word on */
	CHECK_AT(0, 101, 5, false);
	CHECK_AT(0, 105, 1, false);
	env_at(pulse_ns(106) - 1);
	CHECK(!pit_out(0));
	CHECK_AT(0, 106, 0, true);      /* N + 1 pulses after the write */
	CHECK_AT(0, 107, 0xffff, true); /* wraps and counts on, OUT stays high */
	CHECK_AT(0, 107 + 70000, (uint16_t)(0xffff - 70000), true);
}

TEST(mode0_new_count_and_first_byte)
{
	env_reset();
	env_at_pulse(100);
	pit_program(0x30, 5);
	CHECK_AT(0, 110, 0xfffc, true);
	pio_out(0x40, 0x09); /* first byte: counting stops, OUT low at once */
	CHECK(!pit_out(0));
	CHECK_AT(0, 120, 0xfffc, false);
	pio_out(0x40, 0x00); /* second byte: count 9 loads on the next pulse */
	CHECK_AT(0, 121, 9, false);
	CHECK_AT(0, 130, 0, true);
}

TEST(mode0_gate_low_suspends_counting)
{
	env_reset();
	gate2(false);
	env_at_pulse(100);
	pit_program(0xb0, 10);
	CHECK_AT(2, 101, 10, false); /* loaded with GATE low, not counting */
	CHECK_AT(2, 150, 10, false);
	gate2(true); /* sampled from pulse 151 on */
	CHECK_AT(2, 151, 9, false);
	CHECK_AT(2, 155, 5, false);
	gate2(false);
	CHECK_AT(2, 170, 5, false);
	gate2(true);
	CHECK_AT(2, 175, 0, true);
}

TEST(mode1_hardware_retriggerable_one_shot)
{
	env_reset();
	gate2(false);
	env_at_pulse(100);
	pit_program(0xb2, 4);
	CHECK_AT(2, 105, 0, true); /* armed, not triggered: OUT high, CE holds */
	CHECK_EQ(pit_status(2) & PIT_ST_NULL_COUNT, PIT_ST_NULL_COUNT);
	env_at_pulse(110);
	gate2(true);       /* trigger */
	CHECK(pit_out(2)); /* OUT falls on the next pulse, not at once */
	CHECK_AT(2, 111, 4, false);
	CHECK_AT(2, 114, 1, false);
	CHECK_AT(2, 115, 0, true); /* low for N pulses */
	CHECK_AT(2, 116, 0xffff, true);
	gate2(false);
	env_at_pulse(120);
	gate2(true);
	CHECK_AT(2, 121, 4, false);
	CHECK_AT(2, 123, 2, false);
	gate2(false);
	gate2(true); /* retrigger mid-pulse: the full count again */
	CHECK_AT(2, 124, 4, false);
	CHECK_AT(2, 127, 1, false);
	CHECK_AT(2, 128, 0, true);
}

TEST(mode1_new_count_waits_for_trigger)
{
	env_reset();
	env_at_pulse(100);
	gate2(false);
	pit_program(0xb2, 4);
	gate2(true);
	CHECK_AT(2, 102, 3, false);
	pio_out(0x42, 10); /* a new count does not change this one-shot */
	pio_out(0x42, 0);
	CHECK_EQ(pit_status(2), 0x72);
	CHECK_AT(2, 105, 0, true);
	gate2(false);
	gate2(true);
	CHECK_AT(2, 106, 10, false);
	CHECK_EQ(pit_status(2), 0x32);
	CHECK_AT(2, 116, 0, true);
}

TEST(mode1_on_counter0_never_triggers)
{
	env_reset();
	env_at_pulse(100);
	pit_program(0x32, 4); /* GATE0 is tied high: no rising edge ever */
	env_at_pulse(100000);
	CHECK_EQ(pit_status(0), 0xf2);
}

TEST(mode2_rate_generator)
{
	env_reset();
	env_at_pulse(100);
	pit_program(0x34, 4);
	CHECK_AT(0, 101, 4, true);
	CHECK_AT(0, 103, 2, true);
	CHECK_AT(0, 104, 1, false); /* N pulses after the write, for one pulse */
	CHECK_AT(0, 105, 4, true);  /* reloaded */
	CHECK_AT(0, 108, 1, false);
	CHECK_AT(0, 109, 4, true);
	CHECK_AT(0, 108 + 4000, 1, false);
	CHECK_AT(0, 109 + 4000, 4, true);
}

TEST(mode2_new_count_at_end_of_period)
{
	env_reset();
	env_at_pulse(100);
	pit_program(0x34, 4);
	CHECK_AT(0, 106, 3, true);
	pio_out(0x40, 6);
	pio_out(0x40, 0);
	CHECK_AT(0, 108, 1, false); /* this period ends with the old count */
	CHECK_EQ(pit_status(0) & PIT_ST_NULL_COUNT, PIT_ST_NULL_COUNT);
	CHECK_AT(0, 109, 6, true);
	CHECK_EQ(pit_status(0) & PIT_ST_NULL_COUNT, 0);
	CHECK_AT(0, 114, 1, false);
	CHECK_AT(0, 115, 6, true);
}

TEST(mode2_gate)
{
	env_reset();
	gate2(true);
	env_at_pulse(100);
	pit_program(0xb4, 4);
	CHECK_AT(2, 104, 1, false);
	gate2(false); /* OUT high at once, counting stops */
	CHECK(pit_out(2));
	CHECK_AT(2, 110, 1, true);
	gate2(true); /* a trigger: reload on the next pulse */
	CHECK_AT(2, 111, 4, true);
	CHECK_AT(2, 112, 3, true);
	gate2(false); /* mid-period */
	CHECK_AT(2, 120, 3, true);
	gate2(true);
	CHECK_AT(2, 121, 4, true);  /* reloaded, not resumed */
	CHECK_AT(2, 124, 1, false); /* N pulses after the trigger */
	CHECK_AT(2, 125, 4, true);
}

TEST(mode6_is_mode2)
{
	env_reset();
	env_at_pulse(100);
	pit_program(0x3c, 4);
	CHECK_AT(0, 104, 1, false);
	CHECK_AT(0, 105, 4, true);
	CHECK_EQ(pit_status(0), 0xbc);
}

TEST(mode3_square_wave_even)
{
	env_reset();
	env_at_pulse(100);
	pit_program(0x36, 6);
	CHECK_AT(0, 101, 6, true); /* decrements by two */
	CHECK_AT(0, 102, 4, true);
	CHECK_AT(0, 103, 2, true);
	CHECK_AT(0, 104, 6, false); /* N/2 high, N/2 low */
	CHECK_AT(0, 105, 4, false);
	CHECK_AT(0, 106, 2, false);
	CHECK_AT(0, 107, 6, true);
	CHECK_AT(0, 107 + 6000, 6, true);
}

TEST(mode3_square_wave_odd)
{
	env_reset();
	env_at_pulse(100);
	pit_program(0x36, 5);
	CHECK_AT(0, 101, 4, true); /* N - 1 is loaded */
	CHECK_AT(0, 102, 2, true);
	CHECK_AT(0, 103, 0, true);  /* high for (N + 1) / 2 */
	CHECK_AT(0, 104, 4, false); /* low for (N - 1) / 2 */
	CHECK_AT(0, 105, 2, false);
	CHECK_AT(0, 106, 4, true);
}

TEST(mode3_new_count_at_end_of_half_cycle)
{
	env_reset();
	env_at_pulse(100);
	pit_program(0x36, 6);
	CHECK_AT(0, 102, 4, true);
	pio_out(0x40, 10);
	pio_out(0x40, 0);
	CHECK_AT(0, 103, 2, true);   /* this half-cycle ends with the old count */
	CHECK_AT(0, 104, 10, false); /* the low half already has the new one */
	CHECK_AT(0, 108, 2, false);
	CHECK_AT(0, 109, 10, true);
	CHECK_AT(0, 113, 2, true);
	CHECK_AT(0, 114, 10, false);
}

TEST(mode3_gate)
{
	env_reset();
	gate2(true);
	env_at_pulse(100);
	pit_program(0xb6, 6);
	CHECK_AT(2, 105, 4, false);
	gate2(false); /* OUT high at once, counting stops */
	CHECK(pit_out(2));
	CHECK_AT(2, 107, 4, true);
	env_at_pulse(108);
	gate2(true); /* reload on the next pulse: the gate synchronizes */
	CHECK_AT(2, 109, 6, true);
	CHECK_AT(2, 112, 6, false);
}

TEST(mode4_software_triggered_strobe)
{
	env_reset();
	env_at_pulse(100);
	pit_program(0x38, 3);
	CHECK_AT(0, 101, 3, true);
	CHECK_AT(0, 103, 1, true);
	CHECK_AT(0, 104, 0, false); /* N + 1 pulses after the write, one pulse */
	CHECK_AT(0, 105, 0xffff, true);
	CHECK_AT(0, 104 + 65536, 0, true); /* no second strobe without a new count */
}

TEST(mode4_new_count_restarts)
{
	env_reset();
	env_at_pulse(100);
	pit_program(0x38, 3);
	CHECK_AT(0, 102, 2, true);
	pio_out(0x40, 5);
	CHECK_AT(0, 102, 2, true); /* first byte: no effect */
	pio_out(0x40, 0);
	CHECK_AT(0, 103, 5, true);
	CHECK_AT(0, 108, 0, false);
	CHECK_AT(0, 109, 0xffff, true);
}

TEST(mode4_gate_low_inhibits)
{
	env_reset();
	gate2(false);
	env_at_pulse(100);
	pit_program(0xb8, 3);
	CHECK_AT(2, 101, 3, true);
	CHECK_AT(2, 110, 3, true);
	gate2(true);
	CHECK_AT(2, 113, 0, false);
	CHECK_AT(2, 114, 0xffff, true);
}

TEST(mode5_hardware_triggered_strobe)
{
	env_reset();
	gate2(false);
	env_at_pulse(100);
	pit_program(0xba, 3);
	CHECK_AT(2, 109, 0, true); /* nothing until a trigger */
	env_at_pulse(110);
	gate2(true);
	CHECK_AT(2, 111, 3, true);
	CHECK_AT(2, 114, 0, false); /* N + 1 pulses after the trigger */
	CHECK_AT(2, 115, 0xffff, true);
	gate2(false);
	env_at_pulse(120);
	gate2(true);
	CHECK_AT(2, 122, 2, true);
	gate2(false);
	gate2(true); /* retriggered */
	CHECK_AT(2, 123, 3, true);
	CHECK_AT(2, 126, 0, false);
	CHECK_AT(2, 127, 0xffff, true);
}

TEST(count_zero_is_65536)
{
	env_reset();
	env_at_pulse(100);
	pit_program(0x34, 0);
	CHECK_AT(0, 101, 0, true);
	CHECK_AT(0, 102, 0xffff, true);
	CHECK_AT(0, 100 + 65536, 1, false);
	CHECK_AT(0, 101 + 65536, 0, true);
}

TEST(bcd_counting)
{
	env_reset();
	env_at_pulse(100);
	pit_program(0x35, 0x0100); /* mode 2, BCD: a count of 100 */
	CHECK_AT(0, 101, 0x0100, true);
	CHECK_AT(0, 102, 0x0099, true);
	CHECK_AT(0, 191, 0x0010, true);
	CHECK_AT(0, 200, 0x0001, false);
	CHECK_AT(0, 201, 0x0100, true);
	pit_program(0x37, 0x0010); /* mode 3, BCD 10: by twos */
	CHECK_AT(0, 202, 0x0010, true);
	CHECK_AT(0, 203, 0x0008, true);
	CHECK_AT(0, 207, 0x0010, false);
}

TEST(bcd_count_zero_is_10000)
{
	env_reset();
	env_at_pulse(100);
	pit_program(0x31, 0); /* mode 0, BCD */
	CHECK_AT(0, 101, 0x0000, false);
	CHECK_AT(0, 102, 0x9999, false);
	CHECK_AT(0, 10100, 0x0001, false);
	CHECK_AT(0, 10101, 0x0000, true);
	CHECK_AT(0, 10102, 0x9999, true); /* wraps in BCD */
}
