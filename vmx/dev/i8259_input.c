/*
 * The request inputs of one 8259A. A level-triggered input (ICW1 LTIM, or
 * its ELCR bit) makes its IRR bit follow the line. An edge-triggered input
 * sets its IRR bit on a low-to-high transition only; a line held high does
 * not request again until it has gone low.
 *
 * The real chip also wants an edge input to stay high until the first INTA
 * (datasheet, "Edge and Level Triggered Modes", figure 10: otherwise the
 * INTA answers the default IR7). Here the edge stays latched in the IRR
 * until INTA, as in QEMU and Bochs, so that a device may pulse its line
 * (io_irq_pulse) without timing the pulse against the vCPU.
 */
#include "vmx/dev/i8259_chip.h"

void i8259_chip_set_input(struct i8259_chip *c, unsigned ir, bool level)
{
	uint8_t bit = i8259_ir_bit(ir);
	bool was_high = (c->line & bit) != 0;

	c->line = level ? (uint8_t)(c->line | bit) : (uint8_t)(c->line & ~bit);
	if (i8259_chip_level_inputs(c) & bit)
		c->irr = level ? (uint8_t)(c->irr | bit) : (uint8_t)(c->irr & ~bit);
	else if (level && !was_high)
		c->irr |= bit;
}

/* After a change of trigger mode: level inputs show their line at once. */
void i8259_chip_resample_levels(struct i8259_chip *c)
{
	uint8_t level = i8259_chip_level_inputs(c);

	c->irr = (uint8_t)((c->irr & ~level) | (c->line & level));
}

/*
 * The chip's ELCR byte (PIIX, "ELCR1/ELCR2"): IRQ 0, 1, 2 (timer, keyboard,
 * cascade) and 8, 13 (RTC, FPU error) are always edge: their bits stay 0.
 */
void i8259_chip_set_elcr(struct i8259_chip *c, uint8_t elcr)
{
	uint8_t writable = c->master ? I8259_ELCR_MASTER_WRITABLE : I8259_ELCR_SLAVE_WRITABLE;

	c->elcr = (uint8_t)(elcr & writable);
	i8259_chip_resample_levels(c);
}
