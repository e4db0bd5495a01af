/*
 * Calendar arithmetic for the RTC model: a broken-down date and time in
 * binary, moved forward by whole seconds, in the proleptic Gregorian
 * calendar (leap years every 4 years, except centuries not divisible by
 * 400). Pure arithmetic, no state.
 */
#ifndef VMX_DEV_RTC_CALENDAR_H
#define VMX_DEV_RTC_CALENDAR_H

#include <stdbool.h>
#include <stdint.h>

#define RTC_SECONDS_PER_DAY 86400u

/*
 * Fields hold what the guest wrote even when it is out of range (a
 * seconds byte of 75, a month of 13): the chip keeps such bytes until the
 * next update, and so does the model. rtc_time_advance() normalizes.
 */
struct rtc_time {
	uint16_t year; /* full year, century included */
	uint8_t month; /* 1-12 */
	uint8_t day;   /* 1-31 */
	uint8_t hour;  /* 0-23 */
	uint8_t minute;
	uint8_t second;
	uint8_t weekday; /* 1-7, Sunday = 1: a counter the chip bumps at midnight */
};

bool rtc_leap_year(unsigned year);
unsigned rtc_days_in_month(unsigned year, unsigned month);

/* Seconds since 1970-01-01 00:00:00 UTC to a calendar time and weekday. */
void rtc_time_from_unix(struct rtc_time *t, uint64_t seconds);

/*
 * Move t forward by `seconds` (each one an update cycle of the chip): the
 * weekday counts the midnights passed. A month or day out of range is
 * first clamped into range (the datasheet leaves the result undefined).
 */
void rtc_time_advance(struct rtc_time *t, uint64_t seconds);

/* Seconds since midnight, folding an out-of-range hour, minute or second
 * the way the next update will. */
uint32_t rtc_time_of_day(const struct rtc_time *t);

#endif
