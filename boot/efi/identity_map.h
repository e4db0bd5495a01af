/*
 * The page tables the kernel starts on: the low 4 GiB identity mapped with
 * 2 MiB pages, as boot/entry32.S builds them for the multiboot paths. The
 * firmware's own tables live in boot-services memory, which is free RAM once
 * boot services have exited, so the kernel could hand out the very frames it
 * is running on; ours live in loader memory the kernel reserves
 * (boot_info.loader_info_*). Intel SDM Vol. 3A section 4.5 (4-level paging).
 * Pure C (host tested).
 */
#ifndef BOOT_EFI_IDENTITY_MAP_H
#define BOOT_EFI_IDENTITY_MAP_H

#include <stdint.h>

#define IDMAP_GIB   4
#define IDMAP_PAGES (2 + IDMAP_GIB) /* PML4, PDPT, one PD per GiB */

/*
 * Fills IDMAP_PAGES 4 KiB pages at tables (whose physical address is phys)
 * and returns the PML4's physical address, the value for CR3.
 */
uint64_t identity_map_build(uint64_t *tables, uint64_t phys);

#endif
