/*
 * The CMOS RAM: the 114 bytes at 14-127 and the memory-size and equipment
 * bytes a PC BIOS leaves there (IBM PC/AT layout; the 16 MiB and 4 GiB
 * counts as QEMU's BIOS interface defines them), and the report line.
 */
#include "tests/unit/harness.h"

#include "tests/unit/rtc/fake.h"

#define START_TIME 1796428798ull /* 2026-12-04 23:59:58 */
#define MIB        (1024ull * 1024)
#define GIB        (1024 * MIB)

static unsigned cmos_word(uint8_t low)
{
	return cmos_read(low) | (unsigned)cmos_read((uint8_t)(low + 1)) << 8;
}

static unsigned above_4g_units(void)
{
	return cmos_read(0x5b) | (unsigned)cmos_read(0x5c) << 8 | (unsigned)cmos_read(0x5d) << 16;
}

TEST(cmos_for_32_mib)
{
	fake_start(START_TIME, 32 * MIB);
	CHECK_EQ(cmos_read(0x10), 0x00); /* no diskette drives */
	CHECK_EQ(cmos_read(0x12), 0x00); /* no fixed disks */
	CHECK_EQ(cmos_read(0x14), 0x02); /* FPU, EGA/VGA, no diskette */
	CHECK_EQ(cmos_word(0x15), 640);
	CHECK_EQ(cmos_word(0x17), 31 * 1024); /* KiB above 1 MiB: 0x7c00 */
	CHECK_EQ(cmos_word(0x30), 31 * 1024);
	CHECK_EQ(cmos_word(0x34), 0x0100); /* 16 MiB in 64 KiB units */
	CHECK_EQ(above_4g_units(), 0);
	CHECK_EQ(cmos_read(0x32), 0x20); /* the century, BCD */
}

TEST(cmos_for_256_mib)
{
	fake_start(START_TIME, 256 * MIB);
	CHECK_EQ(cmos_word(0x15), 640);
	CHECK_EQ(cmos_word(0x17), 0xffff); /* 255 MiB does not fit: capped */
	CHECK_EQ(cmos_word(0x30), 0xffff);
	CHECK_EQ(cmos_word(0x34), 0x0f00); /* 240 MiB */
	CHECK_EQ(above_4g_units(), 0);
}

TEST(cmos_for_3_gib)
{
	fake_start(START_TIME, 3 * GIB);
	CHECK_EQ(cmos_word(0x17), 0xffff);
	CHECK_EQ(cmos_word(0x34), 0xbf00); /* 3056 MiB */
	CHECK_EQ(above_4g_units(), 0);
}

TEST(cmos_memory_above_4_gib)
{
	fake_start(START_TIME, 6 * GIB); /* contiguous from 0 */
	CHECK_EQ(cmos_word(0x34), 0xff00);
	CHECK_EQ(above_4g_units(), 0x8000);
	rtc_cmos_set_ram(&fake.rtc, 3 * GIB + 512 * MIB, 2 * GIB + 512 * MIB);
	CHECK_EQ(cmos_word(0x34), 0xdf00);
	CHECK_EQ(above_4g_units(), 0xa000);
}

TEST(cmos_checksum_covers_0x10_to_0x2d)
{
	fake_start(START_TIME, 32 * MIB);
	/* 0x02 + 0x80 + 0x02 + 0x00 + 0x7c, high byte first */
	CHECK_EQ(cmos_read(0x2e), 0x01);
	CHECK_EQ(cmos_read(0x2f), 0x00);
	fake_start(START_TIME, 256 * MIB);
	CHECK_EQ(cmos_read(0x2e), 0x02); /* + 0xff + 0xff - 0x7c */
	CHECK_EQ(cmos_read(0x2f), 0x82);
}

TEST(cmos_ram_reads_back_what_was_written)
{
	fake_start(START_TIME, 32 * MIB);
	for (unsigned reg = 14; reg < 128; reg++)
		if (reg != 0x32)
			cmos_write((uint8_t)reg, (uint8_t)(reg * 7 + 3));
	run_for(3 * NS_PER_S);
	for (unsigned reg = 14; reg < 128; reg++)
		if (reg != 0x32)
			CHECK_EQ(cmos_read((uint8_t)reg), (uint8_t)(reg * 7 + 3));
	CHECK_EQ(cmos_read(RTC_REG_SECONDS), 0x01); /* the clock went on */
}

TEST(century_byte_is_part_of_the_clock)
{
	fake_start(START_TIME, 32 * MIB);
	cmos_write(0x32, 0x21);
	CHECK_EQ(cmos_read(0x32), 0x21);
	cmos_write(RTC_REG_B, RTC_B_DM | RTC_B_24H);
	CHECK_EQ(cmos_read(0x32), 21);
	CHECK_EQ(cmos_read(RTC_REG_YEAR), 26);
}

TEST(report_line)
{
	fake_start(START_TIME, 32 * MIB);
	cmos_write(RTC_REG_A, 0x20);
	cmos_write(RTC_REG_B, RTC_B_UIE | RTC_B_24H);
	CHECK_EQ(count_interrupts_until(T0 + 3 * NS_PER_S), 3);
	print_rtc();
	bool same =
	    strcmp(printed, "rtc: 2026-12-05 00:00:01 sat, A 0x20 B 0x12 C 0x00 (bcd 24h), "
	                    "irq8 low, raised: periodic 0 alarm 0 update 3, 3 updates\n") == 0;
	CHECK(same);
	if (!same)
		printf("  printed: %s", printed);
}

TEST(report_line_of_a_stopped_clock)
{
	fake_start(START_TIME, 32 * MIB);
	cmos_write(RTC_REG_A, 0x66); /* divider reset */
	run_for(3 * NS_PER_S);
	print_rtc();
	bool same = strncmp(printed, "rtc: 2026-12-04 23:59:58 fri, A 0x66 B 0x02 ", 44) == 0;
	CHECK(same);
	if (!same)
		printf("  printed: %s", printed);
}
