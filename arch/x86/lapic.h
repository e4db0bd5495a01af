/*
 * The host's local APIC, the host timer of the hypervisor (Intel SDM Vol. 3A
 * §11.5.4): software-enabled, every LVT entry masked but the timer, which
 * runs in one-shot mode on HOST_VEC_TIMER and is armed for a TSC deadline.
 */
#ifndef ARCH_X86_LAPIC_H
#define ARCH_X86_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

/* Set it up and calibrate its timer against the TSC; prints one "cpu:" line.
 * false if the CPU has no local APIC (then there is no host timer). */
bool host_lapic_init(void);
bool host_lapic_present(void);
/* An interrupt on HOST_VEC_TIMER at host TSC `tsc_deadline` (at once if it
 * has passed); disarm stops it. */
void host_lapic_timer_arm(uint64_t tsc_deadline);
void host_lapic_timer_disarm(void);
void host_lapic_eoi(void);

#endif
