/* guest-irq-rtc's interrupts: IRQ8 (slave IR0) with the periodic interrupt at 1024 Hz
 * (register A rate 6, register B PIE) and the update-ended interrupt (UIE), one per second
 * (MC146818A datasheet, "Interrupts"). The handler reads register C, which also lowers
 * the IRQ line, and EOIs the slave, then the master. The waits idle in HLT; the PIT
 * heartbeat of irq_rtc_main.c ends every HLT within 10 ms. */
#include "tests/guests/irq_pic.h"
#include "tests/guests/irq_rtc_guest.h"
#include "tests/guests/irq_setup.h"
#include "tests/guests/irq_time.h"
#include "tests/guests/irq_vectors.h"
#include "tests/guests/irq_wait.h"
#include "tests/guests/report.h"

#define UPDATES_KEPT    3u
#define PERIODIC_US     250000u
#define PERIODIC_HZ     1024u
#define PERIODIC_PERML  20u
#define UPDATE_PERML    10u
#define RATE_WINDOWS    3u
#define UPDATE_WAIT_US  3500000u
#define SECONDS_PER_MIN 60u

static struct {
	volatile uint32_t interrupts, periodic, updates, no_irqf;
	volatile uint64_t update_tsc[UPDATES_KEPT];
	volatile uint8_t update_sec[UPDATES_KEPT];
} rtc_irq;

static uint8_t reg_b_format;

static void on_rtc(struct trap_frame *f)
{
	(void)f;
	uint64_t now = tsc_read();
	uint8_t c = cmos_read(RTC_REG_C);
	rtc_irq.interrupts++;
	if (!(c & RTC_C_IRQF))
		rtc_irq.no_irqf++;
	if (c & RTC_C_PF)
		rtc_irq.periodic++;
	if ((c & RTC_C_UF) && rtc_irq.updates < UPDATES_KEPT) {
		rtc_irq.update_tsc[rtc_irq.updates] = now;
		rtc_irq.update_sec[rtc_irq.updates] =
		    rtc_decode(cmos_read(RTC_SECONDS), reg_b_format);
		rtc_irq.updates++;
	}
	pic_eoi(IRQ_RTC);
}

static bool periodic_window(uint32_t *counted, uint32_t *rate)
{
	uint32_t p0 = rtc_irq.periodic;
	uint64_t t0 = tsc_read();
	irq_halt_for(PERIODIC_US);
	*counted = rtc_irq.periodic - p0;
	*rate = rate_mhz(*counted, tsc_read() - t0);
	return rate_within(*rate, PERIODIC_HZ * MHZ_PER_HZ, PERIODIC_PERML);
}

/* Periodic interrupts counted over 250 ms of TSC time; a window may be retried, as an
 * emulator on a loaded host can drop periods itself. */
static void test_periodic(void)
{
	uint32_t rate, counted;
	unsigned window = 1;
	bool ok = periodic_window(&counted, &rate);
	while (!ok && window < RATE_WINDOWS) {
		ok = periodic_window(&counted, &rate);
		window++;
	}
	report_info("periodic: %u interrupts in 250 ms, %u.%03u Hz (window %u)", counted,
	            mhz_int(rate), mhz_frac(rate), window);
	report(counted && !rtc_irq.no_irqf,
	       "rtc: periodic interrupts (PIE) arrive on IRQ8, each with IRQF set in register C",
	       "%u in the last window, %u without IRQF", counted, rtc_irq.no_irqf);
	const char *name = "rtc: periodic interrupt at 1024 Hz within 2 % (TSC)";
	if (!irq_rate_skip(name, ok))
		report(ok, name, "%u.%03u Hz", mhz_int(rate), mhz_frac(rate));
}

static bool wait_updates(uint32_t n, uint64_t start)
{
	uint32_t spent = tsc_to_us(tsc_read() - start);
	uint32_t left = spent < UPDATE_WAIT_US ? UPDATE_WAIT_US - spent : 0;
	return irq_halt_until(&rtc_irq.updates, n, left);
}

static bool pair_ok(unsigned i)
{
	uint32_t us = tsc_to_us(rtc_irq.update_tsc[i + 1] - rtc_irq.update_tsc[i]);
	return rate_within(us, US_PER_S, UPDATE_PERML);
}

/* Two update-ended interrupts, 1 s apart, the seconds one apart; when the first pair is
 * off (a delayed emulator), the next pair is measured. */
static void test_updates(uint64_t start)
{
	bool got = wait_updates(2, start);
	unsigned i = 0;
	if (got && !pair_ok(0) && wait_updates(3, start))
		i = 1;
	uint32_t us = got ? tsc_to_us(rtc_irq.update_tsc[i + 1] - rtc_irq.update_tsc[i]) : 0;
	uint8_t s0 = rtc_irq.update_sec[i], s1 = rtc_irq.update_sec[i + 1];
	report_info("update interrupts %u us apart, seconds %u -> %u", us, s0, s1);
	const char *name = "rtc: update-ended interrupts (UIE) 1 s apart within 1 % (TSC)";
	bool ok = got && pair_ok(i);
	if (!irq_rate_skip(name, ok))
		report(ok, name, "%u updates, %u us apart", rtc_irq.updates, us);
	report(got && s1 == (s0 + 1) % SECONDS_PER_MIN,
	       "rtc: the seconds register advances by one from one update interrupt to the next",
	       "%u updates, seconds %u then %u", rtc_irq.updates, s0, s1);
}

void rtc_test_interrupts(void)
{
	irq_set_handler(pic_vector(IRQ_RTC), on_rtc);
	reg_b_format = (uint8_t)(cmos_read(RTC_REG_B) & (RTC_B_DM | RTC_B_24H));
	cmos_write(RTC_REG_A, RTC_A_DV_32K | RTC_RS_1024HZ);
	(void)cmos_read(RTC_REG_C);
	pic_unmask_clean(IRQ_RTC);
	cmos_write(RTC_REG_B, reg_b_format | RTC_B_PIE | RTC_B_UIE);
	uint64_t start = tsc_read();
	test_periodic();
	cmos_write(RTC_REG_B, reg_b_format | RTC_B_UIE);
	test_updates(start);
	cmos_write(RTC_REG_B, reg_b_format);
	(void)cmos_read(RTC_REG_C);
	pic_mask_irq(IRQ_RTC);
}
