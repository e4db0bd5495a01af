/*
 * Places the kernel embedded in the loader at the physical addresses of its
 * PT_LOAD segments (boot/layout.h: 2 MiB up), where it runs identity mapped.
 */
#ifndef BOOT_EFI_KERNEL_LOAD_H
#define BOOT_EFI_KERNEL_LOAD_H

#include <efi.h>

#include "boot/efi/elf_image.h"

/*
 * Allocates each segment's pages at its address (AllocateAddress; code as
 * EfiLoaderCode, which firmware leaves executable, data as EfiLoaderData),
 * copies the file bytes and zeroes the rest (BSS). Returns EFI_LOAD_ERROR,
 * with a message, when the firmware holds any of that memory.
 */
EFI_STATUS kernel_load(const struct elf_image *img, const uint8_t *file);

#endif
