/*
 * The priority resolver of one 8259A, its INTA cycle and the OCW2 commands
 * that end service and rotate priorities (datasheet, "Interrupt Sequence",
 * "Fully Nested Mode", "End of Interrupt", "Automatic Rotation", "Specific
 * Rotation", "Special Mask Mode", "Special Fully Nested Mode").
 *
 * Priorities rotate: `lowest` is the IR with the lowest priority, the IR
 * after it has the highest. After ICW1 IR7 is lowest, so IR0 is highest.
 */
#include "vmx/dev/i8259_chip.h"

/* OCW2: R, SL, EOI in bits 7..5 pick the command; L2..L0 the level. */
#define OCW2_COMMAND_SHIFT 5
#define OCW2_LEVEL         0x07u

enum ocw2_command {
	OCW2_ROTATE_AEOI_CLEAR = 0,      /* R=0 SL=0 EOI=0 */
	OCW2_NONSPECIFIC_EOI = 1,        /* R=0 SL=0 EOI=1 */
	OCW2_NOP = 2,                    /* R=0 SL=1 EOI=0 */
	OCW2_SPECIFIC_EOI = 3,           /* R=0 SL=1 EOI=1 */
	OCW2_ROTATE_AEOI_SET = 4,        /* R=1 SL=0 EOI=0 */
	OCW2_ROTATE_NONSPECIFIC_EOI = 5, /* R=1 SL=0 EOI=1 */
	OCW2_SET_PRIORITY = 6,           /* R=1 SL=1 EOI=0 */
	OCW2_ROTATE_SPECIFIC_EOI = 7,    /* R=1 SL=1 EOI=1 */
};

/* The IR at priority `rank` (0 = highest). */
static unsigned ir_at_rank(const struct i8259_chip *c, unsigned rank)
{
	return (c->lowest + 1u + rank) & 7u;
}

static int highest_of(const struct i8259_chip *c, uint8_t bits)
{
	for (unsigned rank = 0; rank < 8; rank++) {
		unsigned ir = ir_at_rank(c, rank);
		if (bits & i8259_ir_bit(ir))
			return (int)ir;
	}
	return I8259_IR_NONE;
}

/*
 * Special fully nested mode (programmed in the master): a slave whose
 * request is in service is not locked out, so a new request on the same
 * cascade input passes the master's priority logic.
 */
static bool sfnm_passes(const struct i8259_chip *c, unsigned ir)
{
	return (c->icw4 & ICW4_SFNM) && i8259_chip_is_cascade(c, ir);
}

/*
 * The IR the chip signals INT for, or I8259_IR_NONE: the highest unmasked
 * request, if its priority is above every level in service. In special mask
 * mode, levels masked in the IMR do not count as in service.
 */
int i8259_chip_resolve(const struct i8259_chip *c)
{
	uint8_t requests = (uint8_t)(c->irr & ~c->imr);
	uint8_t in_service = c->special_mask ? (uint8_t)(c->isr & ~c->imr) : c->isr;

	if (!requests)
		return I8259_IR_NONE;
	for (unsigned rank = 0; rank < 8; rank++) {
		unsigned ir = ir_at_rank(c, rank);
		uint8_t bit = i8259_ir_bit(ir);
		if (in_service & bit)
			return (requests & bit) && sfnm_passes(c, ir) ? (int)ir : I8259_IR_NONE;
		if (requests & bit)
			return (int)ir;
	}
	return I8259_IR_NONE;
}

/*
 * INTA for `ir` (the level resolve chose): its IRR bit is reset, which a
 * level input still high sets again at once, and its ISR bit set. In AEOI
 * mode the non-specific EOI at the end of INTA clears that ISR bit again
 * (it is the highest in service, by the resolver's rule), so it is not set;
 * with rotation in AEOI mode the level then becomes the lowest.
 */
void i8259_chip_inta(struct i8259_chip *c, unsigned ir)
{
	uint8_t bit = i8259_ir_bit(ir);
	uint8_t still_high = (uint8_t)(c->line & i8259_chip_level_inputs(c) & bit);

	c->irr = (uint8_t)((c->irr & ~bit) | still_high);
	if (!(c->icw4 & ICW4_AEOI)) {
		c->isr |= bit;
		return;
	}
	if (c->rotate_aeoi)
		c->lowest = (uint8_t)(ir & 7);
}

/* Non-specific EOI: the highest level in service ends (and may rotate to lowest). */
static void end_highest(struct i8259_chip *c, bool rotate)
{
	int ir = highest_of(c, c->isr);

	if (ir == I8259_IR_NONE)
		return;
	c->isr &= (uint8_t)~i8259_ir_bit((unsigned)ir);
	if (rotate)
		c->lowest = (uint8_t)ir;
}

static void end_level(struct i8259_chip *c, unsigned level)
{
	c->isr &= (uint8_t)~i8259_ir_bit(level);
}

void i8259_chip_ocw2(struct i8259_chip *c, uint8_t v)
{
	unsigned level = v & OCW2_LEVEL;

	c->ocw2s++;
	switch ((enum ocw2_command)(v >> OCW2_COMMAND_SHIFT)) {
	case OCW2_ROTATE_AEOI_CLEAR:
		c->rotate_aeoi = false;
		break;
	case OCW2_ROTATE_AEOI_SET:
		c->rotate_aeoi = true;
		break;
	case OCW2_NONSPECIFIC_EOI:
		end_highest(c, false);
		break;
	case OCW2_ROTATE_NONSPECIFIC_EOI:
		end_highest(c, true);
		break;
	case OCW2_SPECIFIC_EOI:
		end_level(c, level);
		break;
	case OCW2_ROTATE_SPECIFIC_EOI:
		end_level(c, level);
		c->lowest = (uint8_t)level;
		break;
	case OCW2_SET_PRIORITY:
		c->lowest = (uint8_t)level;
		break;
	case OCW2_NOP:
		break;
	}
}
