/*
 * fw_cfg items computed byte by byte from the model's state (see
 * vmx/vfwcfg.h), so there is no item storage to keep in step.
 */
#include "vmx/dev/fwcfg.h"

static const char signature[4] = {'Q', 'E', 'M', 'U'};

#define CPU_COUNT 1

uint32_t vfwcfg_item_length(uint16_t selector)
{
	switch (selector & ~FW_CFG_WRITE_CHANNEL) {
	case FW_CFG_SIGNATURE:
		return sizeof(signature);
	case FW_CFG_ID:
		return 4;
	case FW_CFG_RAM_SIZE:
		return 8;
	case FW_CFG_NB_CPUS:
	case FW_CFG_MAX_CPUS:
		return 2;
	case FW_CFG_FILE_DIR:
		return 4;
	default:
		return 0;
	}
}

static uint8_t le_byte(uint64_t value, uint32_t offset)
{
	return (uint8_t)(value >> (8 * offset));
}

/* Byte `offset` (< the item's length) of the selected item. */
static uint8_t item_byte(const struct vfwcfg *f, uint32_t offset)
{
	switch (f->selector) {
	case FW_CFG_SIGNATURE:
		return (uint8_t)signature[offset];
	case FW_CFG_ID:
		return le_byte(FW_CFG_ID_TRADITIONAL, offset);
	case FW_CFG_RAM_SIZE:
		return le_byte(f->ram_size, offset);
	case FW_CFG_NB_CPUS:
	case FW_CFG_MAX_CPUS:
		return le_byte(CPU_COUNT, offset);
	default:
		return 0; /* FW_CFG_FILE_DIR: big-endian count 0, so all zero */
	}
}

void vfwcfg_init(struct vfwcfg *f, uint64_t ram_size)
{
	*f = (struct vfwcfg){.ram_size = ram_size, .selector = FW_CFG_SIGNATURE};
}

bool vfwcfg_handles(uint16_t port)
{
	return port == VFWCFG_PORT_SELECTOR || port == VFWCFG_PORT_DATA;
}

/* A read stays at the end of the item, so offsets never wrap. */
static uint8_t read_data(struct vfwcfg *f)
{
	if (f->offset >= vfwcfg_item_length(f->selector))
		return 0;
	return item_byte(f, f->offset++);
}

bool vfwcfg_read(struct vfwcfg *f, uint16_t port, unsigned size, uint32_t *value)
{
	if (port != VFWCFG_PORT_DATA || size != 1) {
		*value = size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
		return false;
	}
	*value = read_data(f);
	return true;
}

bool vfwcfg_write(struct vfwcfg *f, uint16_t port, unsigned size, uint32_t value)
{
	if (port == VFWCFG_PORT_SELECTOR && size == 2) {
		/* The write-channel bit only matters for (ignored) data writes. */
		f->selector = (uint16_t)value & ~FW_CFG_WRITE_CHANNEL;
		f->offset = 0;
		return true;
	}
	return port == VFWCFG_PORT_DATA && size == 1; /* data writes: ignored */
}

bool fwcfg_port_read(void *dev, uint16_t offset, unsigned size, uint32_t *value)
{
	return vfwcfg_read(dev, (uint16_t)(VFWCFG_PORT_SELECTOR + offset), size, value);
}

bool fwcfg_port_write(void *dev, uint16_t offset, unsigned size, uint32_t value)
{
	return vfwcfg_write(dev, (uint16_t)(VFWCFG_PORT_SELECTOR + offset), size, value);
}
