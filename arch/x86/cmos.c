/*
 * Reading the host's RTC once at boot (MC146818A datasheet: registers 0-9,
 * register A bit 7 UIP, register B bits 1 (24 h) and 2 (binary); the
 * century at 0x32 as PC BIOSes keep it). Read twice until two reads agree,
 * so that an update between the registers cannot mix two seconds.
 */
#include "arch/x86/cmos.h"

#include <stdbool.h>

#include "arch/x86/cpu.h"

#define CMOS_INDEX  0x70
#define CMOS_DATA   0x71
#define NMI_DISABLE 0x80
#define REG_SECONDS 0x00
#define REG_MINUTES 0x02
#define REG_HOURS   0x04
#define REG_DAY     0x07
#define REG_MONTH   0x08
#define REG_YEAR    0x09
#define REG_A       0x0a
#define REG_B       0x0b
#define REG_CENTURY 0x32
#define A_UIP       0x80
#define B_24H       0x02
#define B_BINARY    0x04
#define HOUR_PM     0x80
#define TRIES       5

struct wall {
	unsigned sec, min, hour, day, month, year, century;
};

static uint8_t cmos_read(uint8_t reg)
{
	outb(CMOS_INDEX, NMI_DISABLE | reg);
	return inb(CMOS_DATA);
}

static void read_once(struct wall *w)
{
	for (unsigned spin = 0; spin < 100000 && (cmos_read(REG_A) & A_UIP); spin++)
		cpu_relax();
	w->sec = cmos_read(REG_SECONDS);
	w->min = cmos_read(REG_MINUTES);
	w->hour = cmos_read(REG_HOURS);
	w->day = cmos_read(REG_DAY);
	w->month = cmos_read(REG_MONTH);
	w->year = cmos_read(REG_YEAR);
	w->century = cmos_read(REG_CENTURY);
}

static unsigned from_bcd(unsigned v)
{
	return (v >> 4) * 10 + (v & 0xf);
}

static void decode(struct wall *w, uint8_t b)
{
	bool pm = w->hour & HOUR_PM;

	w->hour &= (unsigned)~HOUR_PM;
	if (!(b & B_BINARY)) {
		w->sec = from_bcd(w->sec), w->min = from_bcd(w->min), w->hour = from_bcd(w->hour);
		w->day = from_bcd(w->day), w->month = from_bcd(w->month);
		w->year = from_bcd(w->year), w->century = from_bcd(w->century);
	}
	if (!(b & B_24H))
		w->hour = w->hour % 12 + (pm ? 12 : 0);
}

/* Days from 1970-01-01 to year-month-day of the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

uint64_t host_rtc_unix_time(void)
{
	struct wall a, b;

	read_once(&a);
	for (unsigned i = 0; i < TRIES; i++) {
		read_once(&b);
		if (__builtin_memcmp(&a, &b, sizeof(a)) == 0)
			break;
		a = b;
	}
	decode(&a, cmos_read(REG_B));
	unsigned year = (a.century >= 19 && a.century <= 30 ? a.century : 20) * 100 + a.year;
	if (a.month < 1 || a.month > 12 || a.day < 1 || a.day > 31 || a.hour > 23 || a.min > 59 ||
	    a.sec > 59)
		return 0;
	int64_t days = days_from_civil(year, a.month, a.day);
	return (uint64_t)(days * 86400 + a.hour * 3600 + a.min * 60 + a.sec);
}
