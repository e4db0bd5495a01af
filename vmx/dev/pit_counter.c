/*
 * The programming interface of one 82C54 counter (see vmx/dev/pit_counter.h):
 * control words, count writes in the three formats, reads through the
 * output latch, the latch commands and the GATE input.
 *
 * Reads and writes of a two-byte count keep separate LSB/MSB flip-flops:
 * the datasheet ("Read Operations") lets reads and writes of one counter
 * interleave (read LSB, write LSB, read MSB, write MSB).
 */
#include "vmx/dev/pit_counter.h"

void pit_counter_reset(struct pit_counter *c, bool gate, uint64_t tick)
{
	*c = (struct pit_counter){.gate = gate, .tick = tick, .phase = PIT_IDLE};
}

static enum pit_rw rw_format(const struct pit_counter *c)
{
	return pit_cw_rw(c->control);
}

/* The CE as software reads it: four BCD digits in BCD mode. */
static uint16_t readable_count(const struct pit_counter *c)
{
	uint32_t v = pit_counter_ce(c);

	if (!(c->control & PIT_CW_BCD))
		return (uint16_t)v;
	return (uint16_t)((v % 10u) | (v / 10u % 10u) << 4 | (v / 100u % 10u) << 8 |
	                  (v / 1000u % 10u) << 12);
}

/*
 * "When a Control Word is written to a Counter, all Control Logic is
 * immediately reset and OUT goes to a known initial state" (datasheet,
 * "Operation Common to All Modes"): low in mode 0, high in the others. The
 * CE keeps its value until a count is loaded; a latched count or status is
 * dropped ("held until it is read (or the counter is reprogrammed)").
 */
void pit_counter_control(struct pit_counter *c, uint8_t cw, uint64_t tick)
{
	pit_counter_advance(c, tick);
	c->held = pit_counter_ce(c);
	c->control = cw & PIT_ST_PROGRAMMED;
	c->mode = (uint8_t)pit_cw_mode(cw);
	c->phase = PIT_IDLE;
	c->load_pending = false;
	c->trigger_pending = false;
	c->paused = false;
	c->null_count = true;
	c->write_msb = false;
	c->read_msb = false;
	c->count_latched = false;
	c->status_latched = false;
	pit_counter_set_out(c, c->mode != 0);
}

/* A complete count is in the CR: when the CE takes it depends on the mode. */
static void count_written(struct pit_counter *c, uint16_t count)
{
	c->cr = count;
	c->null_count = true;
	c->paused = false;
	switch (c->mode) {
	case 0: /* OUT "remains high until a new count ... is written" */
		pit_counter_set_out(c, false);
		c->load_pending = true;
		break;
	case 4: /* loaded on the next CLK pulse, counting or not */
		c->load_pending = true;
		break;
	case 2:
	case 3: /* the first count loads now; later ones at the period's end */
		if (c->phase == PIT_IDLE)
			c->load_pending = true;
		break;
	default: /* 1, 5: armed; the CE takes the CR on a trigger */
		if (c->phase == PIT_IDLE)
			c->phase = PIT_ARMED;
		break;
	}
}

/* Mode 0, first byte of two: "Writing the first byte disables counting. OUT
 * is set low immediately (no clock pulse required)." */
static void first_byte_written(struct pit_counter *c, uint8_t lsb)
{
	c->cr_lsb = lsb;
	c->write_msb = true;
	if (c->mode == 0) {
		c->paused = true;
		pit_counter_set_out(c, false);
	}
}

void pit_counter_write(struct pit_counter *c, uint8_t byte, uint64_t tick)
{
	pit_counter_advance(c, tick);
	switch (rw_format(c)) {
	case PIT_RW_LSB:
		count_written(c, byte);
		break;
	case PIT_RW_MSB:
		count_written(c, (uint16_t)(byte << 8));
		break;
	case PIT_RW_LSB_MSB:
		if (!c->write_msb) {
			first_byte_written(c, byte);
			return;
		}
		c->write_msb = false;
		count_written(c, (uint16_t)(c->cr_lsb | byte << 8));
		break;
	case PIT_RW_LATCH: /* never stored: a control word has RW != 0 */
		break;
	}
}

/* One byte of the count in the programmed format; the latch is released
 * with its last byte. */
static uint8_t count_byte(struct pit_counter *c, uint16_t v)
{
	bool last = true;
	uint8_t byte;

	switch (rw_format(c)) {
	case PIT_RW_MSB:
		byte = (uint8_t)(v >> 8);
		break;
	case PIT_RW_LSB_MSB:
		byte = (uint8_t)(c->read_msb ? v >> 8 : v);
		last = c->read_msb;
		c->read_msb = !c->read_msb;
		break;
	default:
		byte = (uint8_t)v;
		break;
	}
	if (last)
		c->count_latched = false;
	return byte;
}

/* Latched status first, whichever was latched first; then the latched
 * count; else the CE as it is now (datasheet, "Read-Back Command"). */
uint8_t pit_counter_read(struct pit_counter *c, uint64_t tick)
{
	pit_counter_advance(c, tick);
	if (c->status_latched) {
		c->status_latched = false;
		return c->status;
	}
	return count_byte(c, c->count_latched ? c->ol : readable_count(c));
}

/* A second latch before the first is read is ignored. */
void pit_counter_latch_count(struct pit_counter *c, uint64_t tick)
{
	pit_counter_advance(c, tick);
	if (c->count_latched)
		return;
	c->ol = readable_count(c);
	c->count_latched = true;
}

void pit_counter_latch_status(struct pit_counter *c, uint64_t tick)
{
	pit_counter_advance(c, tick);
	if (c->status_latched)
		return;
	c->status = (uint8_t)((c->out ? PIT_ST_OUT : 0) | (c->null_count ? PIT_ST_NULL_COUNT : 0) |
	                      c->control);
	c->status_latched = true;
}

/*
 * GATE is level-sensitive in modes 0, 2, 3, 4 (low stops counting) and
 * edge-sensitive in modes 1, 2, 3, 5 (a rising edge is a trigger, acted on at
 * the next CLK pulse). In modes 2 and 3 GATE low also sets OUT high at once.
 */
void pit_counter_set_gate(struct pit_counter *c, bool level, uint64_t tick)
{
	pit_counter_advance(c, tick);
	if (level == c->gate)
		return;
	c->gate = level;
	if (level && c->mode != 0 && c->mode != 4)
		c->trigger_pending = true;
	if (!level && (c->mode == 2 || c->mode == 3))
		pit_counter_set_out(c, true);
}

bool pit_counter_out(struct pit_counter *c, uint64_t tick)
{
	pit_counter_advance(c, tick);
	return c->out;
}
