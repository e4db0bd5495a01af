/*
 * The APIC timer in guest time (SDM Vol. 3A §11.5.4). The divider feeds
 * the count one tick per `divisor` bus clocks, the bus clock running at
 * VLAPIC_TIMER_BUS_HZ. A count is kept as where it started: tick k after
 * start_ns falls at start_ns + ceil(k * divisor / bus Hz) and the count has
 * then dropped by k from start_count. The current count, the number of
 * expiries so far and the time of the next one are all computed from that,
 * never accumulated, so a long-running guest sees no drift.
 *
 * One-shot: after start_count ticks the count stays 0 and the timer stops.
 * Periodic: it reaches 0 after start_count ticks and then every `initial`
 * ticks; at that tick it reads the initial count again (the reload). Each
 * expiry signals the LVT timer entry; a masked entry drops the interrupt
 * but the count goes on. The machine is woken at the next expiry; one that
 * wakes late signals once for every expiry it missed and re-arms for the
 * first after `now`.
 *
 * Register writes the SDM leaves open, chosen as KVM does: a new divide
 * value applies from the count's last tick, the count going on from where
 * it is at the new rate (and the next periods at the new rate); a new LVT
 * mode applies from the same point, so a running one-shot switched to
 * periodic reloads at its expiry, and a periodic one switched to one-shot
 * stops at the end of its current period. A one-shot count that ran out
 * does not start again on a switch to periodic: only the initial-count
 * register starts the timer.
 */
#include "vmx/dev/lapic_internal.h"

static bool periodic(const struct vlapic *a)
{
	return (vlapic_reg_value(a, APIC_LVT_TIMER) & APIC_LVT_TIMER_PERIODIC) != 0;
}

static uint32_t initial_count(const struct vlapic *a)
{
	return vlapic_reg_value(a, APIC_TIMER_INITIAL);
}

static uint64_t ticks_since_start(const struct vlapic_timer *t, uint64_t now)
{
	if (now <= t->start_ns)
		return 0;
	return io_muldiv(now - t->start_ns, VLAPIC_TIMER_BUS_HZ, IO_NS_PER_SEC * t->divisor);
}

/* Guest ns from start_ns to tick `ticks`, rounded up: the first ns at
 * which the count has dropped by `ticks`. */
static uint64_t tick_offset_ns(const struct vlapic_timer *t, uint64_t ticks)
{
	unsigned __int128 scaled = (unsigned __int128)ticks * t->divisor * IO_NS_PER_SEC;
	return (uint64_t)((scaled + VLAPIC_TIMER_BUS_HZ - 1) / VLAPIC_TIMER_BUS_HZ);
}

/* How many times the count reached 0 from start_ns to now. */
static uint64_t expiries_by(const struct vlapic *a, uint64_t now)
{
	const struct vlapic_timer *t = &a->timer;
	uint64_t ticks = ticks_since_start(t, now);

	if (ticks < t->start_count)
		return 0;
	if (!periodic(a))
		return 1;
	return 1 + (ticks - t->start_count) / initial_count(a);
}

/* The guest time of expiry n (n >= 1). */
static uint64_t expiry_ns(const struct vlapic *a, uint64_t n)
{
	const struct vlapic_timer *t = &a->timer;
	uint64_t ticks = t->start_count + (n - 1) * (uint64_t)initial_count(a);
	return t->start_ns + tick_offset_ns(t, ticks);
}

uint32_t vlapic_timer_current(const struct vlapic *a, uint64_t now)
{
	const struct vlapic_timer *t = &a->timer;
	uint64_t ticks;

	if (!t->running)
		return 0;
	ticks = ticks_since_start(t, now);
	if (ticks < t->start_count)
		return (uint32_t)(t->start_count - ticks);
	if (!periodic(a))
		return 0;
	return (uint32_t)(initial_count(a) - (ticks - t->start_count) % initial_count(a));
}

/* A periodic timer faster than VLAPIC_TIMER_MIN_WAKE_NS would wake the
 * machine more often than a guest can use: it is woken at that rate. */
static void arm_next(struct vlapic *a, uint64_t now)
{
	struct vlapic_timer *t = &a->timer;
	uint64_t deadline = expiry_ns(a, t->expiries + 1);
	bool fast = periodic(a) && tick_offset_ns(t, initial_count(a)) < VLAPIC_TIMER_MIN_WAKE_NS;

	if (fast && deadline < now + VLAPIC_TIMER_MIN_WAKE_NS)
		deadline = now + VLAPIC_TIMER_MIN_WAKE_NS;
	io_timer_arm(&t->wake, deadline);
}

static void stop(struct vlapic_timer *t)
{
	t->running = false;
	io_timer_disarm(&t->wake);
}

/* `count` expiries passed since the last one signalled: one interrupt. */
static void expired(struct vlapic *a, uint64_t count)
{
	a->stats.timer_expiries += count;
	a->stats.timer_collapsed += count - 1;
	if (vlapic_reg_value(a, APIC_LVT_TIMER) & APIC_LVT_MASKED)
		a->stats.timer_masked++;
	else
		vlapic_local_deliver(a, APIC_LVT_TIMER, VLAPIC_SRC_TIMER);
}

void vlapic_timer_sync(struct vlapic *a, uint64_t now)
{
	struct vlapic_timer *t = &a->timer;
	uint64_t n;

	if (!t->running)
		return;
	n = expiries_by(a, now);
	if (n > t->expiries) {
		expired(a, n - t->expiries);
		t->expiries = n;
	}
	if (!periodic(a) && n > 0) {
		stop(t);
		return;
	}
	arm_next(a, now);
}

static void timer_fire(void *dev, uint64_t now)
{
	vlapic_timer_sync(dev, now);
}

void vlapic_timer_init(struct vlapic *a)
{
	io_timer_init(&a->timer.wake, "lapic timer", timer_fire, a);
	vlapic_timer_reset(a);
}

/* Stopped, as at power-up; the io_timer stays on the machine's list. */
void vlapic_timer_reset(struct vlapic *a)
{
	struct vlapic_timer *t = &a->timer;

	stop(t);
	t->start_ns = 0;
	t->start_count = 0;
	t->expiries = 0;
	t->divisor = apic_timer_divisor(0);
}

struct io_timer *vlapic_timer(struct vlapic *a)
{
	return &a->timer.wake;
}

/* "If during the count-down process the initial-count register is set,
 * counting will restart, using the new initial-count value"; 0 stops. An
 * expiry that came before the write was signalled then. */
void vlapic_timer_start(struct vlapic *a, uint32_t initial, uint64_t now)
{
	struct vlapic_timer *t = &a->timer;

	vlapic_timer_sync(a, now);
	*vlapic_reg(a, APIC_TIMER_INITIAL) = initial;
	if (initial == 0) {
		stop(t);
		return;
	}
	t->start_ns = now;
	t->start_count = initial;
	t->divisor = apic_timer_divisor(vlapic_reg_value(a, APIC_TIMER_DIVIDE));
	t->expiries = 0;
	t->running = true;
	arm_next(a, now);
}

/* Count on from the count's last tick before now, as from a fresh start
 * with the count it has there (at least 1 while running). */
static void rebase(struct vlapic *a, uint64_t now)
{
	struct vlapic_timer *t = &a->timer;
	uint64_t ticks = ticks_since_start(t, now);
	uint32_t count = vlapic_timer_current(a, now);

	t->start_ns += tick_offset_ns(t, ticks);
	t->start_count = count;
	t->expiries = 0;
}

void vlapic_timer_write_divide(struct vlapic *a, uint32_t dcr, uint64_t now)
{
	struct vlapic_timer *t = &a->timer;

	vlapic_timer_sync(a, now);
	*vlapic_reg(a, APIC_TIMER_DIVIDE) = dcr & APIC_DIVIDE_WRITABLE;
	if (!t->running)
		return;
	rebase(a, now);
	t->divisor = apic_timer_divisor(dcr);
	arm_next(a, now);
}

void vlapic_timer_write_lvt(struct vlapic *a, uint32_t lvt, uint64_t now)
{
	struct vlapic_timer *t = &a->timer;
	bool mode_changes =
	    ((vlapic_reg_value(a, APIC_LVT_TIMER) ^ lvt) & APIC_LVT_TIMER_PERIODIC) != 0;

	vlapic_timer_sync(a, now);
	if (t->running && mode_changes)
		rebase(a, now);
	*vlapic_reg(a, APIC_LVT_TIMER) = lvt;
	if (t->running)
		arm_next(a, now);
}
