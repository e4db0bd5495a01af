/*
 * UEFI memory descriptors (UEFI Specification 2.10, section 7.2.3,
 * EFI_BOOT_SERVICES.GetMemoryMap()) and their conversion to boot-info regions.
 */
#ifndef BOOT_EFIMAP_H
#define BOOT_EFIMAP_H

#include <stdint.h>

#include "boot/bootinfo.h"

/* EFI_MEMORY_TYPE */
#define EFI_RESERVED_MEMORY             0
#define EFI_LOADER_CODE                 1
#define EFI_LOADER_DATA                 2
#define EFI_BOOT_SERVICES_CODE          3
#define EFI_BOOT_SERVICES_DATA          4
#define EFI_RUNTIME_SERVICES_CODE       5
#define EFI_RUNTIME_SERVICES_DATA       6
#define EFI_CONVENTIONAL_MEMORY         7
#define EFI_UNUSABLE_MEMORY             8
#define EFI_ACPI_RECLAIM_MEMORY         9
#define EFI_ACPI_MEMORY_NVS             10
#define EFI_MEMORY_MAPPED_IO            11
#define EFI_MEMORY_MAPPED_IO_PORT_SPACE 12
#define EFI_PAL_CODE                    13
#define EFI_PERSISTENT_MEMORY           14
#define EFI_UNACCEPTED_MEMORY           15

/* EFI_MEMORY_DESCRIPTOR, version 1: byte offsets. Firmware may make it longer. */
#define EFI_DESC_TYPE            0
#define EFI_DESC_PHYSICAL_START  8
#define EFI_DESC_VIRTUAL_START   16
#define EFI_DESC_NUMBER_OF_PAGES 24
#define EFI_DESC_ATTRIBUTE       32
#define EFI_DESC_MIN_SIZE        40
#define EFI_PAGE_SHIFT           12
_Static_assert(EFI_DESC_ATTRIBUTE + 8 == EFI_DESC_MIN_SIZE, "EFI_MEMORY_DESCRIPTOR v1 layout");

/* Attribute: the region must be mapped for runtime services. */
#define EFI_MEMORY_RUNTIME (1ULL << 63)

/*
 * The mem_type for a descriptor, as seen after ExitBootServices: loader and
 * boot-services memory and conventional memory are usable (boot-services
 * memory stays reserved while bs_active says boot services still run);
 * runtime-services code and data, MMIO, PAL code, persistent, unaccepted and
 * reserved memory, and anything with EFI_MEMORY_RUNTIME, stay reserved; ACPI
 * reclaim and NVS map to theirs; unusable memory is MEM_BAD; unknown types are
 * reserved.
 */
uint32_t efi_mem_type(uint32_t efi_type, uint64_t attribute, int bs_active);

/*
 * Appends the regions of a UEFI memory map (map_size bytes of descriptors,
 * each desc_size bytes, stepping by desc_size) to bi->regions, merging
 * neighbours of one type (so descriptors that differ only in attributes
 * become one region). Uses bi->efi_bs_active. Returns 0, or -1 with a message
 * in bi->error for a desc_size below EFI_DESC_MIN_SIZE, a map_size that is not
 * a multiple of it, a page count that overflows, or too many regions.
 */
int bootinfo_add_efi_map(struct boot_info *bi, const void *map, uint64_t map_size,
                         uint64_t desc_size);

#endif
