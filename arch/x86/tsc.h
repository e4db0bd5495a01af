/*
 * The host time base: the TSC, calibrated once at boot against the 8254
 * PIT's channel 2 (the one timer every PC has, at a known 1.193182 MHz).
 */
#ifndef ARCH_X86_TSC_H
#define ARCH_X86_TSC_H

#include <stdint.h>

/* Measure the TSC frequency; prints "cpu: tsc N.N MHz (calibrated against the PIT)". */
void tsc_calibrate(void);
/* TSC ticks per second (0 before tsc_calibrate()). */
uint64_t tsc_hz(void);
/* Nanoseconds in `ticks` TSC ticks. */
uint64_t tsc_ticks_to_ns(uint64_t ticks);
/* TSC ticks in `ns` nanoseconds. */
uint64_t tsc_ns_to_ticks(uint64_t ns);

#endif
