/*
 * The MC146818A's ports and registers (see rtc.h): the index port, the
 * clock registers 0x00-0x0d and the century byte, which read and write
 * the model's calendar and control state, and the rest of the 128 bytes,
 * which are plain RAM.
 */
#include "vmx/dev/rtc.h"

#include "vmx/dev/rtc_chain.h"
#include "vmx/dev/rtc_format.h"

#define INDEX_PORT 0
#define DATA_PORT  1
#define FOUR_GIB   (1ull << 32)

void rtc_init(struct rtc *r, const struct io_clock *clock, struct io_irq irq8,
              uint64_t unix_seconds_at_start, uint64_t ram_bytes)
{
	__builtin_memset(r, 0, sizeof(*r));
	r->clock = *clock;
	r->irq8 = irq8;
	io_timer_init(&r->timer, "rtc", rtc_timer_fire, r);
	r->reg_a = RTC_A_POWER_ON;
	r->reg_b = RTC_B_POWER_ON;
	r->synced_at = io_now(clock);
	r->chain_origin = r->synced_at; /* the next update is a second away */
	rtc_time_from_unix(&r->time, unix_seconds_at_start);
	if (ram_bytes > FOUR_GIB)
		rtc_cmos_set_ram(r, FOUR_GIB, ram_bytes - FOUR_GIB);
	else
		rtc_cmos_set_ram(r, ram_bytes, 0);
}

bool rtc_nmi_disabled(const struct rtc *r)
{
	return r->nmi_disabled;
}

static bool is_clock_register(uint8_t index)
{
	return index <= RTC_REG_D || index == RTC_REG_CENTURY;
}

static uint8_t read_calendar(const struct rtc *r, uint8_t index)
{
	const struct rtc_time *t = &r->time;
	uint8_t b = r->reg_b;

	switch (index) {
	case RTC_REG_SECONDS:
		return rtc_to_reg(t->second, b);
	case RTC_REG_MINUTES:
		return rtc_to_reg(t->minute, b);
	case RTC_REG_HOURS:
		return rtc_hour_to_reg(t->hour, b);
	case RTC_REG_WEEKDAY:
		return rtc_to_reg(t->weekday, b);
	case RTC_REG_DAY:
		return rtc_to_reg(t->day, b);
	case RTC_REG_MONTH:
		return rtc_to_reg(t->month, b);
	case RTC_REG_YEAR:
		return rtc_to_reg(t->year % 100u, b);
	default: /* RTC_REG_CENTURY */
		return rtc_to_reg(t->year / 100u, b);
	}
}

static void write_calendar(struct rtc *r, uint8_t index, uint8_t byte)
{
	struct rtc_time *t = &r->time;
	uint8_t v = rtc_from_reg(byte, r->reg_b);

	switch (index) {
	case RTC_REG_SECONDS:
		t->second = v;
		break;
	case RTC_REG_MINUTES:
		t->minute = v;
		break;
	case RTC_REG_HOURS:
		t->hour = rtc_hour_from_reg(byte, r->reg_b);
		break;
	case RTC_REG_WEEKDAY:
		t->weekday = v;
		break;
	case RTC_REG_DAY:
		t->day = v;
		break;
	case RTC_REG_MONTH:
		t->month = v;
		break;
	case RTC_REG_YEAR:
		t->year = (uint16_t)(t->year / 100u * 100u + v);
		break;
	default: /* RTC_REG_CENTURY */
		t->year = (uint16_t)(v * 100u + t->year % 100u);
		break;
	}
}

/* Reading register C returns the flags and clears them, lowering IRQ8. */
static uint8_t read_and_clear_c(struct rtc *r)
{
	uint8_t c = (uint8_t)(r->flags | (r->irq_level ? RTC_C_IRQF : 0));

	r->flags = 0;
	rtc_update_irq(r);
	return c;
}

static bool is_alarm_register(uint8_t index)
{
	return index == RTC_REG_SECONDS_ALARM || index == RTC_REG_MINUTES_ALARM ||
	       index == RTC_REG_HOURS_ALARM;
}

static uint8_t read_clock_register(struct rtc *r, uint8_t index, uint64_t now)
{
	if (is_alarm_register(index))
		return r->cmos[index];
	switch (index) {
	case RTC_REG_A:
		return (uint8_t)(r->reg_a | (rtc_update_in_progress(r, now) ? RTC_A_UIP : 0));
	case RTC_REG_B:
		return r->reg_b;
	case RTC_REG_C:
		return read_and_clear_c(r);
	case RTC_REG_D:
		return RTC_D_VRT; /* the battery is always good */
	default:
		return read_calendar(r, index);
	}
}

static void write_a(struct rtc *r, uint8_t value)
{
	bool was_running = rtc_chain_running(r);

	r->reg_a = (uint8_t)(value & ~RTC_A_UIP); /* UIP is read-only */
	if (!was_running && rtc_chain_running(r))
		rtc_chain_restart(r);
}

/* Setting SET clears UIE (datasheet, register B: UIE); IRQF follows the
 * new enables at once, either way. */
static void write_b(struct rtc *r, uint8_t value)
{
	if (value & RTC_B_SET)
		value = (uint8_t)(value & ~RTC_B_UIE);
	r->reg_b = value;
	rtc_update_irq(r);
}

static void write_clock_register(struct rtc *r, uint8_t index, uint8_t value)
{
	if (is_alarm_register(index))
		r->cmos[index] = value;
	else if (index == RTC_REG_A)
		write_a(r, value);
	else if (index == RTC_REG_B)
		write_b(r, value);
	else if (index != RTC_REG_C && index != RTC_REG_D) /* C and D are read-only */
		write_calendar(r, index, value);
}

static uint8_t read_data(struct rtc *r)
{
	uint8_t index = r->index;

	if (!is_clock_register(index))
		return r->cmos[index];
	uint64_t now = io_now(&r->clock);
	rtc_sync(r, now);
	uint8_t value = read_clock_register(r, index, now);
	rtc_rearm(r);
	return value;
}

static void write_data(struct rtc *r, uint8_t value)
{
	uint8_t index = r->index;

	if (!is_clock_register(index)) {
		r->cmos[index] = value;
		return;
	}
	rtc_sync(r, io_now(&r->clock));
	write_clock_register(r, index, value);
	rtc_rearm(r);
}

bool rtc_port_read(void *rtc, uint16_t offset, unsigned size, uint32_t *value)
{
	if (size != 1 || offset > DATA_PORT)
		return false;
	*value = offset == INDEX_PORT ? 0xff : read_data(rtc);
	return true;
}

bool rtc_port_write(void *rtc, uint16_t offset, unsigned size, uint32_t value)
{
	struct rtc *r = rtc;

	if (size != 1 || offset > DATA_PORT)
		return false;
	if (offset == INDEX_PORT) {
		r->index = (uint8_t)(value & RTC_INDEX_MASK);
		r->nmi_disabled = (value & RTC_INDEX_NMI_DISABLE) != 0;
	} else {
		write_data(r, (uint8_t)value);
	}
	return true;
}
