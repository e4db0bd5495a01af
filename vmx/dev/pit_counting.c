/*
 * The counting element of an 82C54 counter (see vmx/dev/pit_counter.h):
 * what CLK pulses do to the CE and OUT in each mode, in closed form.
 *
 * State while running: `n`, the count loaded, and `pos`, the counting pulses
 * since the load (0 on the loading pulse). From the datasheet's "Mode
 * Definitions", with N = n:
 *   modes 0, 1  OUT low until pos = N (terminal count), then high for good;
 *   modes 4, 5  OUT low only while pos = N (a one-pulse strobe);
 *               all four wrap after terminal count and go on counting;
 *   mode 2      pos runs 0..N-1, OUT low at N-1, the next pulse reloads;
 *   mode 3      pos runs 0..N-1, OUT high for the first ceil(N/2) pulses,
 *               low for the rest; the reload at the end is the rising edge.
 * A count written while modes 2 and 3 run waits for the end of the period
 * (mode 2) or of the half-cycle (mode 3).
 */
#include "vmx/dev/pit_counter.h"

uint32_t pit_counter_modulus(const struct pit_counter *c)
{
	return (c->control & PIT_CW_BCD) ? PIT_BCD_MODULUS : PIT_BINARY_MODULUS;
}

void pit_counter_set_out(struct pit_counter *c, bool level)
{
	if (level && !c->out)
		c->rises++;
	c->out = level;
}

/* Four BCD digits as a number; a nibble above 9 (undefined in the datasheet)
 * keeps its weight, and the result wraps at 10^4. */
static uint32_t from_bcd(uint16_t v)
{
	uint32_t n = (v & 0xfu) + 10u * ((v >> 4) & 0xfu) + 100u * ((v >> 8) & 0xfu) +
	             1000u * ((v >> 12) & 0xfu);
	return n % PIT_BCD_MODULUS;
}

uint32_t pit_counter_reload(const struct pit_counter *c)
{
	uint32_t n = (c->control & PIT_CW_BCD) ? from_bcd(c->cr) : c->cr;
	return n ? n : pit_counter_modulus(c);
}

/* Mode 3: OUT is high for ceil(N/2) pulses of each period (datasheet: odd
 * counts are high for (N+1)/2, low for (N-1)/2). */
static uint64_t high_half(uint32_t n)
{
	return (n + 1u) / 2u;
}

static bool one_shot(const struct pit_counter *c)
{
	return c->mode == 0 || c->mode == 1 || c->mode == 4 || c->mode == 5;
}

static bool counts(const struct pit_counter *c)
{
	if (c->phase != PIT_RUNNING)
		return false;
	if (c->mode == 1 || c->mode == 5)
		return true; /* after the trigger GATE has no say */
	return c->gate && !c->paused;
}

/* A trigger (GATE rising edge) starts modes 1, 5 once armed and restarts
 * modes 2, 3 once they have a count. */
static bool trigger_loads(const struct pit_counter *c)
{
	if (c->mode == 1 || c->mode == 5)
		return c->phase != PIT_IDLE;
	return (c->mode == 2 || c->mode == 3) && c->phase == PIT_RUNNING;
}

static void load_ce(struct pit_counter *c)
{
	c->n = pit_counter_reload(c);
	c->pos = 0;
	c->phase = PIT_RUNNING;
	c->null_count = false;
	c->load_pending = false;
	/* Mode 1's one-shot pulse begins; modes 2..5 start high (a strobe cut
	 * short by a new count or trigger ends now). Mode 0 went low at the write. */
	if (c->mode != 0)
		pit_counter_set_out(c, c->mode != 1);
}

/* The first pulse after a count write or a trigger: the one that loads. */
static void loading_pulse(struct pit_counter *c)
{
	bool trigger = c->trigger_pending;

	c->trigger_pending = false; /* the edge flip-flop is reset once sampled */
	if (c->load_pending || (trigger && trigger_loads(c)))
		load_ce(c);
}

static void run_one_shot(struct pit_counter *c, uint64_t d)
{
	uint64_t before = c->pos;

	c->pos += d;
	if (c->mode == 0 || c->mode == 1) {
		if (before < c->n && c->pos >= c->n)
			pit_counter_set_out(c, true);
		return;
	}
	if (before <= c->n && c->pos >= c->n) {
		if (before < c->n)
			pit_counter_set_out(c, false); /* the strobe ... */
		if (c->pos > c->n)
			pit_counter_set_out(c, true); /* ... lasts one pulse */
	}
}

/* Mode 2's reload pulse (OUT back high), taking a count written meanwhile. */
static void reload_period(struct pit_counter *c)
{
	if (c->n > 1)
		c->rises++; /* OUT was low for the pulse before */
	if (c->null_count) {
		c->n = pit_counter_reload(c);
		c->null_count = false;
	}
	c->pos = 0;
}

/* A count of 1 is illegal in mode 2 (datasheet); here OUT then stays high. */
static void run_rate(struct pit_counter *c, uint64_t d)
{
	uint64_t to_reload = c->n - c->pos;

	if (d >= to_reload) {
		d -= to_reload;
		reload_period(c);
		if (c->n > 1)
			c->rises += d / c->n;
		c->pos = d % c->n;
	} else {
		c->pos += d;
	}
	c->out = !(c->n > 1 && c->pos == c->n - 1);
}

/* Mode 3 with a new count waiting: run to the end of the current half-cycle,
 * where the count is taken. Returns the pulses left over. */
static uint64_t square_take_new_count(struct pit_counter *c, uint64_t d)
{
	bool in_high = c->pos < high_half(c->n);
	uint64_t to_end = (in_high ? high_half(c->n) : c->n) - c->pos;

	if (d < to_end) {
		c->pos += d;
		return 0;
	}
	if (!in_high && c->n > 1)
		c->rises++;
	c->n = pit_counter_reload(c);
	c->null_count = false;
	c->pos = (in_high && c->n > 1) ? high_half(c->n) : 0;
	return d - to_end;
}

static void run_square(struct pit_counter *c, uint64_t d)
{
	if (c->null_count)
		d = square_take_new_count(c, d);
	if (d) {
		uint64_t end = c->pos + d;
		if (c->n > 1)
			c->rises += end / c->n; /* each reload ends a low half */
		c->pos = end % c->n;
	}
	c->out = c->pos < high_half(c->n);
}

static void run(struct pit_counter *c, uint64_t d)
{
	if (one_shot(c))
		run_one_shot(c, d);
	else if (c->mode == 2)
		run_rate(c, d);
	else
		run_square(c, d);
}

void pit_counter_advance(struct pit_counter *c, uint64_t tick)
{
	if (tick <= c->tick)
		return;
	if (c->load_pending || c->trigger_pending) {
		loading_pulse(c);
		c->tick++;
	}
	if (tick > c->tick && counts(c))
		run(c, tick - c->tick);
	c->tick = tick;
}

uint32_t pit_counter_ce(const struct pit_counter *c)
{
	uint32_t m = pit_counter_modulus(c);
	uint64_t v;

	if (c->phase != PIT_RUNNING)
		return c->held % m;
	if (c->mode == 2) {
		v = c->n - c->pos;
	} else if (c->mode == 3) {
		/* Each half counts down by two from N (even) or N - 1 (odd). */
		uint64_t k = c->pos < high_half(c->n) ? c->pos : c->pos - high_half(c->n);
		v = (c->n & 1u ? c->n - 1u : c->n) - 2u * k;
	} else {
		v = c->n + m - c->pos % m; /* wraps after terminal count */
	}
	return (uint32_t)(v % m);
}

/* Counting pulses from now to the next OUT change; 0 if none comes. */
static uint64_t pulses_to_change(const struct pit_counter *c)
{
	uint64_t n = c->n;

	switch (c->mode) {
	case 0:
	case 1:
		return c->out ? 0 : n - c->pos;
	case 2:
		if (n == 1)
			return 0;
		return c->pos < n - 1 ? n - 1 - c->pos : 1;
	case 3:
		if (n == 1)
			return 0;
		return c->pos < high_half(c->n) ? high_half(c->n) - c->pos : n - c->pos;
	default: /* 4, 5 */
		if (c->pos < n)
			return n - c->pos;
		return c->pos == n ? 1 : 0;
	}
}

uint64_t pit_counter_next_change(const struct pit_counter *c)
{
	struct pit_counter s = *c;

	if (s.load_pending || s.trigger_pending) {
		loading_pulse(&s);
		s.tick++;
		if (s.out != c->out)
			return s.tick;
	}
	if (!counts(&s))
		return PIT_NEVER;
	uint64_t k = pulses_to_change(&s);
	return k ? s.tick + k : PIT_NEVER;
}
