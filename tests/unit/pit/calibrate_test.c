/* The PIT as a time reference, the way Linux uses it to measure the TSC:
 * counts follow guest time exactly, at 1.193182 MHz, however long it runs. */
#include "tests/unit/harness.h"
#include "tests/unit/pit/env.h"

#define LINUX_PIT_TICK_RATE 1193182ull
#define CAL2_LATCH          59659u /* Linux: PIT_TICK_RATE / (1000 / 50), 50 ms */

/* Nanoseconds for `pulses` at Linux's 1193182 Hz. */
static double nominal_ns(uint64_t pulses)
{
	return (double)pulses * 1e9 / (double)LINUX_PIT_TICK_RATE;
}

/* Linux's pit_calibrate_tsc(): gate on and speaker off through 0x61,
 * counter 2 in mode 0 with the latch, poll 0x61 bit 5. The guest's TSC is
 * guest time here; each poll takes `step` ns. */
static uint64_t calibrate_like_linux(uint64_t step)
{
	pio_out(0x61, (uint8_t)((pio_in(0x61) & ~0x02u) | 0x01u));
	pio_out(0x43, 0xb0);
	pio_out(0x42, CAL2_LATCH & 0xff);
	pio_out(0x42, CAL2_LATCH >> 8);
	uint64_t t1 = env.now;
	for (unsigned polls = 0; !(pio_in(0x61) & PORT61_OUT2); polls++) {
		if (polls > 100000000u)
			return 0;
		env_at(env.now + step);
	}
	return env.now - t1;
}

/* The datasheet puts OUT's rise N + 1 pulses after the write: between N and
 * N + 1 PIT periods after it, depending on where between pulses it falls. */
TEST(linux_pit_calibrate_tsc_any_phase)
{
	env_reset();
	env_at(123456789);
	uint64_t elapsed = calibrate_like_linux(10);
	CHECK(elapsed >= pulse_ns(CAL2_LATCH) - 1);
	CHECK(elapsed <= pulse_ns(CAL2_LATCH + 1) + 10);
}

/* Written just before a pulse, the wait is the programmed count / 1.193182
 * MHz: within 1 ppm (50 ns of 50 ms). */
TEST(linux_pit_calibrate_tsc_within_1ppm)
{
	env_reset();
	env_at(pulse_ns(147000) - 1);
	uint64_t elapsed = calibrate_like_linux(10);
	double expect = nominal_ns(CAL2_LATCH);
	double err = (double)elapsed - expect;
	CHECK(err < expect * 1e-6 && -err < expect * 1e-6);
}

/* Linux's quick_pit_calibrate(): counter 2 in mode 0 from 0xffff, reading
 * LSB then MSB unlatched and timing each change of the MSB. The changes are
 * exactly 256 pulses apart, whatever the phase. */
TEST(linux_quick_pit_calibrate_msb_steps)
{
	enum { STEPS = 200 };
	uint64_t seen[STEPS + 1] = {0};
	unsigned expect = 0;

	env_reset();
	env_at(987654321);
	pio_out(0x61, (uint8_t)((pio_in(0x61) & ~0x02u) | 0x01u));
	pio_out(0x43, 0xb0);
	pio_out(0x42, 0xff);
	pio_out(0x42, 0xff);
	/* "The PIT starts counting at the next edge": Linux reads the count once
	 * to wait for it, as an inb takes about a microsecond. */
	(void)pio_in(0x42);
	(void)pio_in(0x42);
	env_at(env.now + 1000);
	while (expect <= STEPS) {
		(void)pio_in(0x42);
		unsigned msb = pio_in(0x42);
		if (msb == 0xffu - expect)
			seen[expect++] = env.now;
		else
			REQUIRE(expect && msb == 0x100u - expect); /* never skips one */
		env_at(env.now + 20);
	}
	for (unsigned i = 2; i <= STEPS; i++) {
		double want = nominal_ns(256ull * (i - 1));
		double err = (double)(seen[i] - seen[1]) - want;
		CHECK(err < want * 1e-6 + 20 && -err < want * 1e-6 + 20);
	}
	double span = (double)(seen[STEPS] - seen[1]);
	double want = nominal_ns(256ull * (STEPS - 1));
	CHECK(span - want < want * 1e-6 && want - span < want * 1e-6);
}

/* The count at guest time t is derived from t: no error builds up over a
 * day or a year. Mode 2, count 0: CE = 65536 - (pulses since load mod 65536). */
TEST(counts_follow_guest_time_without_drift)
{
	static const uint64_t at[] = {
	    3600ull * 1000000000ull,
	    86400ull * 1000000000ull + 1,
	    30ull * 86400 * 1000000000ull + 123,
	    365ull * 86400 * 1000000000ull + 777,
	};

	env_reset();
	env_at_pulse(1000);
	pit_program(0x34, 0);
	for (unsigned i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		env_at(at[i]);
		uint64_t k = (uint64_t)((unsigned __int128)at[i] * PIT_HZ_NUM /
		                        (PIT_HZ_DEN * 1000000000ull));
		uint64_t pos = (k - 1001) % 65536;
		CHECK_EQ(pit_latched_count(0), (65536 - pos) % 65536);
	}
}
