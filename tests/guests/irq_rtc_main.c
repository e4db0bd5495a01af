/*
 * guest-irq-rtc: the MC146818A RTC. The date and time read the way an OS reads them (UIP
 * clear, register B's format), registers A and D, the index port's NMI bit, then its
 * interrupts on IRQ8 (slave 8259 IR0, cascaded on master IR2: irq_rtc_irq.c) and register
 * C's read-to-clear flags.
 */
#include "tests/guests/guest.h"
#include "tests/guests/irq_pic.h"
#include "tests/guests/irq_pit.h"
#include "tests/guests/irq_rtc_guest.h"
#include "tests/guests/irq_setup.h"
#include "tests/guests/irq_time.h"
#include "tests/guests/irq_vectors.h"
#include "tests/guests/irq_wait.h"
#include "tests/guests/report.h"

const char guest_name[] = "irq-rtc";

#define STABLE_READS    3u
#define CENTURY_DEFAULT 20u
#define PERIOD_64HZ_US  15625u
#define SCRATCH_A       0xa5u
#define SCRATCH_B       0x5au
#define HEARTBEAT_HZ    100u /* PIT IRQ0: ends every HLT of the waits */

enum { RAW_SEC, RAW_MIN, RAW_HOUR, RAW_DAY, RAW_MONTH, RAW_YEAR, RAW_CENTURY, RAW_FIELDS };

static const uint8_t raw_regs[RAW_FIELDS] = {RTC_SECONDS, RTC_MINUTES, RTC_HOURS,  RTC_DAY,
                                             RTC_MONTH,   RTC_YEAR,    RTC_CENTURY};

/* Reads every field right after UIP reads 0, again until two reads agree. */
static bool read_raw(uint8_t raw[RAW_FIELDS])
{
	uint8_t again[RAW_FIELDS];
	for (unsigned tries = 0; tries < STABLE_READS; tries++) {
		if (!rtc_wait_uip_clear())
			return false;
		for (unsigned i = 0; i < RAW_FIELDS; i++)
			raw[i] = cmos_read(raw_regs[i]);
		if (!rtc_wait_uip_clear())
			return false;
		for (unsigned i = 0; i < RAW_FIELDS; i++)
			again[i] = cmos_read(raw_regs[i]);
		if (__builtin_memcmp(raw, again, RAW_FIELDS) == 0)
			return true;
	}
	return false;
}

static bool fields_encoded(const uint8_t raw[RAW_FIELDS], uint8_t b)
{
	if (b & RTC_B_DM)
		return true;
	for (unsigned i = 0; i < RAW_FIELDS; i++) {
		uint8_t v = i == RAW_HOUR ? (uint8_t)(raw[i] & ~RTC_HOUR_PM) : raw[i];
		if (!rtc_bcd_valid(v))
			return false;
	}
	return true;
}

static bool time_in_range(const struct rtc_time *t, uint8_t raw_hour, uint8_t b)
{
	uint8_t h12 = rtc_decode((uint8_t)(raw_hour & ~RTC_HOUR_PM), b);
	bool hour_ok = (b & RTC_B_24H) ? t->hour <= 23 : h12 >= 1 && h12 <= 12;
	return t->second <= 59 && t->minute <= 59 && hour_ok && t->day >= 1 && t->day <= 31 &&
	       t->month >= 1 && t->month <= 12 && t->year >= 1900 && t->year <= 2199;
}

static void decode(const uint8_t raw[RAW_FIELDS], uint8_t b, struct rtc_time *t)
{
	uint32_t century = rtc_decode(raw[RAW_CENTURY], b);
	if (century < 19 || century > 21)
		century = CENTURY_DEFAULT; /* no century byte kept: assume 20xx */
	t->year = century * 100 + rtc_decode(raw[RAW_YEAR], b);
	t->month = rtc_decode(raw[RAW_MONTH], b);
	t->day = rtc_decode(raw[RAW_DAY], b);
	t->hour = rtc_decode_hours(raw[RAW_HOUR], b);
	t->minute = rtc_decode(raw[RAW_MIN], b);
	t->second = rtc_decode(raw[RAW_SEC], b);
}

static void test_registers(void)
{
	bool uip_clear = rtc_wait_uip_clear();
	uint8_t a = cmos_read(RTC_REG_A), b = cmos_read(RTC_REG_B), d = cmos_read(RTC_REG_D);
	report_info("register A 0x%x B 0x%x D 0x%x", a, b, d);
	report(uip_clear && (a & RTC_A_DV_MASK) == RTC_A_DV_32K && d == RTC_D_VRT &&
	           !(b & RTC_B_SET),
	       "rtc: UIP clears, A selects the 32.768 kHz time base, D is 0x80, B.SET is 0",
	       "UIP cleared %d, A 0x%x B 0x%x D 0x%x", uip_clear, a, b, d);
}

static void test_date(void)
{
	uint8_t raw[RAW_FIELDS], b = cmos_read(RTC_REG_B);
	struct rtc_time t = {0};
	bool read = read_raw(raw);
	if (read)
		decode(raw, b, &t);
	report_info("date %04u-%02u-%02u %02u:%02u:%02u", t.year, t.month, t.day, t.hour, t.minute,
	            t.second);
	report(read && fields_encoded(raw, b) && time_in_range(&t, raw[RAW_HOUR], b),
	       "rtc: date and time read stable after UIP, valid in B's format, in range",
	       "read %d, B 0x%x, raw %x %x %x %x %x %x century %x", read, b, raw[RAW_SEC],
	       raw[RAW_MIN], raw[RAW_HOUR], raw[RAW_DAY], raw[RAW_MONTH], raw[RAW_YEAR],
	       raw[RAW_CENTURY]);
}

/* Bit 7 of the index gates NMI on the PC: the register chosen by bits 6-0 is the same. */
static void test_nmi_bit(void)
{
	uint8_t d = cmos_read_nmi_off(RTC_REG_D), d2 = cmos_read(RTC_REG_D);
	uint8_t saved = cmos_read(CMOS_SCRATCH);
	cmos_write_nmi_off(CMOS_SCRATCH, SCRATCH_A);
	uint8_t r1 = cmos_read(CMOS_SCRATCH);
	cmos_write(CMOS_SCRATCH, SCRATCH_B);
	uint8_t r2 = cmos_read_nmi_off(CMOS_SCRATCH);
	cmos_write(CMOS_SCRATCH, saved);
	uint8_t r3 = cmos_read(CMOS_SCRATCH);
	report(d == RTC_D_VRT && d2 == RTC_D_VRT && r1 == SCRATCH_A && r2 == SCRATCH_B &&
	           r3 == saved,
	       "cmos: index bit 7 (NMI disable) set or clear reaches the same register",
	       "D 0x%x/0x%x, RAM 0x%x: 0x%x 0x%x, restored 0x%x of 0x%x", d, d2, CMOS_SCRATCH, r1,
	       r2, r3, saved);
}

/* With IRQ8 masked: a periodic flag set, read once (IRQF and PF), then read clear. */
static void test_reg_c_clears(void)
{
	uint8_t b = cmos_read(RTC_REG_B);
	cmos_write(RTC_REG_A, RTC_A_DV_32K | RTC_RS_64HZ);
	cmos_write(RTC_REG_B, (uint8_t)((b & (RTC_B_DM | RTC_B_24H)) | RTC_B_PIE));
	(void)cmos_read(RTC_REG_C);
	irq_halt_for(2 * PERIOD_64HZ_US);
	uint8_t c1 = cmos_read(RTC_REG_C), c2 = cmos_read(RTC_REG_C);
	cmos_write(RTC_REG_B, (uint8_t)(b & (RTC_B_DM | RTC_B_24H)));
	cmos_write(RTC_REG_A, RTC_A_DV_32K | RTC_RS_1024HZ);
	(void)cmos_read(RTC_REG_C);
	report((c1 & (RTC_C_IRQF | RTC_C_PF)) == (RTC_C_IRQF | RTC_C_PF) &&
	           !(c2 & (RTC_C_IRQF | RTC_C_PF)),
	       "rtc: register C shows IRQF and PF after a 64 Hz period, reads clear after",
	       "first read 0x%x, second 0x%x", c1, c2);
}

static volatile uint32_t heartbeats;

static void on_heartbeat(struct trap_frame *f)
{
	(void)f;
	heartbeats++;
	pic_eoi(IRQ_PIT);
}

void guest_main(void)
{
	irq_platform_init();
	irq_set_handler(pic_vector(IRQ_PIT), on_heartbeat);
	if (!irq_setup_tsc())
		return;
	test_registers();
	test_date();
	test_nmi_bit();
	pit_periodic(pit_count_for_hz(HEARTBEAT_HZ));
	pic_unmask_clean(IRQ_PIT);
	rtc_test_interrupts();
	test_reg_c_clears();
	pit_stop();
	pic_mask_irq(IRQ_PIT);
	irq_report_unexpected();
}
