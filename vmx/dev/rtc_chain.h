/*
 * The RTC's divider chain and what it produces over guest time: update
 * cycles (the calendar, UF, AF), periodic ticks (PF), the UIP window, the
 * IRQ8 level and the timer for the next enabled event. Used by rtc.c.
 */
#ifndef VMX_DEV_RTC_CHAIN_H
#define VMX_DEV_RTC_CHAIN_H

#include <stdbool.h>
#include <stdint.h>

#include "vmx/dev/rtc.h"

/* t_BUC (Table 6): UIP rises 244 us, 8 periods of 32.768 kHz, before an update. */
#define RTC_UIP_NS             244140ull
/* Leaving divider reset, the first update comes half a second later. */
#define RTC_RESET_TO_UPDATE_NS 500000000ull

/* DV = 010: the chain divides the 32.768 kHz crystal down to 1 Hz. */
bool rtc_chain_running(const struct rtc *r);

/* The chain leaves reset at synced_at: the next update is 500 ms away. */
void rtc_chain_restart(struct rtc *r);

/* Count the updates and periodic ticks up to `now` into the calendar and
 * the flags of register C, then drive IRQ8. */
void rtc_sync(struct rtc *r, uint64_t now);

/* The calendar as of `now`, without changing the model. */
void rtc_time_at(const struct rtc *r, uint64_t now, struct rtc_time *out);

/* UIP as register A shows it at `now` (synced). */
bool rtc_update_in_progress(const struct rtc *r, uint64_t now);

/* IRQF = the flags that are set and enabled; the line follows it. */
void rtc_update_irq(struct rtc *r);

/* Arm the timer for the next event that would raise IRQ8, or disarm it. */
void rtc_rearm(struct rtc *r);

#endif
