/*
 * The RTC's state for the log, e.g. when a guest ends:
 *   rtc: 2026-12-05 00:00:01 sat, A 0x26 B 0x12 C 0x00 (bcd 24h), irq8 low,
 *   raised: periodic 0 alarm 0 update 3, 3 updates
 * (one line). The time is the calendar at the current guest time, worked
 * out on a copy: printing changes nothing the guest could see.
 */
#include "vmx/dev/rtc.h"

#include "vmx/dev/rtc_chain.h"

static const char *weekday_name(unsigned weekday)
{
	static const char *const names[7] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

	return weekday >= 1 && weekday <= 7 ? names[weekday - 1] : "bad-weekday";
}

void rtc_print(const struct rtc *r, struct io_log *log)
{
	struct rtc_time t;
	unsigned c = r->flags | (r->irq_level ? RTC_C_IRQF : 0u); /* as of the last access */

	rtc_time_at(r, io_now(&r->clock), &t);
	io_log_print(log,
	             "rtc: %04u-%02u-%02u %02u:%02u:%02u %s, A 0x%02x B 0x%02x C 0x%02x (%s %s), "
	             "irq8 %s, raised: periodic %llu alarm %llu update %llu, %llu updates\n",
	             t.year, t.month, t.day, t.hour, t.minute, t.second, weekday_name(t.weekday),
	             r->reg_a, r->reg_b, c, rtc_b_binary(r->reg_b) ? "binary" : "bcd",
	             rtc_b_24h(r->reg_b) ? "24h" : "12h", r->irq_level ? "high" : "low",
	             (unsigned long long)r->raised[RTC_IRQ_PERIODIC],
	             (unsigned long long)r->raised[RTC_IRQ_ALARM],
	             (unsigned long long)r->raised[RTC_IRQ_UPDATE], (unsigned long long)r->updates);
}
