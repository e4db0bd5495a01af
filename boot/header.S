/*
 * Multiboot headers. The multiboot2 header is what GRUB uses; the multiboot1
 * header lets QEMU's -kernel load the ELF32 copy (build/hv32.elf). Both must
 * sit near the start of the image (MB1: first 8 KiB, MB2: first 32 KiB), so
 * the linker script puts .multiboot first.
 */
#include "boot/layout.h"

#define MB1_HEADER_MAGIC 0x1badb002
#define MB1_FLAG_PAGE_ALIGN (1 << 0) /* modules on page boundaries */
#define MB1_FLAG_MEMINFO (1 << 1)    /* mem_* and mmap_* fields wanted */
#define MB1_FLAGS (MB1_FLAG_PAGE_ALIGN | MB1_FLAG_MEMINFO)

#define MB2_HEADER_MAGIC 0xe85250d6
#define MB2_ARCH_I386 0
#define MB2_TAG_END 0
#define MB2_TAG_INFO_REQUEST 1
#define MB2_TAG_MODULE_ALIGN 6
#define MB2_TAG_OPTIONAL 1

#define MB2_INFO_MMAP 6
#define MB2_INFO_EFI_MMAP 17

	.section .multiboot, "a"
	.balign 4
mb1_header:
	.long MB1_HEADER_MAGIC
	.long MB1_FLAGS
	.long -(MB1_HEADER_MAGIC + MB1_FLAGS)

	.balign 8
mb2_header:
	.long MB2_HEADER_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header
	.long -(MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))

	/* Ask for the memory maps; optional so GRUB never refuses to boot.
	 * No "EFI boot services" tag: GRUB exits boot services for us. */
	.balign 8
mb2_info_request:
	.short MB2_TAG_INFO_REQUEST
	.short MB2_TAG_OPTIONAL
	.long mb2_info_request_end - mb2_info_request
	.long MB2_INFO_MMAP
	.long MB2_INFO_EFI_MMAP
mb2_info_request_end:

	.balign 8
	.short MB2_TAG_MODULE_ALIGN
	.short MB2_TAG_OPTIONAL
	.long 8

	.balign 8
	.short MB2_TAG_END
	.short 0
	.long 8
mb2_header_end:
