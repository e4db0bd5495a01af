/* IRQ0 from counter 0's OUT: one rising edge per period for the periodic
 * modes, the edge at terminal count for the one-shots, the line low while
 * OUT is low, and the timer that wakes the machine for it: a late wake-up
 * gives one edge, never a queue. */
#include "tests/unit/harness.h"
#include "tests/unit/pit/env.h"

#define LATCH_100HZ 11932u /* Linux's PIT_LATCH for HZ=100: (1193182 + 50) / 100 */
#define MS          1000000ull

TEST(init_leaves_irq0_alone_and_arms_timer)
{
	env_reset();
	CHECK_EQ(env.nchanges, 0);
	CHECK(io_timer_armed(&env.pit.timer));
	CHECK(env.pit.timer.dev == &env.pit);
	CHECK_EQ(pit_status(0), 0xf6); /* mode 3, LSB then MSB, OUT high, not loaded yet */
	env_at_pulse(1);
	CHECK_EQ(pit_status(0), 0xb6); /* loaded on the first pulse */
	CHECK_EQ(env.nchanges, 0);
}

/* Count 65536 in mode 3, loaded at pulse 1: rising edges at 1 + 65536 j,
 * 18.2 a second. */
TEST(bios_state_fires_at_18_2_hz)
{
	env_reset();
	run_machine(1000 * MS, 0);
	CHECK_EQ(env.rises, 18);
	CHECK_EQ(rises_between(0, pulse_ns(1 + 65536)), 0);
	CHECK_EQ(rises_between(pulse_ns(1 + 65536), pulse_ns(1 + 65536) + 1), 1);
	CHECK_EQ(env.pit.irq0_raises, 18);
	CHECK_EQ(env.wrong_pin, 0);
}

static void check_edges_at_periods(uint64_t load, unsigned periods)
{
	for (unsigned j = 1; j <= periods; j++) {
		uint64_t t = pulse_ns(load + (uint64_t)j * LATCH_100HZ);
		CHECK_EQ(rises_between(t, t + 1), 1);
		CHECK_EQ(rises_between(t + 1, pulse_ns(load + (j + 1ull) * LATCH_100HZ)), 0);
	}
}

TEST(mode2_100hz_one_edge_per_period)
{
	env_reset();
	env_at_pulse(1000);
	pit_program(0x34, LATCH_100HZ); /* what Linux's periodic clockevent writes */
	uint64_t first = pulse_ns(1001 + LATCH_100HZ);
	/* One wake-up per period: the one-pulse low phase is not a wake-up of its own. */
	CHECK_EQ(env.pit.timer.deadline, first);
	run_machine(first + 1000 * MS - 1, 0);
	CHECK_EQ(env.rises, 100);
	CHECK_EQ(rises_between(first, first + 1000 * MS), 100);
	check_edges_at_periods(1001, 99);
	CHECK_EQ(env.pit.irq0_raises, 100);
}

TEST(mode3_100hz_one_edge_per_period_low_half_lowered)
{
	env_reset();
	env_at_pulse(1000);
	pit_program(0x36, LATCH_100HZ);
	uint64_t first = pulse_ns(1001 + LATCH_100HZ);
	CHECK_EQ(env.pit.timer.deadline, pulse_ns(1001 + LATCH_100HZ / 2)); /* the fall first */
	run_machine(first + 1000 * MS - 1, 0);
	CHECK_EQ(env.rises, 100);
	check_edges_at_periods(1001, 99);
	/* The line went low at each falling edge of the square wave after the
	 * first rise, mid-period (it was low before it). */
	unsigned falls = 0;
	for (unsigned i = 0; i < env.nchanges; i++) {
		if (env.changes[i].level)
			continue;
		falls++;
		uint64_t k = 1001 + LATCH_100HZ / 2 + (uint64_t)falls * LATCH_100HZ;
		CHECK_EQ(env.changes[i].ns, pulse_ns(k));
	}
	CHECK_EQ(falls, 100);
}

TEST(late_wakeups_keep_one_edge_per_period)
{
	env_reset();
	env_at_pulse(1000);
	pit_program(0x34, LATCH_100HZ);
	uint64_t first = pulse_ns(1001 + LATCH_100HZ);
	run_machine(first + 3 * MS + 1000 * MS - 1, 3 * MS);
	CHECK_EQ(rises_between(first + 3 * MS, first + 3 * MS + 1000 * MS), 100);
}

/* The machine gets round to the timer 10.5 periods late: one edge, and the
 * timer is armed for the first period end after now. */
TEST(late_fire_collapses_missed_periods)
{
	env_reset();
	env_at_pulse(1000);
	pit_program(0x34, 1193); /* 1 ms */
	struct io_timer *t = &env.pit.timer;
	CHECK_EQ(t->deadline, pulse_ns(1001 + 1193));
	uint64_t late = pulse_ns(1001 + 1193 * 11) + 500000;
	env_at(late);
	io_timer_disarm(t);
	t->fire(t->dev, late);
	CHECK_EQ(env.rises, 1);
	CHECK_EQ(env.pit.irq0_raises, 1);
	(void)pit_latched_count(0); /* another look, no new edge: nothing more */
	CHECK_EQ(env.rises, 1);
	CHECK(env.line); /* OUT is high between output pulses */
	CHECK_EQ(t->deadline, pulse_ns(1001 + 1193 * 12));
	run_machine(pulse_ns(1001 + 1193 * 12), 0);
	CHECK_EQ(env.rises, 2);
	CHECK_EQ(env.pit.irq0_raises, 2);
}

/* A port access that finds an edge passes it on; the timer does not repeat it. */
TEST(edge_found_by_port_access_is_not_repeated)
{
	env_reset();
	env_at_pulse(1000);
	pit_program(0x34, 100);
	env_at_pulse(1001 + 100 + 5);
	(void)pit_latched_count(0);
	CHECK_EQ(env.rises, 1);
	run_machine(pulse_ns(1001 + 200) - 1, 0);
	CHECK_EQ(env.rises, 1);
	run_machine(pulse_ns(1001 + 200), 0);
	CHECK_EQ(env.rises, 2);
}

TEST(mode0_edge_at_terminal_count_only)
{
	env_reset();
	env_at_pulse(1000);
	pit_program(0x30, 100);
	run_machine(1000 * MS, 0);
	CHECK_EQ(env.rises, 1);
	CHECK_EQ(rises_between(pulse_ns(1101), pulse_ns(1101) + 1), 1);
	CHECK(!io_timer_armed(&env.pit.timer)); /* OUT stays high: nothing to wake for */
}

/* Linux's one-shot clockevent: mode 4, then a count per event. The edge
 * is the end of the strobe, N + 2 pulses after the write. */
TEST(mode4_oneshot_event)
{
	env_reset();
	env_at_pulse(1000);
	pio_out(0x43, 0x38);
	pio_out(0x40, 1193 & 0xff);
	pio_out(0x40, 1193 >> 8);
	run_machine(pulse_ns(5000), 0);
	CHECK_EQ(env.rises, 1);
	CHECK_EQ(rises_between(pulse_ns(1001 + 1193 + 1), pulse_ns(1001 + 1193 + 1) + 1), 1);
	CHECK(!io_timer_armed(&env.pit.timer));
	pio_out(0x40, 100);
	pio_out(0x40, 0);
	run_machine(pulse_ns(6000), 0);
	CHECK_EQ(env.rises, 2);
	CHECK_EQ(rises_between(pulse_ns(5102), pulse_ns(5102) + 1), 1);
}

/* Linux's shutdown: mode 0 and a count of 0. OUT goes low at once (the line
 * follows) and the real chip still fires once, 65537 pulses later. */
TEST(mode0_shutdown_lowers_line)
{
	env_reset();
	env_at_pulse(70000); /* BIOS square wave high: first edge at 65537 */
	run_machine(pulse_ns(70000), 0);
	CHECK(env.line);
	pio_out(0x43, 0x30);
	CHECK(!env.line);
	pio_out(0x40, 0);
	pio_out(0x40, 0);
	run_machine(pulse_ns(70001 + 65536) - 1, 0);
	CHECK_EQ(env.rises, 1);
	run_machine(pulse_ns(70001 + 65536), 0);
	CHECK_EQ(env.rises, 2);
}
