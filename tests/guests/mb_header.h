/*
 * The multiboot header of a guest kernel, for its entry file (entry32.S, entry64.S):
 *   default        multiboot1, ELF (page align + meminfo)
 *   GUEST_AOUT     multiboot1 with the a.out kludge: the loader takes the addresses from
 *                  the header (the image is a flat binary, see guest-aout.ld)
 *   GUEST_MB2      multiboot2: an information request (command line, modules, basic
 *                  memory information, memory map) and page-aligned modules
 * Assembly only.
 */
#ifndef GUESTS_MB_HEADER_H
#define GUESTS_MB_HEADER_H

#include "tests/guests/multiboot.h"

#ifdef __ASSEMBLER__
/* Assembler macros: not C, so clang-format must leave them alone. */
/* clang-format off */
.macro MULTIBOOT_HEADER
	.section .multiboot, "a"
#if defined(GUEST_MB2)
	.p2align 3
mb2_header:
	.long MB2_HEADER_MAGIC, MB2_ARCH_I386, mb2_header_end - mb2_header
	.long -(MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	.p2align 3
	.short MB2_HTAG_INFO_REQ, 0
	.long 24
	.long MB2_TAG_CMDLINE, MB2_TAG_MODULE, MB2_TAG_MEMINFO, MB2_TAG_MMAP
	.p2align 3
	.short MB2_HTAG_MODULE_ALIGN, 0
	.long 8
	.p2align 3
	.short MB2_HTAG_END, 0
	.long 8
mb2_header_end:
#elif defined(GUEST_AOUT)
	.p2align 2
mb1_header:
	.long MB1_HEADER_MAGIC, MB1_AOUT_FLAGS, MB1_AOUT_CHECKSUM
	/* header_addr, load_addr, load_end_addr, bss_end_addr, entry_addr */
	.long mb1_header, __image_start, __load_end, _end, _start
#else
	.p2align 2
	.long MB1_HEADER_MAGIC, MB1_HEADER_FLAGS, MB1_HEADER_CHECKSUM
#endif
.endm
/* clang-format on */
#endif

#endif
