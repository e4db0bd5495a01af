/*
 * The Linux/x86 boot protocol's data (Documentation/arch/x86/boot.rst, "The real-mode
 * kernel header", "Details of header fields"; Documentation/arch/x86/zero-page.rst): the
 * setup header, found at the same offsets in a bzImage file and in the zero page
 * (struct boot_params, 4 KiB), and the zero-page fields outside it that this loader
 * writes. Offsets are from the start of the file / zero page; sizes in the comments.
 */
#ifndef VMX_LOAD_LINUX_PARAMS_H
#define VMX_LOAD_LINUX_PARAMS_H

#include <stdint.h>

/* Setup header fields (boot.rst, "The real-mode kernel header"). */
#define BP_SETUP_SECTS        0x1f1u /* 1: setup sectors after the boot sector; 0 means 4 */
#define BP_SYSSIZE            0x1f4u /* 4: protected-mode code in 16-byte paragraphs */
#define BP_VID_MODE           0x1fau /* 2 */
#define BP_BOOT_FLAG          0x1feu /* 2: 0xaa55 */
#define BP_JUMP               0x200u /* 2: short jump over the header */
#define BP_HEADER             0x202u /* 4: "HdrS" */
#define BP_VERSION            0x206u /* 2: protocol version, major << 8 | minor */
#define BP_KERNEL_VERSION     0x20eu /* 2: version string's offset - 0x200 */
#define BP_TYPE_OF_LOADER     0x210u /* 1 */
#define BP_LOADFLAGS          0x211u /* 1 */
#define BP_CODE32_START       0x214u /* 4 */
#define BP_RAMDISK_IMAGE      0x218u /* 4 */
#define BP_RAMDISK_SIZE       0x21cu /* 4 */
#define BP_HEAP_END_PTR       0x224u /* 2 */
#define BP_EXT_LOADER_VER     0x226u /* 1 */
#define BP_EXT_LOADER_TYPE    0x227u /* 1 */
#define BP_CMD_LINE_PTR       0x228u /* 4 */
#define BP_INITRD_ADDR_MAX    0x22cu /* 4: highest address the initrd may occupy */
#define BP_KERNEL_ALIGNMENT   0x230u /* 4 */
#define BP_RELOCATABLE_KERNEL 0x234u /* 1 */
#define BP_XLOADFLAGS         0x236u /* 2 */
#define BP_CMDLINE_SIZE       0x238u /* 4: longest command line, NUL excluded */
#define BP_HARDWARE_SUBARCH   0x23cu /* 4 */
#define BP_SETUP_DATA         0x250u /* 8: physical address of a setup_data list */
#define BP_PREF_ADDRESS       0x258u /* 8 */
#define BP_INIT_SIZE          0x260u /* 4: linear memory the kernel needs at its start */

/*
 * The header ends at 0x202 + the byte at 0x201 (the short jump's displacement, boot.rst
 * "The real-mode kernel header"). This loader reads up to init_size, so the header must
 * reach 0x264; it may not go past 0x290, where boot_params' edd_mbr_sig_buffer begins.
 */
#define BP_HDR_END_BASE 0x202u
#define BP_JUMP_DISP    0x201u
#define BP_HDR_MIN_END  0x264u
#define BP_HDR_MAX_END  0x290u

/* Zero-page fields outside the setup header (zero-page.rst). */
#define BP_EXT_RAMDISK_IMAGE 0x0c0u /* 4: ramdisk_image bits 63:32 */
#define BP_EXT_RAMDISK_SIZE  0x0c4u /* 4 */
#define BP_EXT_CMD_LINE_PTR  0x0c8u /* 4 */
#define BP_E820_ENTRIES      0x1e8u /* 1 */
#define BP_E820_TABLE        0x2d0u /* 128 x {u64 addr, u64 size, u32 type} */
#define BP_E820_MAX          128u
#define BP_E820_ENTRY_BYTES  20u
#define BP_ZERO_PAGE_BYTES   4096u

_Static_assert(BP_E820_TABLE + BP_E820_MAX * BP_E820_ENTRY_BYTES == 0xcd0u,
               "e820_table ends where zero-page.rst puts the next field");
_Static_assert(BP_HDR_MAX_END <= BP_E820_TABLE, "the setup header lies below the E820 table");
_Static_assert(BP_E820_ENTRIES < BP_SETUP_SECTS, "e820_entries lies below the setup header");

/* Field values. */
#define BP_HDRS_MAGIC         0x53726448u /* "HdrS" read as a little-endian u32 */
#define BP_BOOT_FLAG_MAGIC    0xaa55u
#define BP_MIN_VERSION        0x020cu /* 2.12: xloadflags; every 2.10 field present */
#define BP_DEFAULT_SETUP_SECT 4u
#define BP_SECTOR_BYTES       512u
#define BP_PARAGRAPH_BYTES    16u
#define BP_LOADED_HIGH        (1u << 0) /* protected-mode code at 0x100000 or above */
#define BP_CAN_USE_HEAP       (1u << 7) /* heap_end_ptr is valid */
#define BP_VID_MODE_NORMAL    0xffffu
#define BP_LOADER_UNDEFINED   0xffu     /* type_of_loader: no registered ID (boot.rst) */
#define BP_DEFAULT_LOAD       0x100000u /* a non-relocatable bzImage's code32_start */
#define BP_SUBARCH_PC         0u

static inline uint32_t bp_version_major(uint32_t version)
{
	return version >> 8;
}

static inline uint32_t bp_version_minor(uint32_t version)
{
	return version & 0xffu;
}

#endif
