/*
 * Register layout of the Motorola MC146818A real-time clock and the parts
 * of its CMOS RAM that a PC BIOS defines.
 *
 * Sources: Motorola MC146818A datasheet, "Address Map" and "Registers"
 * (registers A-D; Table 4, divider configurations; Table 6, update cycle
 * times; the periodic interrupt rate table); IBM PC/AT Technical
 * Reference, "CMOS RAM Configuration" (bytes 0x0E-0x3F); QEMU's
 * pc_cmos_init(), read back by SeaBIOS and coreboot, for the bytes
 * 0x34/0x35 and 0x5B-0x5D.
 */
#ifndef VMX_DEV_RTC_REGS_H
#define VMX_DEV_RTC_REGS_H

#include <stdbool.h>
#include <stdint.h>

/* The index port (0x70): bits 6:0 select a register, bit 7 masks NMI on a
 * PC (the chipset's NMI gate shares the port; the RTC never sees it). */
#define RTC_INDEX_MASK        0x7fu
#define RTC_INDEX_NMI_DISABLE 0x80u

#define RTC_CMOS_BYTES 128

/* The datasheet's address map: time, alarm and calendar bytes, then A-D. */
#define RTC_REG_SECONDS       0x00
#define RTC_REG_SECONDS_ALARM 0x01
#define RTC_REG_MINUTES       0x02
#define RTC_REG_MINUTES_ALARM 0x03
#define RTC_REG_HOURS         0x04
#define RTC_REG_HOURS_ALARM   0x05
#define RTC_REG_WEEKDAY       0x06 /* 1-7, Sunday = 1 */
#define RTC_REG_DAY           0x07
#define RTC_REG_MONTH         0x08
#define RTC_REG_YEAR          0x09 /* two digits */
#define RTC_REG_A             0x0a
#define RTC_REG_B             0x0b
#define RTC_REG_C             0x0c
#define RTC_REG_D             0x0d
/* Not in the chip: the IBM PC/AT keeps the century in CMOS RAM at 0x32. */
#define RTC_REG_CENTURY       0x32

/* An alarm byte with its two high bits set matches any value (datasheet,
 * "Alarm": the "don't care" code 11XXXXXX). */
#define RTC_ALARM_DONT_CARE 0xc0u

/* In 12-hour mode bit 7 of the hour (and hour alarm) byte means PM. */
#define RTC_HOUR_PM 0x80u

/* Register A. UIP is read-only; DV2-0 select the time base or reset the
 * divider chain (Table 4); RS3-0 select the periodic tap (rate table). */
#define RTC_A_UIP      0x80u
#define RTC_A_DV_SHIFT 4
#define RTC_A_DV_MASK  0x70u
#define RTC_A_RS_MASK  0x0fu

#define RTC_DV_32768HZ 2u    /* 010: the only setting that keeps time on a PC */
#define RTC_DV_RESET   6u    /* 11x: divider chain held in reset */
#define RTC_A_POWER_ON 0x26u /* what every PC BIOS programs: 32.768 kHz, 1024 Hz */

static inline unsigned rtc_a_divider(uint8_t a)
{
	return (a & RTC_A_DV_MASK) >> RTC_A_DV_SHIFT;
}

static inline unsigned rtc_a_rate_select(uint8_t a)
{
	return a & RTC_A_RS_MASK;
}

/* Register B. */
#define RTC_B_SET      0x80u /* stop updates so software can set the time */
#define RTC_B_PIE      0x40u /* periodic interrupt enable */
#define RTC_B_AIE      0x20u /* alarm interrupt enable */
#define RTC_B_UIE      0x10u /* update-ended interrupt enable */
#define RTC_B_SQWE     0x08u /* square-wave output enable (no pin here: kept) */
#define RTC_B_DM       0x04u /* data mode: 1 = binary, 0 = BCD */
#define RTC_B_24H      0x02u /* 1 = 24-hour mode, 0 = 12-hour mode */
#define RTC_B_DSE      0x01u /* daylight saving enable (kept, not implemented) */
/* SeaBIOS rtc_setup() leaves B at 24-hour BCD with nothing enabled. */
#define RTC_B_POWER_ON RTC_B_24H

static inline bool rtc_b_binary(uint8_t b)
{
	return (b & RTC_B_DM) != 0;
}

static inline bool rtc_b_24h(uint8_t b)
{
	return (b & RTC_B_24H) != 0;
}

/* Register C (read-only, cleared by a read). */
#define RTC_C_IRQF  0x80u
#define RTC_C_PF    0x40u
#define RTC_C_AF    0x20u
#define RTC_C_UF    0x10u
#define RTC_C_FLAGS (RTC_C_PF | RTC_C_AF | RTC_C_UF)

/* IRQF = PF.PIE + AF.AIE + UF.UIE: each flag sits on the bit of its enable,
 * so IRQF is (C & B & RTC_C_FLAGS) != 0. */
_Static_assert(RTC_C_PF == RTC_B_PIE, "PF and PIE share a bit");
_Static_assert(RTC_C_AF == RTC_B_AIE, "AF and AIE share a bit");
_Static_assert(RTC_C_UF == RTC_B_UIE, "UF and UIE share a bit");

/* Register D: VRT (valid RAM and time) reads 1 while the battery is good. */
#define RTC_D_VRT 0x80u

/*
 * CMOS RAM bytes a PC BIOS defines (IBM PC/AT Technical Reference; the
 * 16 MiB and 4 GiB counts are the QEMU/Bochs BIOS convention that SeaBIOS
 * and coreboot read on QEMU). Multi-byte values are little-endian, except
 * the checksum, which is high byte first.
 */
#define CMOS_FLOPPY_TYPES   0x10 /* drive 0 in bits 7:4, drive 1 in 3:0; 0 = none */
#define CMOS_DISK_TYPES     0x12 /* fixed disk types; 0 = none */
#define CMOS_EQUIPMENT      0x14
#define CMOS_BASE_MEM       0x15 /* 0x15/0x16: KiB below 640 KiB */
#define CMOS_EXT_MEM        0x17 /* 0x17/0x18: KiB above 1 MiB, at most 0xffff */
#define CMOS_CHECKSUM       0x2e /* 0x2e (high), 0x2f (low): sum of 0x10-0x2d */
#define CMOS_CHECKSUM_FIRST 0x10
#define CMOS_CHECKSUM_LAST  0x2d
#define CMOS_EXT_MEM_POST   0x30 /* 0x30/0x31: the same, as found by POST */
#define CMOS_MEM_ABOVE_16M  0x34 /* 0x34/0x35: 64 KiB units from 16 MiB to 4 GiB */
#define CMOS_MEM_ABOVE_4G   0x5b /* 0x5b-0x5d: 64 KiB units above 4 GiB */

/* Equipment byte: bit 0 diskette drives present, bit 1 math coprocessor,
 * bits 5:4 primary display (00 = EGA/VGA, which has its own BIOS),
 * bits 7:6 diskette drives minus one. */
#define CMOS_EQUIPMENT_FLOPPY 0x01u
#define CMOS_EQUIPMENT_FPU    0x02u

#endif
