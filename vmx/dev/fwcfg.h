/*
 * QEMU's firmware configuration device, traditional port interface only
 * (QEMU docs/specs/fw_cfg.txt): a guest writes a 16-bit item key to the
 * selector register (port 0x510), then reads the item one byte at a time
 * from the data register (port 0x511). Each selector write rewinds the
 * item; reads past its end, and reads of items this model does not have,
 * give 0. No DMA interface (FW_CFG_ID bit 1 clear), no files.
 *
 * Items: 0x0000 signature "QEMU", 0x0001 ID (1: traditional interface),
 * 0x0003 RAM size (64-bit little-endian), 0x0005 and 0x000f CPU counts
 * (16-bit little-endian: 1), 0x0019 file directory (a 32-bit big-endian
 * count of 0). Pure logic: the caller passes port, size and value.
 */
#ifndef VMX_VFWCFG_H
#define VMX_VFWCFG_H

#include <stdbool.h>
#include <stdint.h>

#define VFWCFG_PORT_SELECTOR 0x510
#define VFWCFG_PORT_DATA     0x511

#define FW_CFG_SIGNATURE 0x0000
#define FW_CFG_ID        0x0001
#define FW_CFG_RAM_SIZE  0x0003
#define FW_CFG_NB_CPUS   0x0005
#define FW_CFG_MAX_CPUS  0x000f
#define FW_CFG_FILE_DIR  0x0019

/* Selector bits that are not part of the item number (fw_cfg.txt). */
#define FW_CFG_WRITE_CHANNEL 0x4000
#define FW_CFG_ARCH_LOCAL    0x8000

#define FW_CFG_ID_TRADITIONAL (1u << 0)
#define FW_CFG_ID_DMA         (1u << 1)

struct vfwcfg {
	uint64_t ram_size;
	uint16_t selector; /* the last selector written, write-channel bit dropped */
	uint32_t offset;   /* next byte of the selected item */
};

/* Selector 0 (the signature) is current, as after a reset. */
void vfwcfg_init(struct vfwcfg *f, uint64_t ram_size);

bool vfwcfg_handles(uint16_t port);

/*
 * The accesses the interface defines: a 16-bit write to the selector, an
 * 8-bit read of the data register, and an 8-bit data write (deprecated by
 * QEMU and ignored). They return true. Any other width or direction
 * returns false and changes nothing: the caller treats it as an unemulated
 * access (logged once, reads give all ones; vfwcfg_read leaves *value at
 * all ones for `size` bytes).
 */
bool vfwcfg_read(struct vfwcfg *f, uint16_t port, unsigned size, uint32_t *value);
bool vfwcfg_write(struct vfwcfg *f, uint16_t port, unsigned size, uint32_t value);

/* The same as bus handlers for the two ports from VFWCFG_PORT_SELECTOR on. */
bool fwcfg_port_read(void *dev, uint16_t offset, unsigned size, uint32_t *value);
bool fwcfg_port_write(void *dev, uint16_t offset, unsigned size, uint32_t value);

/* Length in bytes of an item (0 for an item this model does not have). */
uint32_t vfwcfg_item_length(uint16_t selector);

#endif
