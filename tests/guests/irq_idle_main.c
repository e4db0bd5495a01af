/*
 * guest-irq-idle: HLT as idle. HLT woken by a PIT one-shot (mode 0, IRQ0) and by a local
 * APIC one-shot, each guarded by the other timer as a watchdog; STI; HLT with one
 * interrupt already pending wakes exactly once, with the handler returning past the HLT;
 * and periodic PIT and local APIC timer rates measured in TSC time (irq_idle_rate.c).
 */
#include "tests/guests/guest.h"
#include "tests/guests/irq_apic.h"
#include "tests/guests/irq_idle_guest.h"
#include "tests/guests/irq_pic.h"
#include "tests/guests/irq_pit.h"
#include "tests/guests/irq_setup.h"
#include "tests/guests/irq_vectors.h"
#include "tests/guests/report.h"

const char guest_name[] = "irq-idle";

#define ONESHOT_US   10000u
#define WATCHDOG_US  40000u
#define HALT_LIMIT   100000u
#define ARM_SLACK_US 100u
#define ARM_TRIES    5u

struct tick_log pit_log, apic_log;
uint32_t apic_timer_hz;

extern char idle_after_hlt[];
void idle_sti_hlt(void);

static volatile uint32_t shadow_count;
static volatile uintptr_t shadow_ip;

static void on_pit(struct trap_frame *f)
{
	(void)f;
	tick_log_record(&pit_log);
	pic_eoi(IRQ_PIT);
}

static void on_apic_timer(struct trap_frame *f)
{
	(void)f;
	tick_log_record(&apic_log);
	apic_eoi();
}

static void on_shadow_ipi(struct trap_frame *f)
{
	shadow_count++;
	shadow_ip = f->ip;
	apic_eoi();
}

uint32_t halt_until(struct tick_log *log, uint32_t target, struct tick_log *watchdog)
{
	uint32_t halts = 0, dog = watchdog->count;
	while (log->count < target && watchdog->count == dog && halts < HALT_LIMIT) {
		idle_sti_hlt();
		halts++;
	}
	return halts;
}

static uint32_t apic_count_for_us(uint32_t us)
{
	return (uint32_t)irq_udiv64((uint64_t)apic_timer_hz * us, US_PER_S);
}

static void arm_pit(uint32_t count)
{
	pit_oneshot((uint16_t)count);
}

static void arm_apic(uint32_t count)
{
	apic_timer_oneshot(VEC_APIC_TIMER, count);
}

/* Arms a one-shot and returns the TSC read just before; armed again (which restarts it)
 * when something, such as a host preempting an emulator, held up the read just after, so
 * that the start is known to ARM_SLACK_US. */
static uint64_t arm_oneshot(void (*arm)(uint32_t), uint32_t count)
{
	uint64_t before = 0;
	for (unsigned tries = 0; tries < ARM_TRIES; tries++) {
		before = tsc_read();
		arm(count);
		if (!tsc_passed(before, ARM_SLACK_US))
			break;
	}
	return before;
}

/* Woken no earlier than 99 % of the programmed time (and, as the callers check, before
 * the watchdog). */
static bool wake_in_time(uint64_t start, uint64_t at, uint32_t want_us)
{
	return tsc_to_us(at - start) * 100ull >= want_us * 99ull;
}

static void test_pit_wake(void)
{
	tick_log_reset(&pit_log);
	tick_log_reset(&apic_log);
	uint64_t start = arm_oneshot(arm_pit, pit_count_for_us(ONESHOT_US));
	pic_unmask_clean(IRQ_PIT);
	apic_timer_oneshot(VEC_APIC_TIMER, apic_count_for_us(WATCHDOG_US));
	uint32_t halts = halt_until(&pit_log, 1, &apic_log);
	uint32_t us = tsc_to_us(pit_log.first - start);
	report(halts == 1 && pit_log.count == 1 && !apic_log.count &&
	           wake_in_time(start, pit_log.first, ONESHOT_US),
	       "hlt: one HLT woken by a 10 ms PIT mode 0 one-shot (IRQ0), in time",
	       "%u HLTs, %u IRQ0, watchdog %u, woken after %u us", halts, pit_log.count,
	       apic_log.count, pit_log.count ? us : 0);
	report_info("pit one-shot %u us: woken after %u us", ONESHOT_US, us);
	halt_until(&apic_log, 1, &apic_log);
	report(pit_log.count == 1 && apic_log.count == 1,
	       "hlt: the PIT one-shot fires once (no IRQ0 until the 40 ms watchdog)",
	       "%u IRQ0, watchdog %u", pit_log.count, apic_log.count);
	pit_stop();
	pic_mask_irq(IRQ_PIT);
}

static void test_apic_wake(void)
{
	tick_log_reset(&pit_log);
	tick_log_reset(&apic_log);
	pit_oneshot(pit_count_for_us(WATCHDOG_US));
	pic_unmask_clean(IRQ_PIT);
	uint64_t start = arm_oneshot(arm_apic, apic_count_for_us(ONESHOT_US));
	uint32_t halts = halt_until(&apic_log, 1, &pit_log);
	uint32_t us = tsc_to_us(apic_log.first - start);
	report(halts == 1 && apic_log.count == 1 && !pit_log.count &&
	           wake_in_time(start, apic_log.first, ONESHOT_US),
	       "hlt: one HLT woken by a 10 ms local APIC timer one-shot, in time",
	       "%u HLTs, %u timer interrupts, watchdog %u, woken after %u us", halts,
	       apic_log.count, pit_log.count, apic_log.count ? us : 0);
	report_info("apic one-shot %u us: woken after %u us", ONESHOT_US, us);
	halt_until(&pit_log, 1, &pit_log);
	uint32_t current = apic_read(APIC_TIMER_CURRENT);
	report(apic_log.count == 1 && pit_log.count == 1 && current == 0,
	       "hlt: the APIC one-shot fires once and stops at current count 0",
	       "%u timer interrupts by the 40 ms watchdog (%u), current count %u", apic_log.count,
	       pit_log.count, current);
	apic_timer_stop();
	pic_mask_irq(IRQ_PIT);
}

/* A self-IPI left pending with IF = 0; a PIT one-shot wakes the HLT if the IPI was taken
 * between STI and HLT (then the handler would have seen the HLT's own address). */
static void test_sti_shadow(void)
{
	tick_log_reset(&pit_log);
	shadow_count = 0;
	bool sent = apic_self_ipi(VEC_SHADOW_IPI);
	bool pending = apic_vector_bit(APIC_IRR, VEC_SHADOW_IPI);
	pit_oneshot(pit_count_for_us(WATCHDOG_US));
	pic_unmask_clean(IRQ_PIT);
	idle_sti_hlt();
	uint32_t seen = shadow_count, dog = pit_log.count;
	uintptr_t ip = shadow_ip;
	pit_stop();
	pic_mask_irq(IRQ_PIT);
	report(sent && pending && seen == 1 && ip == (uintptr_t)idle_after_hlt && dog == 0,
	       "hlt: STI; HLT with one interrupt pending wakes once, handler returns past HLT",
	       "sent %d, pending in IRR %d, %u interrupts, return 0x%lx (after HLT 0x%lx), "
	       "watchdog %u",
	       sent, pending, seen, (unsigned long)ip, (unsigned long)(uintptr_t)idle_after_hlt,
	       dog);
}

void guest_main(void)
{
	irq_platform_init();
	irq_set_handler(pic_vector(IRQ_PIT), on_pit);
	irq_set_handler(VEC_APIC_TIMER, on_apic_timer);
	irq_set_handler(VEC_SHADOW_IPI, on_shadow_ipi);
	if (!irq_setup_tsc())
		return;
	apic_timer_hz = apic_timer_calibrate();
	report_info("apic timer %u kHz at divide 16", apic_timer_hz / 1000);
	test_pit_wake();
	test_apic_wake();
	test_sti_shadow();
	idle_test_pit_periodic();
	idle_test_apic_periodic();
	irq_report_unexpected();
}
