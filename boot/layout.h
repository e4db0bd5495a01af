/*
 * Addresses and sizes shared by the linker script, the assembly entry and C.
 * Included by linker.ld (through cpp), by .S files and by C.
 */
#ifndef BOOT_LAYOUT_H
#define BOOT_LAYOUT_H

/* The kernel runs where the loader put it (identity mapped): 2 MiB, so that
 * the image starts on a large-page boundary and stays clear of the BIOS area
 * and of the low memory UEFI firmware likes to use. */
#define KERNEL_PHYS_BASE 0x200000

#define PAGE_SIZE       4096
#define BOOT_STACK_SIZE 16384
#define IST_STACK_SIZE  8192

/* All RAM is also mapped here, read/write and never executable. */
#define DIRECT_MAP_BASE 0xffff888000000000

/* Multiboot magic values handed over in EAX (multiboot 1 spec §3.2,
 * multiboot 2 spec §3.3). */
#define MB1_BOOT_MAGIC 0x2badb002
#define MB2_BOOT_MAGIC 0x36d76289

#endif
