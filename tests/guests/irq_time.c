/* TSC arithmetic and rates. The 32-bit guests link no libgcc, so a 64-bit division is a
 * shift-and-subtract loop there. */
#include "tests/guests/irq_time.h"

#define KHZ_PER_MHZ 1000u
#define US_PER_MS   1000u

uint32_t tsc_khz;

uint64_t irq_udiv64(uint64_t n, uint64_t d)
{
	if (d == 0)
		return ~0ull;
#ifdef __x86_64__
	return n / d;
#else
	uint64_t q = 0, r = 0;
	for (int bit = 63; bit >= 0; bit--) {
		r = (r << 1) | ((n >> bit) & 1);
		if (r >= d) {
			r -= d;
			q |= 1ull << bit;
		}
	}
	return q;
#endif
}

uint64_t tsc_from_us(uint32_t us)
{
	return irq_udiv64((uint64_t)us * tsc_khz, US_PER_MS);
}

uint32_t tsc_to_us(uint64_t cycles)
{
	uint64_t us = irq_udiv64(cycles * US_PER_MS, tsc_khz);
	return us > 0xffffffffull ? 0xffffffffu : (uint32_t)us;
}

void tsc_delay_us(uint32_t us)
{
	uint64_t start = tsc_read();
	while (!tsc_passed(start, us))
		__asm__ volatile("pause");
}

bool tsc_passed(uint64_t start, uint32_t us)
{
	return tsc_read() - start >= tsc_from_us(us);
}

/* periods * tsc_hz * 1000 / cycles, with tsc_hz = tsc_khz * 1000. */
uint32_t rate_mhz(uint32_t periods, uint64_t cycles)
{
	uint64_t mhz = irq_udiv64((uint64_t)periods * tsc_khz * KHZ_PER_MHZ * MHZ_PER_HZ, cycles);
	return mhz > 0xffffffffull ? 0xffffffffu : (uint32_t)mhz;
}

bool rate_within(uint32_t measured, uint32_t want, uint32_t permille)
{
	uint64_t diff = measured > want ? measured - want : want - measured;
	return diff * 1000u <= (uint64_t)want * permille;
}

void tick_log_reset(struct tick_log *log)
{
	log->count = 0;
	log->first = 0;
	log->last = 0;
}

void tick_log_record(struct tick_log *log)
{
	uint64_t now = tsc_read();
	if (log->count == 0)
		log->first = now;
	log->last = now;
	log->count++;
}

uint32_t tick_log_rate(const struct tick_log *log)
{
	if (log->count < 2)
		return 0;
	return rate_mhz(log->count - 1, log->last - log->first);
}
