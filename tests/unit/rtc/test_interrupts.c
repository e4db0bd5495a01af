/*
 * Register C and IRQ8: the update-ended, periodic and alarm interrupts,
 * flags set with their interrupt disabled, IRQF as PF.PIE + AF.AIE +
 * UF.UIE, clear-on-read, the timer armed only for enabled events, and
 * late timer callbacks collapsing into one interrupt.
 */
#include "tests/unit/harness.h"

#include "tests/unit/rtc/fake.h"

#define START_TIME      1796428798ull /* 2026-12-04 23:59:58 */
#define START_TIME_NOON 1796389198ull /* 2026-12-04 12:59:58 */
#define NO_PERIODIC     0x20          /* register A: 32.768 kHz, RS = 0 */

static void set_alarm(uint8_t hour, uint8_t minute, uint8_t second)
{
	cmos_write(RTC_REG_HOURS_ALARM, hour);
	cmos_write(RTC_REG_MINUTES_ALARM, minute);
	cmos_write(RTC_REG_SECONDS_ALARM, second);
}

TEST(update_interrupt_each_second)
{
	fake_start(START_TIME, 0);
	cmos_write(RTC_REG_A, NO_PERIODIC);
	cmos_write(RTC_REG_B, RTC_B_UIE | RTC_B_24H);
	CHECK_EQ(deadline(), T0 + NS_PER_S);
	run_until(T0 + NS_PER_S);
	CHECK(fake.level);
	CHECK_EQ(fake.rises, 1);
	CHECK_EQ(cmos_read(RTC_REG_C), 0x90); /* IRQF | UF */
	CHECK(!fake.level);
	CHECK_EQ(cmos_read(RTC_REG_C), 0x00);
	CHECK_EQ(deadline(), T0 + 2 * NS_PER_S);
	CHECK_EQ(count_interrupts_until(T0 + 10 * NS_PER_S), 9);
}

TEST(flags_are_set_with_interrupts_disabled)
{
	fake_start(START_TIME, 0); /* RS = 6, nothing enabled */
	CHECK_EQ(deadline(), IO_TIMER_OFF);
	run_until(T0 + 2 * NS_PER_S);
	CHECK_EQ(fake.fires, 0);
	/* PF, UF, and AF: the power-on alarm 00:00:00 matched at midnight. */
	CHECK_EQ(cmos_read(RTC_REG_C), 0x70);
	CHECK_EQ(cmos_read(RTC_REG_C), 0x00);
	CHECK_EQ(fake.rises, 0);
}

TEST(enabling_a_set_flag_raises_at_once_and_irqf_follows_the_enable)
{
	fake_start(START_TIME, 0);
	cmos_write(RTC_REG_A, NO_PERIODIC);
	run_until(T0 + NS_PER_S); /* UF set, UIE off */
	CHECK(!fake.level);
	cmos_write(RTC_REG_B, RTC_B_UIE | RTC_B_24H);
	CHECK(fake.level);
	CHECK_EQ(fake.rises, 1);
	cmos_write(RTC_REG_B, RTC_B_24H);
	CHECK(!fake.level);
	CHECK_EQ(cmos_read(RTC_REG_C), 0x10); /* UF stays; IRQF went with UIE */
}

TEST(line_stays_high_and_timer_idle_until_c_is_read)
{
	fake_start(START_TIME_NOON, 0);
	cmos_write(RTC_REG_A, NO_PERIODIC);
	cmos_write(RTC_REG_B, RTC_B_UIE | RTC_B_24H);
	run_until(T0 + NS_PER_S);
	CHECK(fake.level);
	CHECK_EQ(deadline(), IO_TIMER_OFF);
	run_until(T0 + 5 * NS_PER_S + 1);
	CHECK_EQ(fake.fires, 1);
	CHECK_EQ(fake.rises, 1);
	CHECK_EQ(cmos_read(RTC_REG_C), 0x90);
	CHECK_EQ(deadline(), T0 + 6 * NS_PER_S);
}

TEST(periodic_1024_hz)
{
	fake_start(START_TIME, 0);
	cmos_write(RTC_REG_A, 0x26);
	cmos_write(RTC_REG_B, RTC_B_PIE | RTC_B_24H);
	CHECK_EQ(deadline(), T0 + 976563); /* 976562.5 ns, rounded up */
	CHECK_EQ(count_interrupts_until(T0 + NS_PER_S), 1024);
	CHECK_EQ(fake.rises, 1024);
	CHECK_EQ(count_interrupts_until(T0 + 2 * NS_PER_S), 1024);
}

TEST(periodic_2_hz)
{
	fake_start(START_TIME, 0);
	cmos_write(RTC_REG_A, 0x2f);
	cmos_write(RTC_REG_B, RTC_B_PIE | RTC_B_24H);
	CHECK_EQ(deadline(), T0 + 500 * NS_PER_MS);
	CHECK_EQ(count_interrupts_until(T0 + NS_PER_S), 2);
}

TEST(periodic_rates_of_the_datasheet_table)
{
	/* RS -> Hz at 32.768 kHz (datasheet rate table): 1 and 2 are 256 and 128 Hz. */
	static const unsigned hz[16] = {0,   256, 128, 8192, 4096, 2048, 1024, 512,
	                                256, 128, 64,  32,   16,   8,    4,    2};
	for (unsigned rs = 0; rs < 16; rs++) {
		fake_start(START_TIME, 0);
		cmos_write(RTC_REG_A, (uint8_t)(0x20 | rs));
		cmos_write(RTC_REG_B, RTC_B_PIE | RTC_B_24H);
		unsigned n = count_interrupts_until(T0 + NS_PER_S);
		if (n != hz[rs])
			printf("  RS %u: %u interrupts in 1 s\n", rs, n);
		CHECK_EQ(n, hz[rs]);
	}
}

TEST(periodic_off_when_rs_is_zero)
{
	fake_start(START_TIME, 0);
	cmos_write(RTC_REG_A, NO_PERIODIC);
	cmos_write(RTC_REG_B, RTC_B_PIE | RTC_B_24H);
	CHECK_EQ(deadline(), IO_TIMER_OFF);
	run_until(T0 + NS_PER_S);
	CHECK_EQ(cmos_read(RTC_REG_C), 0x10); /* UF only */
}

TEST(late_timer_collapses_missed_periods)
{
	fake_start(START_TIME, 0);
	cmos_write(RTC_REG_B, RTC_B_PIE | RTC_B_24H); /* 1024 Hz */
	run_late(T0 + 10 * NS_PER_MS + 1);            /* ten periods late */
	CHECK_EQ(fake.fires, 1);
	CHECK_EQ(fake.rises, 1);
	CHECK_EQ(deadline(), IO_TIMER_OFF); /* line high until C is read */
	CHECK_EQ(cmos_read(RTC_REG_C), 0xc0);
	/* Re-armed on the chain's grid after now: tick 11 at 10742187.5 ns. */
	CHECK_EQ(deadline(), T0 + 10742188);
	CHECK(deadline() > fake.now);
}

TEST(disabling_an_interrupt_disarms_the_timer)
{
	fake_start(START_TIME, 0);
	cmos_write(RTC_REG_B, RTC_B_PIE | RTC_B_24H);
	CHECK(deadline() != IO_TIMER_OFF);
	cmos_write(RTC_REG_B, RTC_B_24H);
	CHECK_EQ(deadline(), IO_TIMER_OFF);
	cmos_write(RTC_REG_B, RTC_B_UIE | RTC_B_24H);
	CHECK_EQ(deadline(), T0 + NS_PER_S);
	cmos_write(RTC_REG_B, RTC_B_SET | RTC_B_UIE | RTC_B_24H); /* SET clears UIE */
	CHECK_EQ(deadline(), IO_TIMER_OFF);
}

TEST(no_update_flag_while_set)
{
	fake_start(START_TIME, 0);
	cmos_write(RTC_REG_A, NO_PERIODIC);
	cmos_write(RTC_REG_B, RTC_B_SET | RTC_B_24H);
	run_until(T0 + 3 * NS_PER_S);
	CHECK_EQ(cmos_read(RTC_REG_C), 0x00);
}

TEST(alarm_at_an_exact_time)
{
	fake_start(START_TIME, 0);
	cmos_write(RTC_REG_A, NO_PERIODIC);
	set_alarm(0x00, 0x00, 0x05);
	cmos_write(RTC_REG_B, RTC_B_AIE | RTC_B_24H);
	CHECK_EQ(deadline(), T0 + 7 * NS_PER_S); /* 23:59:58 + 7 s = 00:00:05 */
	run_until(T0 + 7 * NS_PER_S - 1);
	CHECK(!fake.level);
	CHECK_EQ(cmos_read(RTC_REG_C), 0x10); /* updates, no alarm yet */
	run_until(T0 + 7 * NS_PER_S);
	CHECK(fake.level);
	CHECK_EQ(cmos_read(RTC_REG_C), 0xb0); /* IRQF | AF | UF */
	CHECK_EQ(cmos_read(RTC_REG_SECONDS), 0x05);
	CHECK_EQ(deadline(), T0 + 7 * NS_PER_S + 86400 * NS_PER_S);
}

TEST(alarm_with_all_dont_care_bytes_fires_every_second)
{
	fake_start(START_TIME, 0);
	cmos_write(RTC_REG_A, NO_PERIODIC);
	set_alarm(0xff, 0xc0, 0xd5);
	cmos_write(RTC_REG_B, RTC_B_AIE | RTC_B_24H);
	CHECK_EQ(count_interrupts_until(T0 + 5 * NS_PER_S), 5);
}

TEST(alarm_once_a_minute)
{
	fake_start(START_TIME, 0);
	cmos_write(RTC_REG_A, NO_PERIODIC);
	set_alarm(0xc0, 0xc0, 0x30);
	cmos_write(RTC_REG_B, RTC_B_AIE | RTC_B_24H);
	CHECK_EQ(deadline(), T0 + 32 * NS_PER_S); /* 00:00:30 */
	CHECK_EQ(count_interrupts_until(T0 + 180 * NS_PER_S), 3);
	CHECK_EQ(deadline(), T0 + 212 * NS_PER_S);
}

TEST(alarm_in_twelve_hour_mode_compares_the_pm_bit)
{
	fake_start(START_TIME_NOON, 0);
	cmos_write(RTC_REG_A, NO_PERIODIC);
	set_alarm(0x81, 0x00, 0x00); /* 1 PM */
	cmos_write(RTC_REG_B, RTC_B_AIE);
	CHECK_EQ(deadline(), T0 + 2 * NS_PER_S);
	set_alarm(0x01, 0x00, 0x00); /* 1 AM: the next day */
	CHECK_EQ(deadline(), T0 + 2 * NS_PER_S + 12 * 3600 * NS_PER_S);
}

TEST(alarm_that_never_matches_arms_nothing)
{
	fake_start(START_TIME, 0);
	cmos_write(RTC_REG_A, NO_PERIODIC);
	set_alarm(0xc0, 0xc0, 0x60); /* no second reads 0x60 */
	cmos_write(RTC_REG_B, RTC_B_AIE | RTC_B_24H);
	CHECK_EQ(deadline(), IO_TIMER_OFF);
	run_until(T0 + 120 * NS_PER_S);
	CHECK_EQ(cmos_read(RTC_REG_C), 0x10);
}

TEST(alarm_flag_without_aie)
{
	fake_start(START_TIME, 0);
	cmos_write(RTC_REG_A, NO_PERIODIC);
	set_alarm(0x00, 0x00, 0x00);
	run_until(T0 + NS_PER_S);
	CHECK_EQ(cmos_read(RTC_REG_C), 0x10);
	run_until(T0 + 5 * NS_PER_S); /* passed 00:00:00 in between */
	CHECK_EQ(cmos_read(RTC_REG_C), 0x30);
	CHECK_EQ(fake.rises, 0);
}
