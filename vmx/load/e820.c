/* The guest memory map (vmx/load/e820.h). */
#include "vmx/load/e820.h"

bool e820_guest_ram_ok(uint64_t ram_bytes)
{
	return ram_bytes >= E820_GUEST_RAM_MIN && ram_bytes <= E820_GUEST_RAM_MAX;
}

uint32_t e820_guest_map(uint64_t ram_bytes, struct e820_entry *map, uint32_t max)
{
	if (!e820_guest_ram_ok(ram_bytes) || max < E820_GUEST_ENTRIES)
		return 0;
	map[0] = (struct e820_entry){0, E820_LOW_RAM_END, E820_TYPE_RAM};
	map[1] = (struct e820_entry){E820_LOW_RAM_END, E820_EBDA_END - E820_LOW_RAM_END,
	                             E820_TYPE_RESERVED};
	map[2] =
	    (struct e820_entry){E820_BIOS_ROM, E820_HIGH_RAM - E820_BIOS_ROM, E820_TYPE_RESERVED};
	map[3] = (struct e820_entry){E820_HIGH_RAM, ram_bytes - E820_HIGH_RAM, E820_TYPE_RAM};
	return E820_GUEST_ENTRIES;
}
