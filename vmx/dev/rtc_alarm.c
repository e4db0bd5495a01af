/*
 * When the alarm next matches (see rtc_alarm.h). Instead of stepping
 * through up to a day of seconds, find the first matching hour at or after
 * the current one, then the first matching minute in it, then the first
 * matching second: the answer comes in a few hundred comparisons at worst.
 */
#include "vmx/dev/rtc_alarm.h"

#include <stdbool.h>

#include "vmx/dev/rtc_format.h"
#include "vmx/dev/rtc_regs.h"

static bool byte_matches(uint8_t alarm, uint8_t current)
{
	return (alarm & RTC_ALARM_DONT_CARE) == RTC_ALARM_DONT_CARE || alarm == current;
}

static bool hour_matches(const struct rtc_alarm *a, unsigned hour, uint8_t reg_b)
{
	return byte_matches(a->hour, rtc_hour_to_reg(hour, reg_b));
}

static bool minute_matches(const struct rtc_alarm *a, unsigned minute, uint8_t reg_b)
{
	return byte_matches(a->minute, rtc_to_reg(minute, reg_b));
}

static bool second_matches(const struct rtc_alarm *a, unsigned second, uint8_t reg_b)
{
	return byte_matches(a->second, rtc_to_reg(second, reg_b));
}

/* Each byte must match some value its field takes, or nothing ever matches. */
static bool can_match(const struct rtc_alarm *a, uint8_t reg_b)
{
	bool hour = false, minute = false, second = false;

	for (unsigned h = 0; h < 24; h++)
		hour = hour || hour_matches(a, h, reg_b);
	for (unsigned v = 0; v < 60; v++) {
		minute = minute || minute_matches(a, v, reg_b);
		second = second || second_matches(a, v, reg_b);
	}
	return hour && minute && second;
}

/* The first matching second of the minute from `first` on, or 60. */
static unsigned first_second(const struct rtc_alarm *a, unsigned first, uint8_t reg_b)
{
	unsigned s = first;
	while (s < 60 && !second_matches(a, s, reg_b))
		s++;
	return s;
}

uint32_t rtc_alarm_wait(const struct rtc_time *t, const struct rtc_alarm *alarm, uint8_t reg_b)
{
	uint32_t now = rtc_time_of_day(t);
	unsigned h0 = now / 3600, m0 = now / 60 % 60, s0 = now % 60;

	if (!can_match(alarm, reg_b))
		return 0;
	/* Hour h0 comes twice: now (later minutes only) and a day later. */
	for (unsigned dh = 0; dh <= 24; dh++) {
		if (!hour_matches(alarm, (h0 + dh) % 24, reg_b))
			continue;
		for (unsigned m = dh ? 0 : m0; m < 60; m++) {
			if (!minute_matches(alarm, m, reg_b))
				continue;
			unsigned s = first_second(alarm, !dh && m == m0 ? s0 + 1 : 0, reg_b);
			if (s < 60)
				return 3600u * dh + 60u * m + s - (60u * m0 + s0);
		}
	}
	return 0; /* not reached: can_match() found a match within a day */
}
