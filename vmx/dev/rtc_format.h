/*
 * How the MC146818A shows a time field in its registers: BCD or binary
 * (register B DM), and the hour in 24- or 12-hour form (register B 24/12;
 * in 12-hour mode 1-12 with bit 7 set for PM). Datasheet, "Time, Calendar
 * and Alarm Locations", the data mode table.
 */
#ifndef VMX_DEV_RTC_FORMAT_H
#define VMX_DEV_RTC_FORMAT_H

#include <stdint.h>

/* A value 0-99 as register B wants it (BCD keeps the last two digits). */
uint8_t rtc_to_reg(unsigned value, uint8_t reg_b);
/* A register byte back to binary; invalid BCD digits decode as 10-15. */
uint8_t rtc_from_reg(uint8_t byte, uint8_t reg_b);

/* An hour 0-23 as the hours register shows it, and back. */
uint8_t rtc_hour_to_reg(unsigned hour, uint8_t reg_b);
uint8_t rtc_hour_from_reg(uint8_t byte, uint8_t reg_b);

#endif
