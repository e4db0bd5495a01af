/*
 * Deadlines of the device models. A device arms a timer for the guest time
 * at which something must happen without the guest asking (a PIT period
 * ends, an RTC update, an APIC timer count reaches zero); the machine runs
 * every timer whose deadline has passed before it enters the guest, and arms
 * the host timer for the earliest one left. fire() may re-arm its timer.
 * A periodic device that missed periods re-arms for its next period from
 * `now`, collapsing the ones it missed (one interrupt, not a queue).
 */
#ifndef VMX_IO_TIMER_H
#define VMX_IO_TIMER_H

#include <stdbool.h>
#include <stdint.h>

#define IO_TIMER_OFF UINT64_MAX

struct io_timer {
	uint64_t deadline; /* guest ns, IO_TIMER_OFF when not armed */
	void (*fire)(void *dev, uint64_t now);
	void *dev;
	const char *name;
	struct io_timer *next; /* the machine's list of timers */
};

static inline void io_timer_init(struct io_timer *t, const char *name,
                                 void (*fire)(void *dev, uint64_t now), void *dev)
{
	*t = (struct io_timer){.deadline = IO_TIMER_OFF, .fire = fire, .dev = dev, .name = name};
}

static inline void io_timer_arm(struct io_timer *t, uint64_t deadline)
{
	t->deadline = deadline;
}

static inline void io_timer_disarm(struct io_timer *t)
{
	t->deadline = IO_TIMER_OFF;
}

static inline bool io_timer_armed(const struct io_timer *t)
{
	return t->deadline != IO_TIMER_OFF;
}

#endif
