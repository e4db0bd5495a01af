/*
 * The multiboot 2 boot information (Multiboot2 Specification 2.0, section
 * 3.6): a fixed part (total_size, reserved) followed by tags, each starting on
 * an 8-byte boundary with a type and a size, ended by a tag of type 0 and
 * size 8. Byte offsets only; all loads are bounds-checked by the parser.
 */
#ifndef BOOT_MULTIBOOT2_H
#define BOOT_MULTIBOOT2_H

#define MB2_INFO_TOTAL_SIZE 0
#define MB2_INFO_FIRST_TAG  8
#define MB2_INFO_MAX_SIZE   (1u << 20) /* far more than any loader produces */
#define MB2_TAG_ALIGN       8

/* Every tag: type, size (header included, padding excluded). */
#define MB2_TAG_TYPE        0
#define MB2_TAG_SIZE        4
#define MB2_TAG_HEADER_SIZE 8

#define MB2_TAG_TYPE_END           0
#define MB2_TAG_TYPE_CMDLINE       1
#define MB2_TAG_TYPE_MODULE        3
#define MB2_TAG_TYPE_BASIC_MEMINFO 4
#define MB2_TAG_TYPE_MMAP          6
#define MB2_TAG_TYPE_EFI32         11
#define MB2_TAG_TYPE_EFI64         12
#define MB2_TAG_TYPE_EFI_MMAP      17
#define MB2_TAG_TYPE_EFI_BS        18 /* boot services not terminated */
#define MB2_TAG_TYPE_EFI32_IH      19
#define MB2_TAG_TYPE_EFI64_IH      20

/* Tag 1: a NUL-terminated string at offset 8. */
#define MB2_CMDLINE_STRING 8

/* Tag 3: mod_start, mod_end (exclusive), then the NUL-terminated string. */
#define MB2_MODULE_START  8
#define MB2_MODULE_END    12
#define MB2_MODULE_STRING 16

/* Tag 4: mem_lower, mem_upper in KiB. */
#define MB2_MEMINFO_LOWER 8
#define MB2_MEMINFO_UPPER 12
#define MB2_MEMINFO_SIZE  16

/* Tag 6: entry_size, entry_version, then entries of entry_size bytes. */
#define MB2_MMAP_ENTRY_SIZE     8
#define MB2_MMAP_ENTRY_VERSION  12
#define MB2_MMAP_ENTRIES        16
#define MB2_MMAP_ENTRY_BASE     0
#define MB2_MMAP_ENTRY_LENGTH   8
#define MB2_MMAP_ENTRY_TYPE     16
#define MB2_MMAP_ENTRY_MIN_SIZE 24
#ifndef __ASSEMBLER__
_Static_assert(MB2_MMAP_ENTRY_TYPE + 4 <= MB2_MMAP_ENTRY_MIN_SIZE, "mb2 mmap entry layout");
#endif

/* Tags 11 and 12: the EFI system table pointer, 32 or 64 bits, at offset 8. */
#define MB2_EFI_POINTER 8

/* Tag 17: descriptor_size, descriptor_version, then the UEFI memory map. */
#define MB2_EFI_MMAP_DESC_SIZE    8
#define MB2_EFI_MMAP_DESC_VERSION 12
#define MB2_EFI_MMAP_DESCRIPTORS  16

#endif
