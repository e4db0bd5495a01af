/* Multiboot v1 header constants (Multiboot Specification 0.6.96 §3.1). */
#ifndef GUESTS_MULTIBOOT_H
#define GUESTS_MULTIBOOT_H

#define MB1_HEADER_MAGIC    0x1badb002
#define MB1_FLAG_PAGE_ALIGN (1 << 0)
#define MB1_FLAG_MEMINFO    (1 << 1)
#define MB1_HEADER_FLAGS    (MB1_FLAG_PAGE_ALIGN | MB1_FLAG_MEMINFO) /* no a.out kludge */
#define MB1_HEADER_CHECKSUM (-(MB1_HEADER_MAGIC + MB1_HEADER_FLAGS))

#define BOOT_STACK_SIZE 16384

#endif
