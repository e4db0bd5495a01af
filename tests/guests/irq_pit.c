/* 8254 programming (8254 datasheet: "Control Word Format", "Mode 0: Interrupt on Terminal
 * Count", "Mode 2: Rate Generator") and TSC calibration on channel 2. */
#include "tests/guests/irq_pit.h"

#include <stdbool.h>

#include "tests/guests/cpu.h"
#include "tests/guests/irq_time.h"

#define PIT_CH0     0x40
#define PIT_CH2     0x42
#define PIT_CONTROL 0x43
#define PORT_B      0x61

/* Control word: SC (bits 7-6) channel, RW (bits 5-4) 11 = LSB then MSB, M (bits 3-1). */
#define PIT_SEL_CH0 (0u << 6)
#define PIT_SEL_CH2 (2u << 6)
#define PIT_LSB_MSB (3u << 4)
#define PIT_MODE0   (0u << 1)
#define PIT_MODE2   (2u << 1)

/* Port B: bit 0 gates channel 2, bit 1 feeds its OUT to the speaker, bit 5 reads OUT2. */
#define PORT_B_GATE2   (1u << 0)
#define PORT_B_SPEAKER (1u << 1)
#define PORT_B_OUT2    (1u << 5)

#define CAL_MS         50u
#define CAL_COUNT      ((uint16_t)(PIT_HZ / (1000u / CAL_MS)))
#define CAL_POLL_LIMIT 100000000u
#define MS_PER_S       1000u

static void load(uint16_t port, uint8_t control, uint16_t count)
{
	outb(PIT_CONTROL, control);
	outb(port, (uint8_t)count);
	outb(port, (uint8_t)(count >> 8));
}

void pit_periodic(uint16_t count)
{
	load(PIT_CH0, PIT_SEL_CH0 | PIT_LSB_MSB | PIT_MODE2, count);
}

void pit_oneshot(uint16_t count)
{
	load(PIT_CH0, PIT_SEL_CH0 | PIT_LSB_MSB | PIT_MODE0, count);
}

void pit_stop(void)
{
	outb(PIT_CONTROL, PIT_SEL_CH0 | PIT_LSB_MSB | PIT_MODE0);
}

uint16_t pit_count_for_hz(uint32_t hz)
{
	return (uint16_t)((PIT_HZ + hz / 2) / hz);
}

uint32_t pit_rate_mhz(uint16_t count)
{
	return (uint32_t)irq_udiv64((uint64_t)PIT_HZ * MHZ_PER_HZ + count / 2, count);
}

uint16_t pit_count_for_us(uint32_t us)
{
	return (uint16_t)irq_udiv64((uint64_t)us * PIT_HZ + US_PER_S / 2, US_PER_S);
}

/* One 50 ms count of channel 2. The count starts at the MSB write, somewhere in
 * [*start_lo, *start_hi]; OUT2 rose between the last poll that read it low and the one that
 * read it high, in [*end_lo, *end_hi]. False when OUT2 never rose. */
static bool count_once(uint64_t *start_lo, uint64_t *start_hi, uint64_t *end_lo, uint64_t *end_hi)
{
	outb(PORT_B, (uint8_t)((inb(PORT_B) & ~PORT_B_SPEAKER) | PORT_B_GATE2));
	outb(PIT_CONTROL, PIT_SEL_CH2 | PIT_LSB_MSB | PIT_MODE0);
	outb(PIT_CH2, (uint8_t)CAL_COUNT);
	*start_lo = tsc_read();
	outb(PIT_CH2, (uint8_t)(CAL_COUNT >> 8));
	*start_hi = tsc_read();
	uint64_t before = *start_hi;
	for (uint32_t polls = 0; polls < CAL_POLL_LIMIT; polls++) {
		uint64_t t = tsc_read();
		uint8_t v = inb(PORT_B);
		if (v & PORT_B_OUT2) {
			*end_lo = before;
			*end_hi = tsc_read();
			return true;
		}
		before = t;
	}
	return false;
}

/* Host or hypervisor delays only widen the intervals around the start and the end of
 * the count: the run known most precisely is kept (Linux's pit_calibrate_tsc likewise
 * rejects disturbed runs). A first count, not kept, warms up whatever the first run of the
 * loop costs (an emulator translating it). */
uint32_t irq_tsc_calibrate(struct tsc_calibration *cal)
{
	uint64_t s0, s1, e0, e1;
	uint32_t clean = 0;
	__builtin_memset(cal, 0, sizeof(*cal));
	(void)count_once(&s0, &s1, &e0, &e1);
	while (cal->runs < TSC_CAL_RUNS_MAX && clean < TSC_CAL_CLEAN) {
		uint32_t i = cal->runs++;
		if (!count_once(&s0, &s1, &e0, &e1))
			continue;
		uint64_t cycles = (e0 + e1) / 2 - (s0 + s1) / 2;
		/* The count lasts CAL_COUNT / PIT_HZ seconds, a hair under CAL_MS. */
		cal->khz[i] = (uint32_t)irq_udiv64(cycles * PIT_HZ, (uint64_t)CAL_COUNT * MS_PER_S);
		cal->slack_ppm[i] =
		    (uint32_t)irq_udiv64(((s1 - s0) + (e1 - e0)) * 1000000u, cycles);
		if (cal->slack_ppm[i] <= TSC_CAL_CLEAN_PPM)
			clean++;
		if (!cal->khz[cal->kept] || cal->slack_ppm[i] < cal->slack_ppm[cal->kept])
			cal->kept = i;
	}
	tsc_khz = cal->khz[cal->kept];
	return tsc_khz;
}
