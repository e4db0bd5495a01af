#ifndef BOOT_MB1_PARSE_H
#define BOOT_MB1_PARSE_H

#include "boot/bootinfo.h"

/*
 * Fills bi from a multiboot 1 information structure (boot path MB1). Its
 * 32-bit physical pointers (command line, modules, memory map) are read
 * through bootinfo_phys(). The memory map comes from the mmap fields, or,
 * when the loader gave none, from mem_lower / mem_upper. Nothing is trusted:
 * returns 0, or -1 with the bad field named in bi->error.
 */
int bootinfo_from_mb1(struct boot_info *bi, const void *mbi);

#endif
