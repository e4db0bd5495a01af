/* UEFI memory map to boot-info regions: see boot/efimap.h. */
#include "boot/efimap.h"

#include "boot/bootinfo_build.h"

uint32_t efi_mem_type(uint32_t efi_type, uint64_t attribute, int bs_active)
{
	/* Runtime services keep using such memory after ExitBootServices (UEFI 2.10, 7.2.3). */
	if (attribute & EFI_MEMORY_RUNTIME)
		return MEM_RESERVED;
	switch (efi_type) {
	case EFI_LOADER_CODE:
	case EFI_LOADER_DATA:
	case EFI_CONVENTIONAL_MEMORY:
		return MEM_USABLE;
	case EFI_BOOT_SERVICES_CODE:
	case EFI_BOOT_SERVICES_DATA:
		return bs_active ? MEM_RESERVED : MEM_USABLE;
	case EFI_UNUSABLE_MEMORY:
		return MEM_BAD;
	case EFI_ACPI_RECLAIM_MEMORY:
		return MEM_ACPI_RECLAIM;
	case EFI_ACPI_MEMORY_NVS:
		return MEM_ACPI_NVS;
	default: /* reserved, runtime services, MMIO, PAL code, persistent, unaccepted, unknown */
		return MEM_RESERVED;
	}
}

/* Converts descriptor i; a page count so large the length overflows is refused. */
static int add_descriptor(struct boot_info *bi, const uint8_t *d, uint64_t i)
{
	uint32_t type = bootinfo_rd32(d + EFI_DESC_TYPE);
	uint64_t start = bootinfo_rd64(d + EFI_DESC_PHYSICAL_START);
	uint64_t pages = bootinfo_rd64(d + EFI_DESC_NUMBER_OF_PAGES);
	uint64_t attribute = bootinfo_rd64(d + EFI_DESC_ATTRIBUTE);

	if (pages > (UINT64_MAX >> EFI_PAGE_SHIFT))
		return bootinfo_fail(
		    bi, "efi: descriptor %llu (type %u at 0x%llx): %llu pages overflow",
		    (unsigned long long)i, type, (unsigned long long)start,
		    (unsigned long long)pages);
	return bootinfo_add_region(bi, start, pages << EFI_PAGE_SHIFT,
	                           efi_mem_type(type, attribute, (int)bi->efi_bs_active));
}

int bootinfo_add_efi_map(struct boot_info *bi, const void *map, uint64_t map_size,
                         uint64_t desc_size)
{
	const uint8_t *p = map;

	if (desc_size < EFI_DESC_MIN_SIZE)
		return bootinfo_fail(bi, "efi: descriptor size %llu < %u",
		                     (unsigned long long)desc_size, EFI_DESC_MIN_SIZE);
	if (map_size % desc_size != 0)
		return bootinfo_fail(bi,
		                     "efi: map size %llu not a multiple of descriptor size %llu",
		                     (unsigned long long)map_size, (unsigned long long)desc_size);
	if (map_size && !map)
		return bootinfo_fail(bi, "efi: no memory map (null pointer)");
	for (uint64_t i = 0; i < map_size / desc_size; i++)
		if (add_descriptor(bi, p + i * desc_size, i) < 0)
			return -1;
	return 0;
}
