/*
 * Registers A-D, the divider chain, UIP, and the index port (MC146818A
 * datasheet, "Registers"; the PC's NMI mask in bit 7 of port 0x70).
 */
#include "tests/unit/harness.h"

#include "tests/unit/rtc/fake.h"

#define START_TIME 1796428798ull /* 2026-12-04 23:59:58 */
#define UIP_NS     244140ull     /* 8 / 32768 s */

TEST(power_on_registers)
{
	fake_start(START_TIME, 0);
	CHECK_EQ(cmos_read(RTC_REG_A), 0x26);
	CHECK_EQ(cmos_read(RTC_REG_B), 0x02);
	CHECK_EQ(cmos_read(RTC_REG_C), 0x00);
	CHECK_EQ(cmos_read(RTC_REG_D), 0x80);
	CHECK(!rtc_nmi_disabled(&fake.rtc));
	CHECK(!fake.level);
}

TEST(uip_is_set_in_the_244us_before_each_update)
{
	fake_start(START_TIME, 0);
	run_until(T0 + NS_PER_S - UIP_NS - 1);
	CHECK_EQ(cmos_read(RTC_REG_A), 0x26);
	run_until(T0 + NS_PER_S - UIP_NS);
	CHECK_EQ(cmos_read(RTC_REG_A), 0xa6);
	run_until(T0 + NS_PER_S - 1);
	CHECK_EQ(cmos_read(RTC_REG_A), 0xa6);
	CHECK_EQ(cmos_read(RTC_REG_SECONDS), 0x58); /* the update is still to come */
	run_until(T0 + NS_PER_S);
	CHECK_EQ(cmos_read(RTC_REG_A), 0x26);
	CHECK_EQ(cmos_read(RTC_REG_SECONDS), 0x59);
	run_until(T0 + 2 * NS_PER_S - UIP_NS);
	CHECK_EQ(cmos_read(RTC_REG_A), 0xa6);
}

TEST(uip_is_clear_while_set_is)
{
	fake_start(START_TIME, 0);
	cmos_write(RTC_REG_B, RTC_B_SET | RTC_B_24H);
	run_until(T0 + NS_PER_S - 1);
	CHECK_EQ(cmos_read(RTC_REG_A), 0x26);
}

TEST(uip_is_read_only)
{
	fake_start(START_TIME, 0);
	cmos_write(RTC_REG_A, 0xa6);
	CHECK_EQ(cmos_read(RTC_REG_A), 0x26);
	cmos_write(RTC_REG_A, 0x2f);
	CHECK_EQ(cmos_read(RTC_REG_A), 0x2f);
}

TEST(registers_c_and_d_ignore_writes)
{
	fake_start(START_TIME, 0);
	cmos_write(RTC_REG_C, 0xf0);
	CHECK_EQ(cmos_read(RTC_REG_C), 0x00);
	cmos_write(RTC_REG_D, 0x00);
	CHECK_EQ(cmos_read(RTC_REG_D), 0x80);
}

TEST(set_clears_uie)
{
	fake_start(START_TIME, 0);
	cmos_write(RTC_REG_B, RTC_B_SET | RTC_B_UIE | RTC_B_24H);
	CHECK_EQ(cmos_read(RTC_REG_B), 0x82);
	cmos_write(RTC_REG_B, RTC_B_UIE | RTC_B_24H);
	CHECK_EQ(cmos_read(RTC_REG_B), 0x12);
}

TEST(register_b_keeps_sqwe_and_dse)
{
	fake_start(START_TIME, 0);
	cmos_write(RTC_REG_B, RTC_B_SQWE | RTC_B_24H | RTC_B_DSE);
	CHECK_EQ(cmos_read(RTC_REG_B), 0x0b);
}

TEST(divider_reset_stops_the_clock_and_restarts_half_a_second_later)
{
	fake_start(START_TIME, 0);
	cmos_write(RTC_REG_A, 0x66); /* DV = 110: reset */
	run_until(T0 + 3 * NS_PER_S - 1);
	CHECK_EQ(cmos_read(RTC_REG_A), 0x66); /* in the UIP window of a running chain */
	CHECK_EQ(cmos_read(RTC_REG_SECONDS), 0x58);
	CHECK_EQ(cmos_read(RTC_REG_C), 0x00); /* no update, no periodic tick */
	uint64_t release = fake.now;
	cmos_write(RTC_REG_A, 0x26);
	run_until(release + 500 * NS_PER_MS - UIP_NS);
	CHECK_EQ(cmos_read(RTC_REG_A), 0xa6);
	run_until(release + 500 * NS_PER_MS - 1);
	CHECK_EQ(cmos_read(RTC_REG_SECONDS), 0x58);
	run_until(release + 500 * NS_PER_MS);
	CHECK_EQ(cmos_read(RTC_REG_SECONDS), 0x59);
	run_until(release + 1500 * NS_PER_MS);
	CHECK_EQ(cmos_read(RTC_REG_SECONDS), 0x00);
	CHECK_EQ(cmos_read(RTC_REG_DAY), 0x05);
}

TEST(other_divider_values_do_not_keep_time)
{
	static const uint8_t stopped[] = {0x06, 0x16, 0x36, 0x46, 0x56, 0x76};
	for (unsigned i = 0; i < sizeof(stopped); i++) {
		fake_start(START_TIME, 0);
		cmos_write(RTC_REG_A, stopped[i]);
		run_for(2 * NS_PER_S);
		CHECK_EQ(cmos_read(RTC_REG_SECONDS), 0x58);
		CHECK_EQ(cmos_read(RTC_REG_C), 0x00);
		CHECK_EQ(cmos_read(RTC_REG_A), stopped[i]);
	}
}

TEST(index_bit_7_is_the_nmi_mask)
{
	fake_start(START_TIME, 0);
	uint32_t v = 0;
	CHECK(rtc_port_write(&fake.rtc, 0, 1, 0x80 | RTC_REG_A));
	CHECK(rtc_nmi_disabled(&fake.rtc));
	CHECK(rtc_port_read(&fake.rtc, 1, 1, &v));
	CHECK_EQ(v, 0x26);
	CHECK(rtc_port_write(&fake.rtc, 0, 1, RTC_REG_D));
	CHECK(!rtc_nmi_disabled(&fake.rtc));
	CHECK(rtc_port_read(&fake.rtc, 1, 1, &v));
	CHECK_EQ(v, 0x80);
}

TEST(index_port_reads_all_ones)
{
	fake_start(START_TIME, 0);
	uint32_t v = 0;
	CHECK(rtc_port_write(&fake.rtc, 0, 1, RTC_REG_B));
	CHECK(rtc_port_read(&fake.rtc, 0, 1, &v));
	CHECK_EQ(v, 0xff);
}

TEST(only_byte_accesses_are_claimed)
{
	fake_start(START_TIME, 0);
	uint32_t v = 0x1234;
	CHECK(rtc_port_write(&fake.rtc, 0, 1, RTC_REG_B));
	CHECK(!rtc_port_write(&fake.rtc, 0, 2, RTC_REG_D));
	CHECK(!rtc_port_write(&fake.rtc, 1, 4, 0xff));
	CHECK(!rtc_port_read(&fake.rtc, 1, 2, &v));
	CHECK(!rtc_port_read(&fake.rtc, 0, 4, &v));
	CHECK(!rtc_port_read(&fake.rtc, 2, 1, &v));
	CHECK(!rtc_port_write(&fake.rtc, 2, 1, 0));
	CHECK_EQ(v, 0x1234);
	CHECK(rtc_port_read(&fake.rtc, 1, 1, &v));
	CHECK_EQ(v, 0x02); /* still register B, unchanged */
}
