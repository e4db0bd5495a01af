/* The rtc suite: host tests of the MC146818A model (vmx/dev/rtc*.c),
 * through its port handlers. This file provides main() and the machine
 * of fake.h. */
#define HARNESS_MAIN
#include "tests/unit/harness.h"

#include <stdarg.h>

#include "tests/unit/rtc/fake.h"

struct fake fake;
char printed[512];

static uint64_t fake_now(void *ctx)
{
	return *(uint64_t *)ctx;
}

static void fake_set_level(void *chip, unsigned pin, bool level)
{
	struct fake *f = chip;
	if (pin != RTC_ISA_IRQ)
		return;
	if (level && !f->level)
		f->rises++;
	f->level = level;
}

void fake_start(uint64_t unix_seconds, uint64_t ram_bytes)
{
	memset(&fake, 0, sizeof(fake));
	fake.now = T0;
	fake.chip = (struct io_irq_chip){.set_level = fake_set_level, .chip = &fake};
	struct io_clock clock = {.now = fake_now, .ctx = &fake.now};
	struct io_irq irq8 = {.chip = &fake.chip, .pin = RTC_ISA_IRQ};
	rtc_init(&fake.rtc, &clock, irq8, unix_seconds, ram_bytes);
}

uint8_t cmos_read(uint8_t reg)
{
	uint32_t v = 0xdeadbeef;
	CHECK(rtc_port_write(&fake.rtc, 0, 1, reg));
	CHECK(rtc_port_read(&fake.rtc, 1, 1, &v));
	CHECK(v <= 0xff);
	return (uint8_t)v;
}

void cmos_write(uint8_t reg, uint8_t value)
{
	CHECK(rtc_port_write(&fake.rtc, 0, 1, reg));
	CHECK(rtc_port_write(&fake.rtc, 1, 1, value));
}

struct clock_regs read_clock(void)
{
	return (struct clock_regs){
	    .second = cmos_read(RTC_REG_SECONDS),
	    .minute = cmos_read(RTC_REG_MINUTES),
	    .hour = cmos_read(RTC_REG_HOURS),
	    .weekday = cmos_read(RTC_REG_WEEKDAY),
	    .day = cmos_read(RTC_REG_DAY),
	    .month = cmos_read(RTC_REG_MONTH),
	    .year = cmos_read(RTC_REG_YEAR),
	    .century = cmos_read(RTC_REG_CENTURY),
	};
}

static void fire(void)
{
	fake.fires++;
	fake.rtc.timer.fire(fake.rtc.timer.dev, fake.now);
}

/* Fire at the deadline if it is at or before t; false when there is none
 * or when the timer came back for the same instant (a model that would
 * hang the machine). */
static bool fire_due(uint64_t t)
{
	uint64_t due = deadline();
	if (due > t)
		return false;
	CHECK(due >= fake.now); /* never armed in the past */
	fake.now = due;
	fire();
	if (deadline() <= due) {
		printf("  timer re-armed for %llu at %llu\n", (unsigned long long)deadline(),
		       (unsigned long long)due);
		harness_current_failed = 1;
		return false;
	}
	return true;
}

void run_until(uint64_t t)
{
	while (fire_due(t))
		;
	fake.now = t;
}

void run_late(uint64_t t)
{
	fake.now = t;
	if (deadline() <= t)
		fire();
}

unsigned count_interrupts_until(uint64_t t)
{
	unsigned taken = 0;
	for (;;) {
		uint64_t due = deadline();
		if (due > t)
			break;
		fake.now = due;
		fire();
		if (fake.level) {
			taken++;
			cmos_read(RTC_REG_C);
		}
		if (deadline() <= due) {
			printf("  timer re-armed for the same instant\n");
			harness_current_failed = 1;
			break;
		}
	}
	fake.now = t;
	return taken;
}

static int capture_vprintf(const char *fmt, va_list ap)
{
	size_t len = strlen(printed);
	return vsnprintf(printed + len, sizeof(printed) - len, fmt, ap);
}

void print_rtc(void)
{
	struct io_log log;
	printed[0] = '\0';
	io_log_init(&log, capture_vprintf, "test: ");
	rtc_print(&fake.rtc, &log);
}
