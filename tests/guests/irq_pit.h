/* The PC's 8254 PIT (Intel 8254 datasheet, order 231164) and system control port B (0x61,
 * channel 2 gate and output), and the TSC calibrated against channel 2. */
#ifndef GUESTS_IRQ_PIT_H
#define GUESTS_IRQ_PIT_H

#include <stdint.h>

#define PIT_HZ 1193182u /* input clock: 14.31818 MHz / 12 on the PC */

/* Channel 0 (IRQ0): mode 2 rate generator with period COUNT, or mode 0 one-shot: OUT rises
 * (the IRQ0 edge) COUNT + 1 input clocks after the count is written. */
void pit_periodic(uint16_t count);
void pit_oneshot(uint16_t count);
/* A mode 0 control word without a count: channel 0 waits, OUT stays low, no more edges. */
void pit_stop(void);

/* The count nearest to HZ, and the rate it really gives, in millihertz. */
uint16_t pit_count_for_hz(uint32_t hz);
uint32_t pit_rate_mhz(uint16_t count);
/* Input clocks for US microseconds (US up to 54925: one 16-bit count). */
uint16_t pit_count_for_us(uint32_t us);

#define TSC_CAL_RUNS_MAX  8u
#define TSC_CAL_CLEAN     3u /* runs known to TSC_CAL_CLEAN_PPM that end the series */
#define TSC_CAL_CLEAN_PPM 5000u

/* Calibrations of the TSC against PIT channel 2 and the one kept. */
struct tsc_calibration {
	uint32_t runs;                        /* done, up to TSC_CAL_RUNS_MAX */
	uint32_t kept;                        /* the run whose start and end are known best */
	uint32_t khz[TSC_CAL_RUNS_MAX];       /* each run; 0 where OUT2 never rose */
	uint32_t slack_ppm[TSC_CAL_RUNS_MAX]; /* its start and end uncertainty, per million */
};

/* TSC cycles per millisecond from 50 ms channel 2 mode 0 counts polled through port 0x61
 * bit 5 (as Linux's pit_calibrate_tsc does), until three runs are known to 0.5 % or eight
 * were done; 0 when OUT2 never rose. Also sets tsc_khz (irq_time.h). */
uint32_t irq_tsc_calibrate(struct tsc_calibration *cal);

#endif
