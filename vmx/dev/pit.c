/*
 * The PC's PIT and port 0x61 (see vmx/dev/pit.h): guest time to PIT clock
 * pulses, the port decoding of the 82C54, IRQ0 from counter 0's OUT with the
 * timer that wakes the machine for it, and system control port B.
 */
#include "vmx/dev/pit.h"

/* 105/88 MHz is 21 pulses every 17600 ns; pulse k is at k * 17600 / 21 ns. */
#define PIT_PULSES_PER_SPAN 21u
#define PIT_NS_PER_SPAN     17600u
_Static_assert(PIT_PULSES_PER_SPAN * 88u * 1000u == PIT_NS_PER_SPAN * 105u,
               "21 pulses per 17600 ns is 105/88 MHz");

#define PORT_CONTROL 3u /* offset of the control word register (A1:A0 = 11) */
#define PORT_FLOATS  0xffu

/* PIT clocks per flip of port 0x61 bit 4 when counter 1 cannot pace it:
 * 15.085 us, the refresh period of a PC. */
#define REFRESH_PULSES 18u

/* The last pulse at or before guest time `ns`. */
static uint64_t tick_at(uint64_t ns)
{
	return io_muldiv(ns, PIT_PULSES_PER_SPAN, PIT_NS_PER_SPAN);
}

/* The first guest nanosecond at or after pulse `tick`. */
static uint64_t ns_of_tick(uint64_t tick)
{
	uint64_t ns = io_muldiv(tick, PIT_NS_PER_SPAN, PIT_PULSES_PER_SPAN);
	return tick_at(ns) < tick ? ns + 1 : ns;
}

static uint64_t now_tick(const struct pit *p)
{
	return tick_at(io_now(&p->clock));
}

/*
 * IRQ0 follows counter 0's OUT, but every OUT rising edge since the last
 * look reaches the line as exactly one low-to-high transition, even when the
 * low phase in between was missed (a late wake-up, or a one-pulse low phase
 * folded into its rising edge): an edge-triggered 8259 latches one request
 * per period, and missed periods collapse into one.
 */
static void drive_irq0(struct pit *p)
{
	const struct pit_counter *c = &p->counter[0];

	if (c->rises != p->irq0_edges_seen) {
		p->irq0_edges_seen = c->rises;
		if (p->irq0_level)
			io_irq_lower(&p->irq0);
		io_irq_raise(&p->irq0);
		p->irq0_level = true;
		p->irq0_raises++;
	}
	if (!c->out && p->irq0_level) {
		io_irq_lower(&p->irq0);
		p->irq0_level = false;
	}
}

/* The next pulse at which IRQ0 must change. A low phase of one pulse (mode
 * 2's output pulse, the strobes of modes 4 and 5) is folded into the rising
 * edge that ends it, saving a wake-up 838 ns before the one that matters. */
static uint64_t next_irq0_tick(const struct pit_counter *c)
{
	uint64_t first = pit_counter_next_change(c);

	if (first == PIT_NEVER || !c->out)
		return first;
	struct pit_counter after = *c;
	pit_counter_advance(&after, first);
	uint64_t second = pit_counter_next_change(&after);
	return second == first + 1 ? second : first;
}

static void update_irq0(struct pit *p, uint64_t tick)
{
	pit_counter_advance(&p->counter[0], tick);
	drive_irq0(p);
	uint64_t next = next_irq0_tick(&p->counter[0]);
	if (next == PIT_NEVER)
		io_timer_disarm(&p->timer);
	else
		io_timer_arm(&p->timer, ns_of_tick(next));
}

/* Late or not, one look at the time: one IRQ0 edge at most, then the timer
 * is armed for the next change after `now`. */
static void pit_fire(void *dev, uint64_t now)
{
	update_irq0(dev, tick_at(now));
}

/* SC1:SC0 = 11: latch the count and/or status of each selected counter. */
static void read_back(struct pit *p, uint8_t cmd, uint64_t tick)
{
	for (unsigned i = 0; i < PIT_COUNTERS; i++) {
		if (!(cmd & PIT_RB_SELECT(i)))
			continue;
		if (!(cmd & PIT_RB_NO_STATUS))
			pit_counter_latch_status(&p->counter[i], tick);
		if (!(cmd & PIT_RB_NO_COUNT))
			pit_counter_latch_count(&p->counter[i], tick);
	}
}

static void write_control(struct pit *p, uint8_t cw, uint64_t tick)
{
	unsigned sc = pit_cw_select(cw);

	if (sc == PIT_CW_SC_READBACK)
		read_back(p, cw, tick);
	else if (pit_cw_rw(cw) == PIT_RW_LATCH)
		pit_counter_latch_count(&p->counter[sc], tick);
	else
		pit_counter_control(&p->counter[sc], cw, tick);
}

static uint8_t read_byte(struct pit *p, unsigned port, uint64_t tick)
{
	if (port == PORT_CONTROL)
		return PORT_FLOATS;
	return pit_counter_read(&p->counter[port], tick);
}

static void write_byte(struct pit *p, unsigned port, uint8_t v, uint64_t tick)
{
	if (port == PORT_CONTROL)
		write_control(p, v, tick);
	else
		pit_counter_write(&p->counter[port], v, tick);
}

static bool fits_ports(uint16_t offset, unsigned size)
{
	return (size == 1 || size == 2 || size == 4) && offset < PIT_PORTS &&
	       offset + size <= PIT_PORTS;
}

bool pit_port_read(void *pit, uint16_t offset, unsigned size, uint32_t *value)
{
	struct pit *p = pit;
	uint32_t v = 0;

	if (!fits_ports(offset, size))
		return false;
	uint64_t tick = now_tick(p);
	for (unsigned i = 0; i < size; i++)
		v |= (uint32_t)read_byte(p, offset + i, tick) << (8 * i);
	update_irq0(p, tick);
	*value = v;
	return true;
}

bool pit_port_write(void *pit, uint16_t offset, unsigned size, uint32_t value)
{
	struct pit *p = pit;

	if (!fits_ports(offset, size))
		return false;
	uint64_t tick = now_tick(p);
	for (unsigned i = 0; i < size; i++)
		write_byte(p, offset + i, (uint8_t)(value >> (8 * i)), tick);
	update_irq0(p, tick);
	return true;
}

/*
 * Port 0x61 bit 4. On Intel's ICH, REF_TOGGLE toggles "at a rate based on
 * the value in" counter 1, defined for mode 2 only: here it flips on each of
 * counter 1's output pulses, every 15.085 us with the BIOS's count of 18. In
 * any other state it flips every REFRESH_PULSES clocks, so that a guest that
 * polls it never waits forever.
 */
static bool refresh_toggle(struct pit *p, uint64_t tick)
{
	struct pit_counter *c = &p->counter[1];

	pit_counter_advance(c, tick);
	if (c->mode == 2 && c->phase == PIT_RUNNING && c->n > 1)
		return c->rises & 1u;
	return (tick / REFRESH_PULSES) & 1u;
}

bool pit_port61_read(void *pit, uint16_t offset, unsigned size, uint32_t *value)
{
	struct pit *p = pit;

	if (offset != 0 || size != 1)
		return false;
	uint64_t tick = now_tick(p);
	uint32_t v = p->port61;
	if (refresh_toggle(p, tick))
		v |= PORT61_REFRESH;
	if (pit_counter_out(&p->counter[2], tick))
		v |= PORT61_OUT2;
	*value = v;
	return true;
}

bool pit_port61_write(void *pit, uint16_t offset, unsigned size, uint32_t value)
{
	struct pit *p = pit;

	if (offset != 0 || size != 1)
		return false;
	p->port61 = (uint8_t)(value & PORT61_WRITABLE);
	pit_counter_set_gate(&p->counter[2], value & PORT61_GATE2, now_tick(p));
	return true;
}

/* A control word and a count, as a BIOS writes them. */
static void bios_program(struct pit_counter *c, uint8_t cw, uint16_t count, bool gate,
                         uint64_t tick)
{
	pit_counter_reset(c, gate, tick);
	pit_counter_control(c, cw, tick);
	if (pit_cw_rw(cw) != PIT_RW_MSB)
		pit_counter_write(c, (uint8_t)count, tick);
	if (pit_cw_rw(cw) != PIT_RW_LSB)
		pit_counter_write(c, (uint8_t)(count >> 8), tick);
}

void pit_init(struct pit *p, const struct io_clock *clock, struct io_irq irq0)
{
	__builtin_memset(p, 0, sizeof(*p));
	p->clock = *clock;
	p->irq0 = irq0;
	io_timer_init(&p->timer, "pit", pit_fire, p);
	uint64_t tick = now_tick(p);
	bios_program(&p->counter[0], pit_cw(0, PIT_RW_LSB_MSB, 3), 0, true, tick);
	bios_program(&p->counter[1], pit_cw(1, PIT_RW_LSB, 2), 18, true, tick);
	bios_program(&p->counter[2], pit_cw(2, PIT_RW_LSB_MSB, 3), 0, false, tick);
	p->irq0_edges_seen = p->counter[0].rises; /* programming is not an edge */
	update_irq0(p, tick);
}

static void print_counter(const struct pit_counter *c, unsigned i, struct io_log *log)
{
	const char *bcd = (c->control & PIT_CW_BCD) ? " bcd" : "";

	io_log_print(log, "%sch%u mode %u", i ? ", " : "pit: ", i, (unsigned)c->mode);
	if (!pit_counter_has_count(c))
		io_log_print(log, "%s, no count", bcd);
	else
		io_log_print(log, " count %u%s%s", (unsigned)pit_counter_reload(c), bcd,
		             c->phase == PIT_ARMED ? " armed" : "");
}

void pit_print(const struct pit *p, struct io_log *log)
{
	for (unsigned i = 0; i < PIT_COUNTERS; i++)
		print_counter(&p->counter[i], i, log);
	io_log_print(log, " gate %s, irq0 raises %llu\n", p->counter[2].gate ? "on" : "off",
	             (unsigned long long)p->irq0_raises);
}
