/*
 * Command words and reads of one 8259A (datasheet, "Programming the 8259A").
 * Command port (A0 = 0) writes: ICW1 when bit 4 is set, else OCW3 when bit 3
 * is set, else OCW2. Data port (A0 = 1) writes: the next ICW while
 * initializing, else OCW1 (the mask). Reads: the data port gives the IMR,
 * the command port IRR or ISR as OCW3 selected; after an OCW3 poll command
 * the next read of either port is the poll word.
 */
#include "vmx/dev/i8259_chip.h"

#define LOWEST_AFTER_INIT 7 /* ICW1: "IR7 input is assigned priority 7" */

void i8259_chip_reset(struct i8259_chip *c, bool master, uint8_t base, uint8_t icw3)
{
	*c = (struct i8259_chip){
	    .imr = 0xff,
	    .icw1 = ICW1_INIT | ICW1_IC4,
	    .vector_base = base,
	    .icw3 = icw3,
	    .icw4 = ICW4_UPM,
	    .lowest = LOWEST_AFTER_INIT,
	    .master = master,
	};
}

/*
 * ICW1 (datasheet, "Initialization Command Words"): the edge sense circuit
 * is reset, so an edge input must go low to high again to request; the IMR
 * is cleared; IR7 gets the lowest priority; special mask mode is cleared and
 * status read set to IRR; without IC4 every ICW4 function is zero. The
 * datasheet is silent on the ISR: it is cleared too, so that a chip
 * initialized again holds nothing in service, and poll and rotation in
 * AEOI mode restart off.
 */
static void write_icw1(struct i8259_chip *c, uint8_t v)
{
	c->icw1 = v;
	c->imr = 0;
	c->isr = 0;
	c->irr = 0;
	c->lowest = LOWEST_AFTER_INIT;
	c->special_mask = false;
	c->read_isr = false;
	c->poll = false;
	c->rotate_aeoi = false;
	if (!(v & ICW1_IC4))
		c->icw4 = 0;
	i8259_chip_resample_levels(c); /* level inputs still high request at once */
	c->init_step = I8259_WANT_ICW2;
	c->inits++;
}

static void write_ocw3(struct i8259_chip *c, uint8_t v)
{
	if (v & OCW3_ESMM)
		c->special_mask = (v & OCW3_SMM) != 0;
	if (v & OCW3_RR)
		c->read_isr = (v & OCW3_RIS) != 0;
	c->poll = (v & OCW3_POLL) != 0;
}

/* OCW2/OCW3 written in the middle of an initialization act and leave it going. */
static void write_command(struct i8259_chip *c, uint8_t v)
{
	if (v & ICW1_INIT)
		write_icw1(c, v);
	else if (v & OCW3_SELECT)
		write_ocw3(c, v);
	else
		i8259_chip_ocw2(c, v);
}

static enum i8259_init_step step_after_icw2(const struct i8259_chip *c)
{
	if (!(c->icw1 & ICW1_SNGL))
		return I8259_WANT_ICW3;
	return (c->icw1 & ICW1_IC4) ? I8259_WANT_ICW4 : I8259_READY;
}

static void write_data(struct i8259_chip *c, uint8_t v)
{
	switch (c->init_step) {
	case I8259_WANT_ICW2:
		c->vector_base = (uint8_t)(v & ICW2_VECTOR_MASK);
		c->init_step = (uint8_t)step_after_icw2(c);
		break;
	case I8259_WANT_ICW3:
		c->icw3 = v;
		c->init_step = (c->icw1 & ICW1_IC4) ? I8259_WANT_ICW4 : I8259_READY;
		break;
	case I8259_WANT_ICW4:
		c->icw4 = (uint8_t)(v & ICW4_DEFINED);
		c->init_step = I8259_READY;
		break;
	default:
		c->imr = v; /* OCW1 */
		break;
	}
}

void i8259_chip_write(struct i8259_chip *c, bool a0, uint8_t v)
{
	if (a0)
		write_data(c, v);
	else
		write_command(c, v);
}

/*
 * The poll command (datasheet, "The Poll Command"): the read is taken as an
 * interrupt acknowledge, putting the highest request in service, and gives
 * I (bit 7) with the level (bits 2..0). With no request the word is 0.
 */
static uint8_t read_poll_word(struct i8259_chip *c)
{
	int ir = i8259_chip_resolve(c);

	c->poll = false;
	c->polls++;
	if (ir == I8259_IR_NONE)
		return 0;
	i8259_chip_inta(c, (unsigned)ir);
	return (uint8_t)(POLL_INTERRUPT | (unsigned)ir);
}

uint8_t i8259_chip_read(struct i8259_chip *c, bool a0)
{
	if (c->poll)
		return read_poll_word(c);
	if (a0)
		return c->imr;
	return c->read_isr ? c->isr : c->irr;
}
