/*
 * The guest-physical memory map every loader reports (E820 in the Linux zero page, the
 * PVH memory map table). Guest RAM is one block [0, ram_bytes) with the PC layout:
 *   [0, 0x9fc00)          usable (conventional memory)
 *   [0x9fc00, 0xa0000)    reserved (the EBDA a PC BIOS keeps at the top of it)
 *   [0xa0000, 0xf0000)    absent from the map (VGA window and option ROMs)
 *   [0xf0000, 0x100000)   reserved (the BIOS ROM, where guests scan for tables)
 *   [0x100000, ram_bytes) usable
 * It matches the multiboot loader's map (vmx/load/mbload_info.c). RAM is at most 3 GiB so
 * that no PCI/MMIO hole below 4 GiB needs describing. Types are the ACPI address range
 * types (ACPI 6.2 §15, table 15-312), which E820 and PVH share.
 */
#ifndef VMX_LOAD_E820_H
#define VMX_LOAD_E820_H

#include <stdbool.h>
#include <stdint.h>

#define E820_TYPE_RAM      1u
#define E820_TYPE_RESERVED 2u

#define E820_LOW_RAM_END   0x9fc00u
#define E820_EBDA_END      0xa0000u
#define E820_BIOS_ROM      0xf0000u
#define E820_HIGH_RAM      0x100000u
#define E820_GUEST_ENTRIES 4u

#define E820_GUEST_RAM_MIN (2u << 20)          /* some usable RAM above 1 MiB */
#define E820_GUEST_RAM_MAX ((uint64_t)3 << 30) /* no PCI hole to describe below it */

struct e820_entry {
	uint64_t addr, size;
	uint32_t type;
};

/* True when ram_bytes is in [E820_GUEST_RAM_MIN, E820_GUEST_RAM_MAX]. */
bool e820_guest_ram_ok(uint64_t ram_bytes);

/*
 * The map of a guest with ram_bytes of RAM, in address order, into map[0..max). Returns
 * the number of entries (E820_GUEST_ENTRIES), or 0 if RAM is out of range or max is too
 * small.
 */
uint32_t e820_guest_map(uint64_t ram_bytes, struct e820_entry *map, uint32_t max);

/* End of the highest usable range: where the loaders' placements must stay below. */
static inline uint64_t e820_usable_top(uint64_t ram_bytes)
{
	return ram_bytes;
}

#endif
