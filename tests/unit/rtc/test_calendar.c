/*
 * The time and calendar registers (MC146818A registers 0-9, century at
 * 0x32): formats, rollovers, leap years, the weekday counter and setting
 * the time under SET. Start times are Unix seconds, checked against the
 * proleptic Gregorian calendar; weekdays are 1-7 with Sunday = 1.
 */
#include "tests/unit/harness.h"

#include "tests/unit/rtc/fake.h"

#define FRI_2026_12_04_235958 1796428798ull /* 2026-12-04 23:59:58, a Friday */
#define FRI_2026_12_04_125958 1796389198ull /* 2026-12-04 12:59:58 */
#define MON_2028_02_28_235959 1835395199ull
#define MON_2000_02_28_235959 951782399ull
#define SUN_2100_02_28_235959 4107542399ull
#define THU_2099_12_31_235959 4102444799ull
#define THU_2026_04_30_235959 1777593599ull
#define SAT_2026_01_31_235959 1769903999ull
#define ONE_DAY               (86400 * NS_PER_S)

TEST(start_time_reads_in_bcd_24h)
{
	fake_start(FRI_2026_12_04_235958, 0);
	struct clock_regs c = read_clock();
	CHECK_CLOCK(c, 0x58, 0x59, 0x23, 6, 0x04, 0x12, 0x26, 0x20);
}

TEST(date_rolls_to_next_day_after_three_seconds)
{
	fake_start(FRI_2026_12_04_235958, 0);
	run_until(T0 + 2 * NS_PER_S - 1);
	struct clock_regs before = read_clock();
	CHECK_CLOCK(before, 0x59, 0x59, 0x23, 6, 0x04, 0x12, 0x26, 0x20);
	run_until(T0 + 3 * NS_PER_S);
	struct clock_regs after = read_clock();
	CHECK_CLOCK(after, 0x01, 0x00, 0x00, 7, 0x05, 0x12, 0x26, 0x20);
}

TEST(binary_mode_shows_the_same_time)
{
	fake_start(FRI_2026_12_04_235958, 0);
	cmos_write(RTC_REG_B, RTC_B_DM | RTC_B_24H);
	struct clock_regs c = read_clock();
	CHECK_CLOCK(c, 58, 59, 23, 6, 4, 12, 26, 20);
	run_for(3 * NS_PER_S);
	c = read_clock();
	CHECK_CLOCK(c, 1, 0, 0, 7, 5, 12, 26, 20);
}

TEST(twelve_hour_bcd_hours)
{
	fake_start(FRI_2026_12_04_235958, 0);
	cmos_write(RTC_REG_B, 0);                 /* BCD, 12-hour */
	CHECK_EQ(cmos_read(RTC_REG_HOURS), 0x91); /* 11 PM */
	run_for(3 * NS_PER_S);
	CHECK_EQ(cmos_read(RTC_REG_HOURS), 0x12); /* 12 AM */

	fake_start(FRI_2026_12_04_125958, 0);
	cmos_write(RTC_REG_B, 0);
	CHECK_EQ(cmos_read(RTC_REG_HOURS), 0x92); /* 12 PM */
	run_for(2 * NS_PER_S);
	CHECK_EQ(cmos_read(RTC_REG_HOURS), 0x81); /* 1 PM */
	CHECK_EQ(cmos_read(RTC_REG_MINUTES), 0x00);
}

TEST(twelve_hour_binary_hours)
{
	fake_start(FRI_2026_12_04_235958, 0);
	cmos_write(RTC_REG_B, RTC_B_DM);
	CHECK_EQ(cmos_read(RTC_REG_HOURS), 0x8b); /* 11 PM */
	fake_start(FRI_2026_12_04_125958, 0);
	cmos_write(RTC_REG_B, RTC_B_DM);
	CHECK_EQ(cmos_read(RTC_REG_HOURS), 0x8c); /* 12 PM */
	run_for(ONE_DAY / 2 + 2 * NS_PER_S);      /* 01:00:00 the next day */
	CHECK_EQ(cmos_read(RTC_REG_HOURS), 0x01); /* 1 AM */
}

TEST(leap_day_2028)
{
	fake_start(MON_2028_02_28_235959, 0);
	run_for(NS_PER_S);
	struct clock_regs c = read_clock();
	CHECK_CLOCK(c, 0x00, 0x00, 0x00, 3, 0x29, 0x02, 0x28, 0x20);
	run_for(ONE_DAY);
	c = read_clock();
	CHECK_CLOCK(c, 0x00, 0x00, 0x00, 4, 0x01, 0x03, 0x28, 0x20);
}

TEST(year_2000_is_leap_by_the_400_rule)
{
	fake_start(MON_2000_02_28_235959, 0);
	run_for(NS_PER_S);
	struct clock_regs c = read_clock();
	CHECK_CLOCK(c, 0x00, 0x00, 0x00, 3, 0x29, 0x02, 0x00, 0x20);
}

TEST(year_2100_is_not_leap)
{
	fake_start(SUN_2100_02_28_235959, 0);
	run_for(NS_PER_S);
	struct clock_regs c = read_clock();
	CHECK_CLOCK(c, 0x00, 0x00, 0x00, 2, 0x01, 0x03, 0x00, 0x21);
}

TEST(century_rolls_from_2099_to_2100)
{
	fake_start(THU_2099_12_31_235959, 0);
	struct clock_regs c = read_clock();
	CHECK_CLOCK(c, 0x59, 0x59, 0x23, 5, 0x31, 0x12, 0x99, 0x20);
	run_for(NS_PER_S);
	c = read_clock();
	CHECK_CLOCK(c, 0x00, 0x00, 0x00, 6, 0x01, 0x01, 0x00, 0x21);
}

TEST(thirty_and_thirty_one_day_months)
{
	fake_start(THU_2026_04_30_235959, 0);
	run_for(NS_PER_S);
	struct clock_regs c = read_clock();
	CHECK_CLOCK(c, 0x00, 0x00, 0x00, 6, 0x01, 0x05, 0x26, 0x20);
	fake_start(SAT_2026_01_31_235959, 0);
	run_for(NS_PER_S);
	c = read_clock();
	CHECK_CLOCK(c, 0x00, 0x00, 0x00, 1, 0x01, 0x02, 0x26, 0x20);
}

TEST(a_year_later_in_one_read)
{
	fake_start(FRI_2026_12_04_235958, 0);
	run_for(365 * ONE_DAY); /* 2027 has 365 days: a Saturday */
	struct clock_regs c = read_clock();
	CHECK_CLOCK(c, 0x58, 0x59, 0x23, 7, 0x04, 0x12, 0x27, 0x20);
}

TEST(unix_epoch_is_a_thursday)
{
	fake_start(0, 0);
	struct clock_regs c = read_clock();
	CHECK_CLOCK(c, 0x00, 0x00, 0x00, 5, 0x01, 0x01, 0x70, 0x19);
}

TEST(set_freezes_the_clock_for_setting_it)
{
	fake_start(FRI_2026_12_04_235958, 0);
	cmos_write(RTC_REG_B, RTC_B_SET | RTC_B_24H);
	cmos_write(RTC_REG_SECONDS, 0x50);
	cmos_write(RTC_REG_MINUTES, 0x59);
	cmos_write(RTC_REG_HOURS, 0x23);
	cmos_write(RTC_REG_WEEKDAY, 6);
	cmos_write(RTC_REG_DAY, 0x31);
	cmos_write(RTC_REG_MONTH, 0x12);
	cmos_write(RTC_REG_YEAR, 0x99);
	cmos_write(RTC_REG_CENTURY, 0x19);
	run_until(T0 + 5 * NS_PER_S);
	struct clock_regs c = read_clock();
	CHECK_CLOCK(c, 0x50, 0x59, 0x23, 6, 0x31, 0x12, 0x99, 0x19);
	/* Updates resume on the chain's next second, T0 + 6 s. */
	cmos_write(RTC_REG_B, RTC_B_24H);
	run_until(T0 + 6 * NS_PER_S - 1);
	CHECK_EQ(cmos_read(RTC_REG_SECONDS), 0x50);
	run_until(T0 + 16 * NS_PER_S);
	c = read_clock();
	CHECK_CLOCK(c, 0x01, 0x00, 0x00, 7, 0x01, 0x01, 0x00, 0x20);
}

TEST(set_time_in_binary_twelve_hour_mode)
{
	fake_start(FRI_2026_12_04_235958, 0);
	cmos_write(RTC_REG_B, RTC_B_SET | RTC_B_DM);
	cmos_write(RTC_REG_HOURS, 0x8b); /* 11 PM */
	cmos_write(RTC_REG_MINUTES, 59);
	cmos_write(RTC_REG_SECONDS, 59);
	CHECK_EQ(cmos_read(RTC_REG_HOURS), 0x8b);
	cmos_write(RTC_REG_B, RTC_B_DM);
	run_until(T0 + NS_PER_S);
	CHECK_EQ(cmos_read(RTC_REG_HOURS), 12); /* 12 AM */
	CHECK_EQ(cmos_read(RTC_REG_DAY), 5);
	cmos_write(RTC_REG_B, RTC_B_24H);
	CHECK_EQ(cmos_read(RTC_REG_HOURS), 0x00);
}

TEST(a_write_without_set_takes_effect)
{
	fake_start(FRI_2026_12_04_235958, 0);
	cmos_write(RTC_REG_SECONDS, 0x30);
	CHECK_EQ(cmos_read(RTC_REG_SECONDS), 0x30);
	run_until(T0 + NS_PER_S);
	CHECK_EQ(cmos_read(RTC_REG_SECONDS), 0x31);
	CHECK_EQ(cmos_read(RTC_REG_MINUTES), 0x59);
}

TEST(an_invalid_byte_reads_back_until_the_update)
{
	fake_start(FRI_2026_12_04_235958, 0);
	cmos_write(RTC_REG_B, RTC_B_SET | RTC_B_24H);
	cmos_write(RTC_REG_DAY, 0x32); /* December 32nd */
	CHECK_EQ(cmos_read(RTC_REG_DAY), 0x32);
	cmos_write(RTC_REG_B, RTC_B_24H);
	run_until(T0 + 2 * NS_PER_S); /* 00:00:00: the day was clamped to the 31st */
	CHECK_EQ(cmos_read(RTC_REG_DAY), 0x01);
	CHECK_EQ(cmos_read(RTC_REG_MONTH), 0x01);
	CHECK_EQ(cmos_read(RTC_REG_YEAR), 0x27);
}

/* Linux's mc146818_set_time(): SET, divider reset, the time, then B and A
 * restored; the clock starts half a second after A is written back. */
TEST(set_time_the_way_linux_does)
{
	fake_start(FRI_2026_12_04_235958, 0);
	run_until(T0 + 300 * NS_PER_MS);
	cmos_write(RTC_REG_B, RTC_B_SET | RTC_B_24H);
	cmos_write(RTC_REG_A, 0x66);
	cmos_write(RTC_REG_YEAR, 0x27);
	cmos_write(RTC_REG_MONTH, 0x01);
	cmos_write(RTC_REG_DAY, 0x15);
	cmos_write(RTC_REG_HOURS, 0x12);
	cmos_write(RTC_REG_MINUTES, 0x00);
	cmos_write(RTC_REG_SECONDS, 0x00);
	cmos_write(RTC_REG_B, RTC_B_24H);
	run_until(T0 + 2 * NS_PER_S); /* still in reset: no update */
	CHECK_EQ(cmos_read(RTC_REG_SECONDS), 0x00);
	cmos_write(RTC_REG_A, 0x26);
	run_until(T0 + 2500 * NS_PER_MS - 1);
	CHECK_EQ(cmos_read(RTC_REG_SECONDS), 0x00);
	run_until(T0 + 2500 * NS_PER_MS);
	struct clock_regs c = read_clock();
	CHECK_CLOCK(c, 0x01, 0x00, 0x12, 6, 0x15, 0x01, 0x27, 0x20);
}
