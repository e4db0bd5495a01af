/*
 * Register formats of the time fields (see rtc_format.h).
 */
#include "vmx/dev/rtc_format.h"

#include "vmx/dev/rtc_regs.h"

uint8_t rtc_to_reg(unsigned value, uint8_t reg_b)
{
	if (rtc_b_binary(reg_b))
		return (uint8_t)value;
	return (uint8_t)((value / 10 % 10) << 4 | value % 10);
}

uint8_t rtc_from_reg(uint8_t byte, uint8_t reg_b)
{
	if (rtc_b_binary(reg_b))
		return byte;
	return (uint8_t)((byte >> 4) * 10 + (byte & 0x0f));
}

/* 12-hour mode: 00:xx is 12 AM, 12:xx is 12 PM. */
uint8_t rtc_hour_to_reg(unsigned hour, uint8_t reg_b)
{
	if (rtc_b_24h(reg_b))
		return rtc_to_reg(hour, reg_b);
	unsigned twelve = hour % 12 ? hour % 12 : 12;
	uint8_t pm = hour >= 12 ? RTC_HOUR_PM : 0;
	return (uint8_t)(rtc_to_reg(twelve, reg_b) | pm);
}

uint8_t rtc_hour_from_reg(uint8_t byte, uint8_t reg_b)
{
	if (rtc_b_24h(reg_b))
		return rtc_from_reg(byte, reg_b);
	unsigned twelve = rtc_from_reg((uint8_t)(byte & ~RTC_HOUR_PM), reg_b);
	return (uint8_t)(twelve % 12 + (byte & RTC_HOUR_PM ? 12 : 0));
}
