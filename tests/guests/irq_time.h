/* Time for the irq guests: the TSC as the clock (once calibrated against the PIT, see
 * irq_pit.h), 64-bit division that 32-bit guests can do without libgcc, and rates. */
#ifndef GUESTS_IRQ_TIME_H
#define GUESTS_IRQ_TIME_H

#include <stdbool.h>
#include <stdint.h>

#define US_PER_S   1000000u
#define MHZ_PER_HZ 1000u /* rates are kept in millihertz */

/* TSC frequency in kHz, set by irq_tsc_calibrate() (irq_pit.c). */
extern uint32_t tsc_khz;

static inline uint64_t tsc_read(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* N / D, rounded down; ~0 when D is 0. */
uint64_t irq_udiv64(uint64_t n, uint64_t d);

uint64_t tsc_from_us(uint32_t us);
/* Cycles as microseconds (saturates at 2^32 - 1). */
uint32_t tsc_to_us(uint64_t cycles);
void tsc_delay_us(uint32_t us);
/* True once US microseconds have passed since START. */
bool tsc_passed(uint64_t start, uint32_t us);

/* PERIODS intervals over CYCLES of TSC time, as millihertz. */
uint32_t rate_mhz(uint32_t periods, uint64_t cycles);
/* |MEASURED - WANT| <= WANT * PERMILLE / 1000 (rates in millihertz). */
bool rate_within(uint32_t measured, uint32_t want, uint32_t permille);

/* Timestamps of a periodic interrupt: the first and the last one and how many. */
struct tick_log {
	volatile uint32_t count;
	volatile uint64_t first, last;
};

void tick_log_reset(struct tick_log *log);
void tick_log_record(struct tick_log *log);
/* Rate between the first and the last tick, in millihertz (0 with fewer than 2 ticks). */
uint32_t tick_log_rate(const struct tick_log *log);

/* "%u.%03u" parts of a millihertz value. */
static inline uint32_t mhz_int(uint32_t mhz)
{
	return mhz / MHZ_PER_HZ;
}

static inline uint32_t mhz_frac(uint32_t mhz)
{
	return mhz % MHZ_PER_HZ;
}

#endif
