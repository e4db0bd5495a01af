/*
 * The port ranges of the 8259A pair: each chip's command/data ports and the
 * ELCR pair. A wide access is what the ISA bus makes of it: one byte cycle
 * per byte, at successive ports (an OUTW to 0x20 writes 0x20 then 0x21).
 * Bytes past the range read as all ones and are dropped on writes.
 */
#include "vmx/dev/i8259_chip.h"

enum i8259_range {
	RANGE_MASTER,
	RANGE_SLAVE,
	RANGE_ELCR,
};

static bool valid_size(unsigned size)
{
	return size == 1 || size == 2 || size == 4;
}

/* The chip of a command/data range, or the chip an ELCR byte belongs to. */
static struct i8259_chip *chip_of(struct i8259 *p, enum i8259_range r, unsigned offset)
{
	if (r == RANGE_ELCR)
		return offset ? &p->slave : &p->master;
	return r == RANGE_SLAVE ? &p->slave : &p->master;
}

static uint8_t read_byte(struct i8259 *p, enum i8259_range r, unsigned offset)
{
	if (offset >= I8259_PORTS)
		return 0xff;
	if (r == RANGE_ELCR)
		return chip_of(p, r, offset)->elcr;
	return i8259_chip_read(chip_of(p, r, offset), offset == 1);
}

static void write_byte(struct i8259 *p, enum i8259_range r, unsigned offset, uint8_t v)
{
	if (offset >= I8259_PORTS)
		return;
	if (r == RANGE_ELCR)
		i8259_chip_set_elcr(chip_of(p, r, offset), v);
	else
		i8259_chip_write(chip_of(p, r, offset), offset == 1, v);
}

static bool range_read(void *dev, enum i8259_range r, uint16_t offset, unsigned size,
                       uint32_t *value)
{
	struct i8259 *p = dev;
	uint32_t v = 0;

	if (!valid_size(size))
		return false;
	for (unsigned i = 0; i < size; i++) {
		v |= (uint32_t)read_byte(p, r, offset + i) << (8 * i);
		i8259_sync_cascade(p); /* a poll word is an INTA */
	}
	*value = v;
	return true;
}

static bool range_write(void *dev, enum i8259_range r, uint16_t offset, unsigned size,
                        uint32_t value)
{
	struct i8259 *p = dev;

	if (!valid_size(size))
		return false;
	for (unsigned i = 0; i < size; i++) {
		write_byte(p, r, offset + i, (uint8_t)(value >> (8 * i)));
		i8259_sync_cascade(p); /* each byte may change the slave's INT */
	}
	return true;
}

bool i8259_master_read(void *dev, uint16_t offset, unsigned size, uint32_t *value)
{
	return range_read(dev, RANGE_MASTER, offset, size, value);
}

bool i8259_master_write(void *dev, uint16_t offset, unsigned size, uint32_t value)
{
	return range_write(dev, RANGE_MASTER, offset, size, value);
}

bool i8259_slave_read(void *dev, uint16_t offset, unsigned size, uint32_t *value)
{
	return range_read(dev, RANGE_SLAVE, offset, size, value);
}

bool i8259_slave_write(void *dev, uint16_t offset, unsigned size, uint32_t value)
{
	return range_write(dev, RANGE_SLAVE, offset, size, value);
}

bool i8259_elcr_read(void *dev, uint16_t offset, unsigned size, uint32_t *value)
{
	return range_read(dev, RANGE_ELCR, offset, size, value);
}

bool i8259_elcr_write(void *dev, uint16_t offset, unsigned size, uint32_t value)
{
	return range_write(dev, RANGE_ELCR, offset, size, value);
}
