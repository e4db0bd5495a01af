#ifndef BOOT_MB2_PARSE_H
#define BOOT_MB2_PARSE_H

#include "boot/bootinfo.h"

/*
 * Fills bi from a multiboot 2 information structure (8-byte aligned, at most
 * MB2_INFO_MAX_SIZE bytes). The boot path is MB2 UEFI when an EFI tag (11,
 * 12, 17, 18, 19 or 20) is present, else MB2 BIOS. The EFI memory map (tag
 * 17) is preferred over the multiboot one (tag 6). Every length and offset is
 * checked against total_size: returns 0, or -1 with the tag type, its offset
 * and the bad field in bi->error.
 */
int bootinfo_from_mb2(struct boot_info *bi, const void *mbi);

#endif
