/* The APIC timer in guest time: counts, exact expiries, periodic reloads,
 * the divider, late wake-ups, masking, and register writes mid-count. */
#include "tests/unit/harness.h"

#include "tests/unit/lapic/rig.h"

#define VEC          0xecu
#define LVT_ONE_SHOT VEC
#define LVT_PERIODIC (APIC_LVT_TIMER_PERIODIC | VEC)
#define DCR_BY_1     0xbu
#define DCR_BY_2     0x0u
#define DCR_BY_16    0x3u

static struct io_timer *timer(void)
{
	return vlapic_timer(&rig.apic);
}

/* An enabled APIC with the timer programmed at guest time T0. */
static void program(uint32_t lvt, uint32_t dcr, uint32_t initial)
{
	rig_enabled();
	wr(APIC_LVT_TIMER, lvt);
	wr(APIC_TIMER_DIVIDE, dcr);
	wr(APIC_TIMER_INITIAL, initial);
}

/* The machine runs the timer at `now`, however late that is. */
static void fire_at(uint64_t now)
{
	rig_at(now);
	io_timer_disarm(timer());
	timer()->fire(timer()->dev, now);
}

TEST(timer_stopped_at_reset)
{
	rig_reset();
	CHECK_EQ(rd(APIC_TIMER_CURRENT), 0);
	CHECK(!io_timer_armed(timer()));
	rig_at(T0 + NS_PER_S);
	CHECK_EQ(rd(APIC_TIMER_CURRENT), 0);
	CHECK(strcmp(timer()->name, "lapic timer") == 0);
}

TEST(timer_one_shot_expires_after_exactly_16_ms)
{
	/* 1000000 counts, divide by 16, 1 ns per bus clock: 16 ms. */
	program(LVT_ONE_SHOT, DCR_BY_16, 1000000);
	CHECK_EQ(rd(APIC_TIMER_CURRENT), 1000000);
	CHECK_EQ(timer()->deadline, T0 + 16 * NS_PER_MS);
	rig_at(T0 + 8 * NS_PER_MS);
	CHECK_EQ(rd(APIC_TIMER_CURRENT), 500000);
	rig_at(T0 + 16 * NS_PER_MS - 1);
	CHECK_EQ(rd(APIC_TIMER_CURRENT), 1);
	CHECK_EQ(pending(), IO_INTR_NONE);
	run_until(T0 + 16 * NS_PER_MS, 0);
	CHECK_EQ(rig.taken[VEC], 1);
	CHECK_EQ(rig.last_taken_ns[VEC], T0 + 16 * NS_PER_MS);
	CHECK_EQ(rd(APIC_TIMER_CURRENT), 0);
	CHECK(!io_timer_armed(timer()));
	run_until(T0 + NS_PER_S, 0);
	CHECK_EQ(rig.taken[VEC], 1);
	CHECK_EQ(rd(APIC_TIMER_CURRENT), 0);
	CHECK_EQ(rd(APIC_TIMER_INITIAL), 1000000);
	CHECK_EQ(rig.apic.stats.timer_expiries, 1);
}

TEST(timer_divide_configuration_sets_the_rate)
{
	const struct {
		uint32_t dcr, divisor;
	} cases[] = {
	    {0x0, 2},   {0x1, 4},  {0x2, 8},
	    {0x3, 16},  {0x8, 32}, {0x9, 64},
	    {0xa, 128}, {0xb, 1},  {0x4, 2} /* bit 2 is reserved */,
	};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		program(LVT_ONE_SHOT, cases[i].dcr, 1000);
		uint64_t deadline = timer()->deadline;
		rig_at(T0 + 100 * cases[i].divisor);
		uint32_t count = rd(APIC_TIMER_CURRENT);
		if (deadline != T0 + 1000ull * cases[i].divisor || count != 900) {
			printf("  dcr 0x%x: expiry after %llu ns, count %u after 100 counts' time; "
			       "want %u ns and 900\n",
			       cases[i].dcr, (unsigned long long)(deadline - T0), count,
			       1000 * cases[i].divisor);
			harness_current_failed = 1;
		}
	}
}

TEST(timer_periodic_250_hz_gives_250_interrupts_a_second)
{
	/* 250000 counts at 62.5 MHz: 4 ms. */
	program(LVT_PERIODIC, DCR_BY_16, 250000);
	run_until(T0 + NS_PER_S, 0);
	CHECK_EQ(rig.taken[VEC], 250);
	CHECK_EQ(rig.fires, 250);
	CHECK_EQ(rig.last_taken_ns[VEC], T0 + NS_PER_S);
	CHECK_EQ(rig.apic.stats.timer_expiries, 250);
	CHECK_EQ(rig.apic.stats.timer_collapsed, 0);
	/* The reload is at the expiry itself; the next count 16 ns later. */
	CHECK_EQ(rd(APIC_TIMER_CURRENT), 250000);
	rig_at(T0 + NS_PER_S + 16);
	CHECK_EQ(rd(APIC_TIMER_CURRENT), 249999);
	CHECK_EQ(timer()->deadline, T0 + NS_PER_S + 4 * NS_PER_MS);
}

TEST(timer_periodic_reloads_the_initial_count)
{
	program(LVT_PERIODIC, DCR_BY_16, 250000);
	rig_at(T0 + 4 * NS_PER_MS - 16);
	CHECK_EQ(rd(APIC_TIMER_CURRENT), 1);
	rig_at(T0 + 4 * NS_PER_MS);
	CHECK_EQ(rd(APIC_TIMER_CURRENT), 250000);
	rig_at(T0 + 10 * NS_PER_MS);
	CHECK_EQ(rd(APIC_TIMER_CURRENT), 125000);
}

TEST(timer_late_wake_up_collapses_missed_periods)
{
	program(LVT_PERIODIC, DCR_BY_1, 1000000); /* 1 ms */
	CHECK_EQ(timer()->deadline, T0 + NS_PER_MS);
	fire_at(T0 + 5 * NS_PER_MS + NS_PER_MS / 2);
	CHECK(reg_has(APIC_IRR, VEC));
	CHECK_EQ(rig.apic.stats.accepted[VLAPIC_SRC_TIMER], 1);
	CHECK_EQ(rig.apic.stats.timer_expiries, 5);
	CHECK_EQ(rig.apic.stats.timer_collapsed, 4);
	CHECK_EQ(timer()->deadline, T0 + 6 * NS_PER_MS);
	CHECK_EQ(take_all(), 1);
	CHECK_EQ(rd(APIC_TIMER_CURRENT), 500000);
	/* Back on time: one interrupt per period again. */
	run_until(T0 + 9 * NS_PER_MS, 0);
	CHECK_EQ(rig.taken[VEC], 1 + 4);
	CHECK_EQ(rig.apic.stats.timer_expiries, 9);
}

TEST(timer_masked_still_counts_and_reloads)
{
	program(APIC_LVT_MASKED | LVT_PERIODIC, DCR_BY_1, 1000000);
	run_until(T0 + 10 * NS_PER_MS, 0);
	CHECK_EQ(rig.fires, 10);
	CHECK_EQ(reg_count(APIC_IRR), 0);
	CHECK_EQ(rig.apic.stats.timer_expiries, 10);
	CHECK_EQ(rig.apic.stats.timer_masked, 10);
	rig_at(T0 + 10 * NS_PER_MS + 250000);
	CHECK_EQ(rd(APIC_TIMER_CURRENT), 750000);
	/* Unmasking delivers the next expiry, not the ones that passed. */
	wr(APIC_LVT_TIMER, LVT_PERIODIC);
	CHECK_EQ(reg_count(APIC_IRR), 0);
	run_until(T0 + 11 * NS_PER_MS, 0);
	CHECK_EQ(rig.taken[VEC], 1);
	CHECK_EQ(rig.last_taken_ns[VEC], T0 + 11 * NS_PER_MS);
}

TEST(timer_initial_zero_stops_and_a_write_restarts)
{
	program(LVT_ONE_SHOT, DCR_BY_1, 5000);
	rig_at(T0 + 1000);
	CHECK_EQ(rd(APIC_TIMER_CURRENT), 4000);
	wr(APIC_TIMER_INITIAL, 0);
	CHECK_EQ(rd(APIC_TIMER_CURRENT), 0);
	CHECK(!io_timer_armed(timer()));
	run_until(T0 + NS_PER_S, 0);
	CHECK_EQ(rig.taken[VEC], 0);
	CHECK_EQ(rd(APIC_TIMER_CURRENT), 0);

	wr(APIC_TIMER_INITIAL, 5000);
	CHECK_EQ(rd(APIC_TIMER_CURRENT), 5000);
	CHECK_EQ(timer()->deadline, T0 + NS_PER_S + 5000);
	/* A rewrite mid-count starts over from the write. */
	rig_at(T0 + NS_PER_S + 3000);
	wr(APIC_TIMER_INITIAL, 5000);
	CHECK_EQ(rd(APIC_TIMER_CURRENT), 5000);
	CHECK_EQ(timer()->deadline, T0 + NS_PER_S + 8000);

	/* Periodic with initial 0 is stopped too. */
	wr(APIC_LVT_TIMER, LVT_PERIODIC);
	wr(APIC_TIMER_INITIAL, 0);
	run_until(T0 + 2 * NS_PER_S, 0);
	CHECK_EQ(rd(APIC_TIMER_CURRENT), 0);
	CHECK_EQ(rig.taken[VEC], 0);
}

TEST(timer_expired_one_shot_does_not_restart_in_periodic_mode)
{
	program(LVT_ONE_SHOT, DCR_BY_1, 100);
	run_until(T0 + 200, 0);
	CHECK_EQ(rig.taken[VEC], 1);
	wr(APIC_LVT_TIMER, LVT_PERIODIC);
	CHECK_EQ(rd(APIC_TIMER_CURRENT), 0);
	CHECK(!io_timer_armed(timer()));
	run_until(T0 + 10000, 0);
	CHECK_EQ(rig.taken[VEC], 1);
}

TEST(timer_divide_change_mid_count_goes_on_at_the_new_rate)
{
	program(LVT_PERIODIC, DCR_BY_1, 1000000);
	rig_at(T0 + 400000);
	CHECK_EQ(rd(APIC_TIMER_CURRENT), 600000);
	wr(APIC_TIMER_DIVIDE, DCR_BY_2);
	CHECK_EQ(rd(APIC_TIMER_CURRENT), 600000);
	rig_at(T0 + 400002);
	CHECK_EQ(rd(APIC_TIMER_CURRENT), 599999);
	CHECK_EQ(timer()->deadline, T0 + 400000 + 1200000);
	run_until(T0 + 3600000, 0);
	CHECK_EQ(rig.taken[VEC], 2); /* at +1.6 ms and +3.6 ms */
	CHECK_EQ(rig.last_taken_ns[VEC], T0 + 3600000);
}

TEST(timer_mode_switch_applies_to_the_running_count)
{
	/* One-shot made periodic before it runs out: it reloads. */
	program(LVT_ONE_SHOT, DCR_BY_1, 1000000);
	rig_at(T0 + 300000);
	wr(APIC_LVT_TIMER, LVT_PERIODIC);
	CHECK_EQ(rd(APIC_TIMER_CURRENT), 700000);
	run_until(T0 + 3 * NS_PER_MS, 0);
	CHECK_EQ(rig.taken[VEC], 3);
	CHECK_EQ(rig.last_taken_ns[VEC], T0 + 3 * NS_PER_MS);

	/* Periodic made one-shot: it ends with its current period. */
	program(LVT_PERIODIC, DCR_BY_1, 1000000);
	run_until(T0 + 2500000, 0);
	CHECK_EQ(rig.taken[VEC], 2);
	wr(APIC_LVT_TIMER, LVT_ONE_SHOT);
	run_until(T0 + 10 * NS_PER_MS, 0);
	CHECK_EQ(rig.taken[VEC], 3);
	CHECK_EQ(rig.last_taken_ns[VEC], T0 + 3 * NS_PER_MS);
	CHECK_EQ(rd(APIC_TIMER_CURRENT), 0);
}

TEST(timer_tsc_deadline_mode_is_one_shot)
{
	/* Bit 18 is reserved without TSC-deadline support: mode 10 reads 00. */
	program(0x00040000u | VEC, DCR_BY_1, 1000);
	CHECK_EQ(rd(APIC_LVT_TIMER), VEC);
	run_until(T0 + 10000, 0);
	CHECK_EQ(rig.taken[VEC], 1);
	/* Mode 11 reads 01, periodic. */
	program(0x00060000u | VEC, DCR_BY_1, 1000);
	CHECK_EQ(rd(APIC_LVT_TIMER), LVT_PERIODIC);
}

TEST(timer_fast_periodic_wakes_at_most_every_100_us)
{
	program(LVT_PERIODIC, DCR_BY_1, 10); /* a 10 ns period */
	CHECK_EQ(timer()->deadline, T0 + 100 * NS_PER_US);
	run_until(T0 + NS_PER_MS, 0);
	CHECK_EQ(rig.fires, 10);
	CHECK_EQ(rig.taken[VEC], 10);
	/* Counting stays exact: 100000 periods in 1 ms. */
	CHECK_EQ(rig.apic.stats.timer_expiries, 100000);
	CHECK_EQ(rig.apic.stats.timer_collapsed, 100000 - 10);
	rig_at(T0 + NS_PER_MS + 3);
	CHECK_EQ(rd(APIC_TIMER_CURRENT), 7);
}

TEST(timer_expiry_before_a_register_write_is_not_lost)
{
	program(LVT_ONE_SHOT, DCR_BY_1, 1000);
	rig_at(T0 + 1500); /* the machine has not run the timer yet */
	wr(APIC_TIMER_INITIAL, 1000);
	CHECK(reg_has(APIC_IRR, VEC));
	CHECK_EQ(timer()->deadline, T0 + 2500);
	CHECK_EQ(take_all(), 1);
	run_until(T0 + 2500, 0);
	CHECK_EQ(rig.taken[VEC], 2);
}

TEST(timer_pending_sees_an_expiry_the_machine_has_not_run)
{
	program(LVT_ONE_SHOT, DCR_BY_1, 1000);
	rig_at(T0 + 999);
	CHECK_EQ(pending(), IO_INTR_NONE);
	rig_at(T0 + 1000);
	CHECK_EQ(pending(), VEC);
	CHECK_EQ(ack(), VEC);
	CHECK(!io_timer_armed(timer()));
}

TEST(timer_stops_when_the_apic_is_globally_disabled)
{
	program(LVT_PERIODIC, DCR_BY_1, 1000);
	rig_at(T0 + 500);
	CHECK_EQ(vlapic_write_base_msr(&rig.apic, 0xfee00100ull), VLAPIC_MSR_OK);
	CHECK(!io_timer_armed(timer()));
	CHECK_EQ(vlapic_write_base_msr(&rig.apic, 0xfee00900ull), VLAPIC_MSR_OK);
	CHECK_EQ(rd(APIC_TIMER_CURRENT), 0);
	CHECK_EQ(rd(APIC_TIMER_INITIAL), 0);
	run_until(T0 + 10000, 0);
	CHECK_EQ(rig.apic.stats.timer_expiries, 0);
}
