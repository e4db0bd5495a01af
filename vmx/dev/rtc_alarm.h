/*
 * The MC146818A alarm: at each update cycle the chip compares the three
 * alarm bytes with the new seconds, minutes and hours bytes, and sets AF
 * when all three match; an alarm byte of 0xC0-0xFF matches anything
 * (datasheet, "Alarm"). The comparison is of register bytes, so it follows
 * the data mode and the 12/24-hour mode in register B.
 */
#ifndef VMX_DEV_RTC_ALARM_H
#define VMX_DEV_RTC_ALARM_H

#include <stdint.h>

#include "vmx/dev/rtc_calendar.h"

struct rtc_alarm {
	uint8_t second, minute, hour; /* the bytes at registers 1, 3 and 5 */
};

/*
 * How many update cycles from time t until the first one that leaves the
 * clock on a matching time: 1 to 86400, or 0 when the alarm bytes can
 * never match (a byte no time field ever shows, such as 0x60 seconds).
 */
uint32_t rtc_alarm_wait(const struct rtc_time *t, const struct rtc_alarm *alarm, uint8_t reg_b);

#endif
