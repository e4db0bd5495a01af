/* System control port B (0x61): counter 2's gate and the speaker enable
 * read back, the refresh toggle follows guest time, bit 5 is counter 2's OUT. */
#include "tests/unit/harness.h"
#include "tests/unit/pit/env.h"

TEST(port61_writable_bits_read_back)
{
	env_reset();
	CHECK_EQ(pio_in(0x61) & 0xcf, 0x00); /* gate and speaker off at handoff */
	pio_out(0x61, 0x03);
	CHECK_EQ(pio_in(0x61) & 0x0f, 0x03);
	pio_out(0x61, 0xfc); /* bits 4..7 are read-only; 6 and 7 (NMI sources) read 0 */
	CHECK_EQ(pio_in(0x61) & 0xcf, 0x0c);
}

/* The BIOS's counter 1 (mode 2, count 18, loaded at pulse 1) ends a period
 * at pulses 19, 37, ...; bit 4 flips at each: every 18 PIT clocks. */
TEST(port61_refresh_toggles_every_15us)
{
	env_reset();
	env_at_pulse(1); /* counter 1 loaded */
	bool prev = pio_in(0x61) & PORT61_REFRESH;
	unsigned flips = 0;
	for (uint64_t k = 2; k <= 18 * 100; k++) {
		env_at_pulse(k);
		bool now = pio_in(0x61) & PORT61_REFRESH;
		if (now != prev) {
			CHECK_EQ((k - 1) % 18, 0);
			flips++;
		}
		prev = now;
	}
	CHECK_EQ(flips, 99);
	/* 18 clocks of 105/88 MHz: 15.0857 us between flips. */
	CHECK_EQ(pulse_ns(19 + 18) - pulse_ns(19), 15086);
}

/* Read rarely, bit 4 still has flipped once per period in between. */
TEST(port61_refresh_follows_time_not_reads)
{
	env_reset();
	env_at_pulse(10); /* before counter 1's first reload at pulse 19 */
	bool b0 = pio_in(0x61) & PORT61_REFRESH;
	env_at_pulse(10 + 18 * 1001);
	CHECK_EQ(!!(pio_in(0x61) & PORT61_REFRESH), !b0);
	env_at_pulse(10 + 18 * 3001);
	CHECK_EQ(!!(pio_in(0x61) & PORT61_REFRESH), !b0);
	env_at_pulse(10 + 18 * 3002);
	CHECK_EQ(!!(pio_in(0x61) & PORT61_REFRESH), b0);
}

TEST(port61_refresh_toggles_whatever_counter1_does)
{
	env_reset();
	pit_program(0x70, 0); /* counter 1 in mode 0: REF_TOGGLE is undefined there */
	unsigned flips = 0;
	bool prev = pio_in(0x61) & PORT61_REFRESH;
	for (uint64_t k = 1; k <= 18 * 50; k++) {
		env_at_pulse(k);
		bool now = pio_in(0x61) & PORT61_REFRESH;
		flips += now != prev;
		prev = now;
	}
	CHECK_EQ(flips, 50);
}

TEST(port61_bit5_is_out2)
{
	env_reset();
	CHECK(pio_in(0x61) & PORT61_OUT2); /* mode 3, stopped: OUT high */
	env_at_pulse(100);
	pio_out(0x61, 0x01);
	pit_program(0xb0, 1000); /* mode 0 */
	CHECK(!(pio_in(0x61) & PORT61_OUT2));
	env_at_pulse(1100);
	CHECK(!(pio_in(0x61) & PORT61_OUT2));
	env_at_pulse(1101);
	CHECK(pio_in(0x61) & PORT61_OUT2);
	pit_program(0xb6, 10); /* mode 3: bit 5 is the square wave */
	env_at_pulse(1102);
	CHECK(pio_in(0x61) & PORT61_OUT2);
	env_at_pulse(1107);
	CHECK(!(pio_in(0x61) & PORT61_OUT2));
	pio_out(0x61, 0x00); /* gate off in mode 3: OUT high at once */
	CHECK(pio_in(0x61) & PORT61_OUT2);
}

TEST(port61_gate_holds_counter2)
{
	env_reset();
	env_at_pulse(100);
	pio_out(0x61, 0x01);
	pit_program(0xb0, 1000);
	env_at_pulse(201);   /* 100 pulses counted */
	pio_out(0x61, 0x02); /* gate off, speaker on */
	env_at_pulse(5000);
	CHECK_EQ(pit_latched_count(2), 900);
	pio_out(0x61, 0x03);
	env_at_pulse(5100);
	CHECK_EQ(pit_latched_count(2), 800);
}
