/*
 * The guest's Motorola MC146818A real-time clock and its CMOS RAM, as on
 * every PC: index port 0x70 (bit 7 of a write masks NMI; bits 6:0 select
 * one of 128 registers), data port 0x71, interrupt on IRQ8.
 *
 * The clock runs from guest time: the 32.768 kHz divider chain is a phase
 * (the guest time of a second boundary), the calendar advances one second
 * per update cycle, the periodic flag follows the tap RS3-0 selects. Flags
 * are worked out when the guest looks (a register read) or when the timer
 * fires; the timer is armed only for an event whose interrupt is enabled,
 * so an idle RTC never wakes the machine.
 *
 * Model choices (datasheet: Motorola MC146818A):
 * - The update cycle is instantaneous at each second boundary. UIP reads 1
 *   during the 244 us before it (t_BUC, Table 6) and 0 after it, so a
 *   guest that sees UIP = 0 has at least 244 us to read a stable time.
 * - Only DV = 010 (32.768 kHz, the PC's crystal) runs the chain. 11x holds
 *   it in reset; 000, 001 (other crystals) and the test modes 011, 10x
 *   stop it too. Leaving any of them for 010 starts the chain half a
 *   second before an update, as the datasheet says of leaving reset.
 * - The time is kept as a value: a change of data mode or 12/24-hour mode
 *   shows the same time in the new format (the chip would reinterpret
 *   the stored bytes; software sets the time again after such a change).
 * - The calendar is Gregorian with the century at 0x32, so 2100 is not a
 *   leap year (the chip, with only two year digits, would make it one).
 * - DSE and SQWE are kept but do nothing (no DST, no SQW pin).
 */
#ifndef VMX_DEV_RTC_H
#define VMX_DEV_RTC_H

#include <stdbool.h>
#include <stdint.h>

#include "vmx/dev/rtc_calendar.h"
#include "vmx/dev/rtc_regs.h"
#include "vmx/io/clock.h"
#include "vmx/io/irq.h"
#include "vmx/io/log.h"
#include "vmx/io/timer.h"

#define RTC_PORT_BASE  0x70
#define RTC_PORT_COUNT 2 /* offset 0: index (0x70), offset 1: data (0x71) */
#define RTC_ISA_IRQ    8

enum rtc_irq_kind {
	RTC_IRQ_PERIODIC,
	RTC_IRQ_ALARM,
	RTC_IRQ_UPDATE,
	RTC_IRQ_KINDS,
};

struct rtc {
	struct io_clock clock;
	struct io_irq irq8;
	struct io_timer timer; /* the next enabled event; the machine adds it */
	uint8_t index;         /* the register port 0x71 reaches, 0-127 */
	bool nmi_disabled;     /* bit 7 of the last index write */
	uint8_t reg_a;         /* without UIP, which is computed on read */
	uint8_t reg_b;
	uint8_t flags;                  /* register C's PF, AF and UF */
	bool irq_level;                 /* IRQF, and the level driven on irq8 */
	struct rtc_time time;           /* the calendar as of synced_at */
	uint64_t chain_origin;          /* guest ns of a second boundary of the chain, mod 2^64 */
	uint64_t synced_at;             /* guest ns up to which updates and ticks are counted */
	uint8_t cmos[RTC_CMOS_BYTES];   /* alarm bytes and RAM 14-127; time and A-D: fields above */
	uint64_t raised[RTC_IRQ_KINDS]; /* IRQ8 rising edges, by the flags that caused them */
	uint64_t updates;               /* update cycles that advanced the calendar */
};

/*
 * Power-on state as a PC BIOS leaves it: register A 0x26, B 0x02 (24-hour
 * BCD, no interrupts), the calendar at `unix_seconds_at_start` (UTC) at
 * the current guest time, and the BIOS memory-size bytes for `ram_bytes`
 * of RAM from address 0 (see rtc_cmos_set_ram; RAM past 4 GiB counts as
 * above 4 GiB). The caller adds r->timer with io_bus_add_timer().
 */
void rtc_init(struct rtc *r, const struct io_clock *clock, struct io_irq irq8,
              uint64_t unix_seconds_at_start, uint64_t ram_bytes);

/*
 * The CMOS bytes a BIOS writes for the memory size: 0x15/0x16 base memory
 * (640 KiB), 0x17/0x18 and 0x30/0x31 KiB above 1 MiB (at most 0xffff),
 * 0x34/0x35 64 KiB units from 16 MiB to 4 GiB (at most 0xffff), 0x5b-0x5d
 * 64 KiB units above 4 GiB; also 0x10 (no floppy), 0x12 (no fixed disk),
 * 0x14 (equipment: FPU, EGA/VGA) and the checksum at 0x2e/0x2f.
 */
void rtc_cmos_set_ram(struct rtc *r, uint64_t below_4g, uint64_t above_4g);

/* Port handlers for the range RTC_PORT_BASE, RTC_PORT_COUNT; byte accesses
 * only. Reading the index port gives 0xff: it is write-only on the AT. */
bool rtc_port_read(void *rtc, uint16_t offset, unsigned size, uint32_t *value);
bool rtc_port_write(void *rtc, uint16_t offset, unsigned size, uint32_t value);

/* Bit 7 of the last write to port 0x70: the machine's NMI mask. */
bool rtc_nmi_disabled(const struct rtc *r);

/* The machine runs this when r->timer's deadline passes (set by rtc_init). */
void rtc_timer_fire(void *rtc, uint64_t now);

/* One report line: "rtc: 2026-12-05 00:00:01 sat, A 0x26 B 0x02 ...". */
void rtc_print(const struct rtc *r, struct io_log *log);

#endif
