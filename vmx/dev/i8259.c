/*
 * The 8259A pair as a PC wires it (see vmx/dev/i8259.h): device lines on
 * the chips' inputs, the slave's INT on the master's IR2, the master's INT
 * to the CPU, and the INTA cycle that runs through both when the master
 * picks its cascade input.
 */
#include "vmx/dev/i8259_chip.h"

/*
 * The board wires the slave's INT output to the master's IR2, whether or
 * not ICW3 names a slave there. IR2 is edge-triggered unless the master's
 * LTIM is set (its ELCR bit is fixed at 0), so a rise of the slave's INT
 * stays latched in the master's IRR until INTA even if the slave's request
 * goes away: the slave then answers its default IR7 (spurious IRQ15).
 */
void i8259_sync_cascade(struct i8259 *p)
{
	i8259_chip_set_input(&p->master, I8259_CASCADE_IR, i8259_chip_int(&p->slave));
}

/* Pin 2 is the cascade: on a PC no device line reaches it. */
static void pair_set_level(void *chip, unsigned pin, bool level)
{
	struct i8259 *p = chip;

	if (pin >= I8259_IRQS || pin == I8259_CASCADE_IR)
		return;
	if (pin < 8)
		i8259_chip_set_input(&p->master, pin, level);
	else
		i8259_chip_set_input(&p->slave, pin - 8, level);
	i8259_sync_cascade(p);
}

void i8259_init(struct i8259 *p)
{
	__builtin_memset(p, 0, sizeof(*p));
	i8259_chip_reset(&p->master, true, I8259_BIOS_MASTER_BASE, i8259_ir_bit(I8259_CASCADE_IR));
	i8259_chip_reset(&p->slave, false, I8259_BIOS_SLAVE_BASE, I8259_CASCADE_IR);
	p->irq_chip = (struct io_irq_chip){.set_level = pair_set_level, .chip = p};
}

bool i8259_intr_output(const struct i8259 *p)
{
	return i8259_chip_int(&p->master);
}

void i8259_set_elcr(struct i8259 *p, uint16_t elcr)
{
	i8259_chip_set_elcr(&p->master, (uint8_t)elcr);
	i8259_chip_set_elcr(&p->slave, (uint8_t)(elcr >> 8));
	i8259_sync_cascade(p);
}

/*
 * The vector an INTA now would return. When the master picks its cascade
 * input but the slave has no request left, the slave answers its default
 * IR7 (datasheet, figure 10).
 */
static int pair_pending(void *ctrl)
{
	const struct i8259 *p = ctrl;
	int ir = i8259_chip_resolve(&p->master);

	if (ir == I8259_IR_NONE)
		return IO_INTR_NONE;
	if (!i8259_chip_is_cascade(&p->master, (unsigned)ir))
		return i8259_chip_vector(&p->master, (unsigned)ir);
	int slave_ir = i8259_chip_resolve(&p->slave);
	if (slave_ir == I8259_IR_NONE)
		slave_ir = I8259_DEFAULT_IR;
	return i8259_chip_vector(&p->slave, (unsigned)slave_ir);
}

/* The slave's half of a cascaded INTA; the master's IR2 is already in service. */
static int slave_ack(struct i8259 *p)
{
	int ir = i8259_chip_resolve(&p->slave);

	if (ir == I8259_IR_NONE) {
		p->spurious_slave++;
		return i8259_chip_vector(&p->slave, I8259_DEFAULT_IR);
	}
	i8259_chip_inta(&p->slave, (unsigned)ir);
	p->delivered[8 + ir]++;
	return i8259_chip_vector(&p->slave, (unsigned)ir);
}

/*
 * INTA. A request that went away since pending() (a level input dropped,
 * a mask set) gets the default IR7 of the chip that lost it, with no ISR
 * bit set in that chip; a cascaded INTA has put the master's IR2 in service
 * already, which is why Linux sends the master a specific EOI for IR2 even
 * for a spurious IRQ15.
 */
static int pair_ack(void *ctrl)
{
	struct i8259 *p = ctrl;
	int ir = i8259_chip_resolve(&p->master);
	int vector;

	if (ir == I8259_IR_NONE) {
		p->spurious_master++;
		return i8259_chip_vector(&p->master, I8259_DEFAULT_IR);
	}
	i8259_chip_inta(&p->master, (unsigned)ir);
	if (i8259_chip_is_cascade(&p->master, (unsigned)ir)) {
		vector = slave_ack(p);
	} else {
		p->delivered[ir]++;
		vector = i8259_chip_vector(&p->master, (unsigned)ir);
	}
	i8259_sync_cascade(p);
	return vector;
}

const struct io_intr_ops i8259_intr_ops = {
    .pending = pair_pending,
    .ack = pair_ack,
    .nmi_pending = 0,
    .nmi_ack = 0,
};
