/* guest-irq-idle: a periodic PIT (mode 2, 100 Hz) and a periodic local APIC timer (1 kHz),
 * idling in HLT between interrupts, each rate measured between its first and last
 * interrupt in TSC time and held to 1 % of what was programmed, in one of up to three
 * windows. */
#include "tests/guests/irq_apic.h"
#include "tests/guests/irq_idle_guest.h"
#include "tests/guests/irq_pic.h"
#include "tests/guests/irq_pit.h"
#include "tests/guests/irq_setup.h"
#include "tests/guests/irq_vectors.h"
#include "tests/guests/report.h"

#define PIT_HZ_WANT     100u
#define PIT_PERIODS     30u
#define APIC_HZ_WANT    1000u
#define APIC_PERIODS    200u
#define RATE_PERMILLE   10u
#define WATCHDOG_HZ     20u
#define WATCHDOG_FACTOR 3u /* give up after three times the expected duration */
#define RATE_WINDOWS    3u

static void report_rate(const char *what, const char *name, const struct tick_log *log,
                        uint32_t periods, uint32_t want, uint32_t halts, unsigned window)
{
	uint32_t rate = tick_log_rate(log);
	report_info("%s periodic: programmed %u.%03u Hz, measured %u.%03u Hz over %u periods, "
	            "%u HLTs (window %u)",
	            what, mhz_int(want), mhz_frac(want), mhz_int(rate), mhz_frac(rate),
	            log->count ? log->count - 1 : 0, halts, window);
	bool ok = log->count > periods && rate_within(rate, want, RATE_PERMILLE);
	if (!irq_rate_skip(name, ok))
		report(ok, name, "%u interrupts, %u.%03u Hz, want %u.%03u Hz", log->count,
		       mhz_int(rate), mhz_frac(rate), mhz_int(want), mhz_frac(want));
}

static bool window_ok(const struct tick_log *log, uint32_t periods, uint32_t want)
{
	return log->count > periods && rate_within(tick_log_rate(log), want, RATE_PERMILLE);
}

/* The local APIC timer one-shot is the watchdog: three times the expected time. */
static uint32_t pit_window(uint16_t count)
{
	uint64_t dog =
	    irq_udiv64((uint64_t)apic_timer_hz * PIT_PERIODS * WATCHDOG_FACTOR, PIT_HZ_WANT);
	tick_log_reset(&pit_log);
	tick_log_reset(&apic_log);
	pit_periodic(count);
	pic_unmask_clean(IRQ_PIT);
	apic_timer_oneshot(VEC_APIC_TIMER, dog > 0xffffffffull ? 0xffffffffu : (uint32_t)dog);
	uint32_t halts = halt_until(&pit_log, PIT_PERIODS + 1, &apic_log);
	pit_stop();
	pic_mask_irq(IRQ_PIT);
	apic_timer_stop();
	return halts;
}

/* A window may be retried: on a loaded host an emulator can drop periods itself. */
void idle_test_pit_periodic(void)
{
	uint16_t count = pit_count_for_hz(PIT_HZ_WANT);
	uint32_t want = pit_rate_mhz(count), halts = pit_window(count);
	unsigned window = 1;
	while (!window_ok(&pit_log, PIT_PERIODS, want) && window < RATE_WINDOWS) {
		halts = pit_window(count);
		window++;
	}
	report_rate("pit", "rate: PIT mode 2 at 100 Hz within 1 % in TSC time, idling in HLT",
	            &pit_log, PIT_PERIODS, want, halts, window);
}

/* A 20 Hz PIT is the watchdog: the window gives up after WATCHDOG_FACTOR times the time. */
static uint32_t apic_window(uint32_t initial)
{
	uint32_t dog_ticks = APIC_PERIODS * WATCHDOG_FACTOR * WATCHDOG_HZ / APIC_HZ_WANT;
	tick_log_reset(&pit_log);
	tick_log_reset(&apic_log);
	pit_periodic(pit_count_for_hz(WATCHDOG_HZ));
	pic_unmask_clean(IRQ_PIT);
	apic_timer_periodic(VEC_APIC_TIMER, initial);
	uint32_t halts = 0;
	while (apic_log.count <= APIC_PERIODS && pit_log.count < dog_ticks)
		halts += halt_until(&apic_log, APIC_PERIODS + 1, &pit_log);
	apic_timer_stop();
	pit_stop();
	pic_mask_irq(IRQ_PIT);
	return halts;
}

void idle_test_apic_periodic(void)
{
	uint32_t initial = apic_timer_hz / APIC_HZ_WANT;
	uint32_t want = (uint32_t)irq_udiv64((uint64_t)apic_timer_hz * MHZ_PER_HZ, initial);
	uint32_t halts = apic_window(initial);
	unsigned window = 1;
	while (!window_ok(&apic_log, APIC_PERIODS, want) && window < RATE_WINDOWS) {
		halts = apic_window(initial);
		window++;
	}
	report_rate(
	    "apic timer",
	    "rate: local APIC timer periodic at 1 kHz within 1 % in TSC time, idling in HLT",
	    &apic_log, APIC_PERIODS, want, halts, window);
}
