/*
 * Guest time as the device models see it: nanoseconds since the guest
 * machine started, never going backwards. The machine derives it from the
 * host TSC (so it runs while the guest runs and while it halts); host tests
 * move it by hand.
 */
#ifndef VMX_IO_CLOCK_H
#define VMX_IO_CLOCK_H

#include <stdint.h>

#define IO_NS_PER_SEC 1000000000ull

struct io_clock {
	uint64_t (*now)(void *ctx);
	void *ctx;
};

static inline uint64_t io_now(const struct io_clock *c)
{
	return c->now(c->ctx);
}

/* value * mul / div without overflow for value * mul < 2^128 (time unit conversions). */
static inline uint64_t io_muldiv(uint64_t value, uint64_t mul, uint64_t div)
{
	return (uint64_t)(((unsigned __int128)value * mul) / div);
}

#endif
