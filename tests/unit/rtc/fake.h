/*
 * The rtc suite's machine around one RTC: a guest clock the test moves by
 * hand, an interrupt chip that records IRQ8's level and rising edges, and
 * the port accesses a guest makes (index to 0x70, data at 0x71).
 */
#ifndef TESTS_UNIT_RTC_FAKE_H
#define TESTS_UNIT_RTC_FAKE_H

#include <stdbool.h>
#include <stdint.h>

#include "vmx/dev/rtc.h"

#define NS_PER_MS 1000000ull
#define NS_PER_S  1000000000ull
/* Guest time at rtc_init: not 0 and not on a second, so that a model that
 * assumed either would fail. */
#define T0        (7 * NS_PER_S + 123456789ull)

struct fake {
	uint64_t now; /* guest ns */
	bool level;   /* IRQ8 as the chip sees it */
	unsigned rises;
	unsigned fires; /* timer callbacks run */
	struct io_irq_chip chip;
	struct rtc rtc;
};

extern struct fake fake;

/* A fresh machine at guest time T0 with the RTC at `unix_seconds`. */
void fake_start(uint64_t unix_seconds, uint64_t ram_bytes);

/* Guest accesses through the port handlers. */
uint8_t cmos_read(uint8_t reg);
void cmos_write(uint8_t reg, uint8_t value);

/* Move guest time to `t`, firing the RTC timer at each deadline on the way
 * (a punctual machine). */
void run_until(uint64_t t);
static inline void run_for(uint64_t ns)
{
	run_until(fake.now + ns);
}

/* Move guest time to `t` without firing, then fire once if the deadline
 * passed (a machine that was late). */
void run_late(uint64_t t);

/* Punctual machine, and a guest whose IRQ8 handler reads register C: the
 * interrupts taken between now and `t`. */
unsigned count_interrupts_until(uint64_t t);

/* The calendar registers as the guest reads them, in register B's format. */
struct clock_regs {
	uint8_t second, minute, hour, weekday, day, month, year, century;
};
struct clock_regs read_clock(void);

#define CHECK_CLOCK(c, s, mi, h, wd, d, mo, y, ce) \
	do {                                       \
		CHECK_EQ((c).second, s);           \
		CHECK_EQ((c).minute, mi);          \
		CHECK_EQ((c).hour, h);             \
		CHECK_EQ((c).weekday, wd);         \
		CHECK_EQ((c).day, d);              \
		CHECK_EQ((c).month, mo);           \
		CHECK_EQ((c).year, y);             \
		CHECK_EQ((c).century, ce);         \
	} while (0)

/* The RTC timer's deadline (IO_TIMER_OFF when disarmed). */
static inline uint64_t deadline(void)
{
	return fake.rtc.timer.deadline;
}

/* The text rtc_print() wrote. */
extern char printed[512];
void print_rtc(void);

#endif
