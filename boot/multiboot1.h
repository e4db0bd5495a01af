/*
 * The multiboot 1 information structure as the loader hands it over (Multiboot
 * Specification 0.6.96, section 3.3), as byte offsets: every field is read
 * with a bounds-checked load, never through a C struct laid over loader data.
 */
#ifndef BOOT_MULTIBOOT1_H
#define BOOT_MULTIBOOT1_H

/* Offsets in the information structure. */
#define MB1_INFO_FLAGS       0
#define MB1_INFO_MEM_LOWER   4 /* KiB from 0, at most 640 */
#define MB1_INFO_MEM_UPPER   8 /* KiB from 1 MiB */
#define MB1_INFO_CMDLINE     16
#define MB1_INFO_MODS_COUNT  20
#define MB1_INFO_MODS_ADDR   24
#define MB1_INFO_MMAP_LENGTH 44
#define MB1_INFO_MMAP_ADDR   48
#define MB1_INFO_SIZE        116 /* up to the end of the framebuffer fields */

/* Bits of flags saying which fields are valid. */
#define MB1_FLAG_MEM     (1u << 0)
#define MB1_FLAG_CMDLINE (1u << 2)
#define MB1_FLAG_MODS    (1u << 3)
#define MB1_FLAG_MMAP    (1u << 6)

/* A module entry: mod_start, mod_end (exclusive), string, reserved. */
#define MB1_MOD_START  0
#define MB1_MOD_END    4
#define MB1_MOD_STRING 8
#define MB1_MOD_SIZE   16

/*
 * A memory-map entry: a size field that does not count itself, then
 * base_addr, length and type; the next entry starts size + 4 bytes later.
 */
#define MB1_MMAP_SIZE     0
#define MB1_MMAP_BASE     4
#define MB1_MMAP_LENGTH   12
#define MB1_MMAP_TYPE     20
#define MB1_MMAP_MIN_SIZE 20 /* base + length + type */
#ifndef __ASSEMBLER__
_Static_assert(MB1_MMAP_TYPE + 4 == 4 + MB1_MMAP_MIN_SIZE, "mb1 mmap entry layout");
#endif

/* Sanity limits on what a loader can plausibly hand over. */
#define MB1_MMAP_MAX_LENGTH   (1u << 20)
#define MB1_MEM_LOWER_MAX_KIB 640

#endif
