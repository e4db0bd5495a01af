/* Multiboot header constants: v1 (Multiboot Specification 0.6.96 §3.1) and v2
 * (Multiboot2 Specification 2.0 §3.1). Shared by C and assembly. */
#ifndef GUESTS_MULTIBOOT_H
#define GUESTS_MULTIBOOT_H

#define MB1_HEADER_MAGIC    0x1badb002
#define MB1_FLAG_PAGE_ALIGN (1 << 0)
#define MB1_FLAG_MEMINFO    (1 << 1)
#define MB1_FLAG_AOUT       (1 << 16) /* header_addr .. entry_addr follow the checksum */
#define MB1_HEADER_FLAGS    (MB1_FLAG_PAGE_ALIGN | MB1_FLAG_MEMINFO) /* no a.out kludge */
#define MB1_HEADER_CHECKSUM (-(MB1_HEADER_MAGIC + MB1_HEADER_FLAGS))
#define MB1_AOUT_FLAGS      (MB1_HEADER_FLAGS | MB1_FLAG_AOUT)
#define MB1_AOUT_CHECKSUM   (-(MB1_HEADER_MAGIC + MB1_AOUT_FLAGS))

#define MB2_HEADER_MAGIC      0xe85250d6
#define MB2_ARCH_I386         0
#define MB2_HTAG_END          0
#define MB2_HTAG_INFO_REQ     1
#define MB2_HTAG_MODULE_ALIGN 6

/* Boot information tag types (Multiboot2 §3.6). */
#define MB2_TAG_END         0
#define MB2_TAG_CMDLINE     1
#define MB2_TAG_LOADER_NAME 2
#define MB2_TAG_MODULE      3
#define MB2_TAG_MEMINFO     4
#define MB2_TAG_MMAP        6

#define BOOT_STACK_SIZE 16384

#endif
