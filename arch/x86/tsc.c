/*
 * TSC calibration against PIT channel 2 (Intel 82C54 datasheet; PC port
 * 0x61: bit 0 gates channel 2, bit 1 drives the speaker from it, bit 5
 * reads its OUT). Channel 2 in mode 0 counts down from N with its gate high
 * and raises OUT at the terminal count, N + 1 PIT clocks later; the TSC
 * ticks between the gate going high and OUT going high give the frequency.
 * Interrupts are off and nothing else runs: one measurement of 50 ms is
 * exact to a few ppm.
 */
#include "arch/x86/tsc.h"
#include "arch/x86/cpu.h"
#include "arch/x86/printf.h"

#define PIT_HZ          1193182ull
#define PIT_CH2_DATA    0x42
#define PIT_COMMAND     0x43
#define PORT_B          0x61
#define PORT_B_GATE2    (1u << 0)
#define PORT_B_SPEAKER  (1u << 1)
#define PORT_B_OUT2     (1u << 5)
#define PIT_CH2_MODE0   0xb0   /* channel 2, LSB then MSB, mode 0, binary */
#define CALIBRATE_COUNT 59659u /* 50 ms */
#define NS_PER_SEC      1000000000ull

static uint64_t hz;

static uint64_t measure(void)
{
	uint8_t b = inb(PORT_B) & (uint8_t) ~(PORT_B_GATE2 | PORT_B_SPEAKER);

	outb(PORT_B, b); /* gate low: the count waits */
	outb(PIT_COMMAND, PIT_CH2_MODE0);
	outb(PIT_CH2_DATA, CALIBRATE_COUNT & 0xff);
	outb(PIT_CH2_DATA, CALIBRATE_COUNT >> 8);
	uint64_t start = rdtsc();
	outb(PORT_B, b | PORT_B_GATE2);
	while (!(inb(PORT_B) & PORT_B_OUT2))
		cpu_relax();
	uint64_t ticks = rdtsc() - start;
	outb(PORT_B, b);
	return (uint64_t)(((unsigned __int128)ticks * PIT_HZ) / (CALIBRATE_COUNT + 1));
}

void tsc_calibrate(void)
{
	hz = measure();
	uint64_t khz = hz / 1000;
	printf("cpu: tsc %lu.%lu MHz (calibrated against the PIT)\n", (unsigned long)(khz / 1000),
	       (unsigned long)(khz % 1000 / 100));
}

uint64_t tsc_hz(void)
{
	return hz;
}

uint64_t tsc_ticks_to_ns(uint64_t ticks)
{
	return hz ? (uint64_t)(((unsigned __int128)ticks * NS_PER_SEC) / hz) : 0;
}

uint64_t tsc_ns_to_ticks(uint64_t ns)
{
	return (uint64_t)(((unsigned __int128)ns * hz) / NS_PER_SEC);
}
