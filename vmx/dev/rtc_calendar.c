/*
 * Gregorian calendar arithmetic for the RTC model (see rtc_calendar.h).
 * Large jumps go by whole 400-year cycles and whole years, so moving a
 * date by decades costs a few dozen steps, not one per day.
 */
#include "vmx/dev/rtc_calendar.h"

#define DAYS_PER_400_YEARS 146097u /* 400 * 365 + 97 leap days: the cycle repeats */
#define UNIX_EPOCH_YEAR    1970u
#define UNIX_EPOCH_WEEKDAY 5u /* 1970-01-01 was a Thursday (Sunday = 1) */

bool rtc_leap_year(unsigned year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

unsigned rtc_days_in_month(unsigned year, unsigned month)
{
	static const uint8_t days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (month == 2 && rtc_leap_year(year))
		return 29;
	return days[(month - 1) % 12];
}

static unsigned days_in_year(unsigned year)
{
	return rtc_leap_year(year) ? 366 : 365;
}

static void clamp_date(struct rtc_time *t)
{
	if (t->month < 1)
		t->month = 1;
	if (t->month > 12)
		t->month = 12;
	unsigned last = rtc_days_in_month(t->year, t->month);
	if (t->day < 1)
		t->day = 1;
	if (t->day > last)
		t->day = (uint8_t)last;
}

static void next_month(struct rtc_time *t)
{
	t->day = 1;
	if (++t->month > 12) {
		t->month = 1;
		t->year++;
	}
}

/* Forward by whole days; a whole year at a time from January 1st. */
static void advance_days(struct rtc_time *t, uint64_t days)
{
	t->year = (uint16_t)(t->year + 400 * (days / DAYS_PER_400_YEARS));
	days %= DAYS_PER_400_YEARS;
	while (days) {
		if (t->month == 1 && t->day == 1 && days >= days_in_year(t->year)) {
			days -= days_in_year(t->year);
			t->year++;
			continue;
		}
		unsigned left = rtc_days_in_month(t->year, t->month) - t->day;
		if (days <= left) {
			t->day = (uint8_t)(t->day + days);
			return;
		}
		days -= left + 1;
		next_month(t);
	}
}

uint32_t rtc_time_of_day(const struct rtc_time *t)
{
	uint32_t total = t->second + 60u * t->minute + 3600u * t->hour;
	return total % RTC_SECONDS_PER_DAY;
}

void rtc_time_advance(struct rtc_time *t, uint64_t seconds)
{
	uint64_t total = t->second + 60u * t->minute + 3600u * t->hour + seconds;
	uint64_t days = total / RTC_SECONDS_PER_DAY;
	uint32_t tod = (uint32_t)(total % RTC_SECONDS_PER_DAY);

	clamp_date(t);
	t->hour = (uint8_t)(tod / 3600);
	t->minute = (uint8_t)(tod / 60 % 60);
	t->second = (uint8_t)(tod % 60);
	/* weekday - 1 + days, mod 7, back to 1-7; a written 0 counts as 7. */
	t->weekday = (uint8_t)((t->weekday + 6u + days % 7) % 7 + 1);
	advance_days(t, days);
}

void rtc_time_from_unix(struct rtc_time *t, uint64_t seconds)
{
	*t = (struct rtc_time){
	    .year = UNIX_EPOCH_YEAR, .month = 1, .day = 1, .weekday = UNIX_EPOCH_WEEKDAY};
	rtc_time_advance(t, seconds);
}
