/*
 * The divider chain over guest time (see rtc_chain.h).
 *
 * The chain is a phase: chain_origin is the guest time of a second
 * boundary, kept modulo 2^64 so that a boundary "before guest time 0"
 * (leaving reset in the first half second) needs no special case. Update
 * cycles happen at chain_origin + k s; the periodic tap of RS3-0 changes
 * every 2^shift periods of 32.768 kHz counted from the same origin, since
 * both are taps of the one divider chain (datasheet, block diagram).
 *
 * Nothing is scheduled per event: rtc_sync() counts how many updates and
 * ticks lie in (synced_at, now] and sets the flags once. Missed events thus
 * collapse into one flag, and one interrupt, as on the chip, where a flag
 * already set stays set until register C is read.
 */
#include "vmx/dev/rtc_chain.h"

#include "vmx/dev/rtc_alarm.h"

#define CRYSTAL_HZ 32768u

bool rtc_chain_running(const struct rtc *r)
{
	return rtc_a_divider(r->reg_a) == RTC_DV_32768HZ;
}

void rtc_chain_restart(struct rtc *r)
{
	r->chain_origin = r->synced_at + RTC_RESET_TO_UPDATE_NS - IO_NS_PER_SEC;
}

static uint64_t chain_ns(const struct rtc *r, uint64_t t)
{
	return t - r->chain_origin;
}

static uint64_t updates_by(const struct rtc *r, uint64_t t)
{
	return chain_ns(r, t) / IO_NS_PER_SEC;
}

static bool periodic_selected(const struct rtc *r)
{
	return rtc_a_rate_select(r->reg_a) != 0;
}

/*
 * The periodic rate is 32768 >> shift Hz. The datasheet's rate table for
 * the 32.768 kHz time base: RS = 3-15 give 32768 >> (RS - 1) Hz (8192 Hz
 * down to 2 Hz); RS = 1 and 2 give 256 Hz and 128 Hz, the taps of RS = 8
 * and 9 (with the faster time bases they would be 32768 and 16384 Hz).
 */
static unsigned periodic_shift(const struct rtc *r)
{
	unsigned rs = rtc_a_rate_select(r->reg_a);
	return rs <= 2 ? rs + 6 : rs - 1;
}

static uint64_t ticks_by(const struct rtc *r, uint64_t t)
{
	return io_muldiv(chain_ns(r, t), CRYSTAL_HZ, IO_NS_PER_SEC) >> periodic_shift(r);
}

/* The first guest ns at which the tick after the one at synced_at has come. */
static uint64_t next_tick_at(const struct rtc *r)
{
	uint64_t cycles = (ticks_by(r, r->synced_at) + 1) << periodic_shift(r);
	uint64_t ns = io_muldiv(cycles, IO_NS_PER_SEC, CRYSTAL_HZ);

	if (io_muldiv(ns, CRYSTAL_HZ, IO_NS_PER_SEC) < cycles)
		ns++; /* round up: the tick comes inside this nanosecond */
	return r->chain_origin + ns;
}

/* The guest time of the k-th update cycle after synced_at. */
static uint64_t update_at(const struct rtc *r, uint64_t k)
{
	return r->chain_origin + (updates_by(r, r->synced_at) + k) * IO_NS_PER_SEC;
}

static struct rtc_alarm alarm_bytes(const struct rtc *r)
{
	return (struct rtc_alarm){.second = r->cmos[RTC_REG_SECONDS_ALARM],
	                          .minute = r->cmos[RTC_REG_MINUTES_ALARM],
	                          .hour = r->cmos[RTC_REG_HOURS_ALARM]};
}

static bool updates_inhibited(const struct rtc *r)
{
	return !rtc_chain_running(r) || (r->reg_b & RTC_B_SET);
}

/* n update cycles: UF after each, AF if any left a matching time. */
static void run_updates(struct rtc *r, uint64_t n)
{
	if (!n || (r->reg_b & RTC_B_SET))
		return; /* SET: the chain runs on, the updates are skipped */
	struct rtc_alarm alarm = alarm_bytes(r);
	uint32_t wait = rtc_alarm_wait(&r->time, &alarm, r->reg_b);
	if (wait && wait <= n)
		r->flags |= RTC_C_AF;
	r->flags |= RTC_C_UF;
	rtc_time_advance(&r->time, n);
	r->updates += n;
}

void rtc_sync(struct rtc *r, uint64_t now)
{
	if (now < r->synced_at)
		now = r->synced_at;
	if (rtc_chain_running(r)) {
		run_updates(r, updates_by(r, now) - updates_by(r, r->synced_at));
		/* PF is set whether or not PIE is (datasheet, register C). */
		if (periodic_selected(r) && ticks_by(r, now) != ticks_by(r, r->synced_at))
			r->flags |= RTC_C_PF;
	}
	r->synced_at = now;
	rtc_update_irq(r);
}

void rtc_time_at(const struct rtc *r, uint64_t now, struct rtc_time *out)
{
	*out = r->time;
	if (now <= r->synced_at || updates_inhibited(r))
		return;
	uint64_t n = updates_by(r, now) - updates_by(r, r->synced_at);
	if (n)
		rtc_time_advance(out, n);
}

bool rtc_update_in_progress(const struct rtc *r, uint64_t now)
{
	if (updates_inhibited(r))
		return false; /* writing SET clears UIP (datasheet, register A) */
	return chain_ns(r, now) % IO_NS_PER_SEC >= IO_NS_PER_SEC - RTC_UIP_NS;
}

static void count_raise(struct rtc *r, uint8_t sources)
{
	if (sources & RTC_C_PF)
		r->raised[RTC_IRQ_PERIODIC]++;
	if (sources & RTC_C_AF)
		r->raised[RTC_IRQ_ALARM]++;
	if (sources & RTC_C_UF)
		r->raised[RTC_IRQ_UPDATE]++;
}

void rtc_update_irq(struct rtc *r)
{
	uint8_t sources = r->flags & r->reg_b & RTC_C_FLAGS;
	bool level = sources != 0;

	if (level == r->irq_level)
		return;
	r->irq_level = level;
	if (level)
		count_raise(r, sources);
	io_irq_set(&r->irq8, level);
}

static uint64_t earliest(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static uint64_t next_event(const struct rtc *r)
{
	uint64_t next = IO_TIMER_OFF;

	if ((r->reg_b & RTC_B_PIE) && periodic_selected(r))
		next = earliest(next, next_tick_at(r));
	if (updates_inhibited(r))
		return next;
	if (r->reg_b & RTC_B_UIE)
		next = earliest(next, update_at(r, 1));
	if (r->reg_b & RTC_B_AIE) {
		struct rtc_alarm alarm = alarm_bytes(r);
		uint32_t wait = rtc_alarm_wait(&r->time, &alarm, r->reg_b);
		if (wait)
			next = earliest(next, update_at(r, wait));
	}
	return next;
}

/* While IRQF is set a new event changes nothing the guest can see before
 * it reads register C, and that read re-arms: no timer meanwhile. */
void rtc_rearm(struct rtc *r)
{
	if (r->irq_level || !rtc_chain_running(r))
		io_timer_disarm(&r->timer);
	else
		io_timer_arm(&r->timer, next_event(r));
}

void rtc_timer_fire(void *rtc, uint64_t now)
{
	struct rtc *r = rtc;

	rtc_sync(r, now);
	rtc_rearm(r);
}
