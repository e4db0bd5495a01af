/* CMOS access and the RTC's number formats (MC146818A datasheet, "Time, Calendar and
 * Alarm Locations": BCD or binary by register B's DM bit, 12- or 24-hour by its 24/12 bit;
 * "Update Cycle": UIP reads 1 from 244 us before an update until it ends). */
#include "tests/guests/irq_rtc_guest.h"

#include "tests/guests/cpu.h"
#include "tests/guests/irq_time.h"

#define UIP_WAIT_US 10000u
#define HOUR_MASK   0x7fu
#define HOURS_HALF  12u

uint8_t cmos_read(uint8_t reg)
{
	outb(CMOS_INDEX, reg);
	return inb(CMOS_DATA);
}

void cmos_write(uint8_t reg, uint8_t value)
{
	outb(CMOS_INDEX, reg);
	outb(CMOS_DATA, value);
}

uint8_t cmos_read_nmi_off(uint8_t reg)
{
	return cmos_read((uint8_t)(reg | CMOS_NMI_DISABLE));
}

void cmos_write_nmi_off(uint8_t reg, uint8_t value)
{
	cmos_write((uint8_t)(reg | CMOS_NMI_DISABLE), value);
}

bool rtc_bcd_valid(uint8_t v)
{
	return (v & 0x0f) <= 9 && (v >> 4) <= 9;
}

uint8_t rtc_decode(uint8_t v, uint8_t reg_b)
{
	if (reg_b & RTC_B_DM)
		return v;
	return (uint8_t)((v >> 4) * 10 + (v & 0x0f));
}

uint8_t rtc_decode_hours(uint8_t v, uint8_t reg_b)
{
	uint8_t h = rtc_decode((uint8_t)(v & HOUR_MASK), reg_b);
	if (reg_b & RTC_B_24H)
		return h;
	h = (uint8_t)(h % HOURS_HALF);
	return (uint8_t)((v & RTC_HOUR_PM) ? h + HOURS_HALF : h);
}

bool rtc_wait_uip_clear(void)
{
	uint64_t start = tsc_read();
	while (cmos_read(RTC_REG_A) & RTC_A_UIP)
		if (tsc_passed(start, UIP_WAIT_US))
			return false;
	return true;
}
