/*
 * Loaders for Linux kernels: the 32-bit boot protocol for a bzImage
 * (Documentation/arch/x86/boot.rst, protocol 2.12 and newer) and the PVH boot ABI for an
 * uncompressed vmlinux ELF carrying the Xen PHYS32_ENTRY note (Xen docs/misc/pvh.pandoc).
 * Pure logic: guest RAM is reached only through struct load_mem, so both build and are
 * tested on the host (tests/unit/linuxload/).
 *
 * Guest-physical layout (RAM is [0, ram_bytes), 2 MiB .. 3 GiB; map in vmx/load/e820.h):
 *   [0, 0x10000)           untouched
 *   [0x10000, 0x11000)     bzImage: the zero page (struct boot_params)
 *                          PVH: hvm_start_info at 0x10000, its module list at 0x10100,
 *                          its memory map at 0x10c00
 *   [0x11000, 0x11020)     the GDT: null, null, 0x10 flat 4 GiB code, 0x18 flat data
 *   [0x12000, 0x20000)     the command line (NUL-terminated); PVH: the modules' command
 *                          lines after it
 *   [0x9fc00, 0x100000)    the EBDA and ROM area, reserved in the map; never written
 *   [1 MiB, ...)           bzImage: the protected-mode code at its load address, which
 *                          the kernel may use up to load + init_size
 *                          PVH: every PT_LOAD segment at its p_paddr, BSS zeroed
 *   [page aligned, ...)    the initrd (PVH: every module), as high as the limits allow
 *                          and outside the kernel's range
 * Entry: 32-bit protected mode, paging off, interrupts off, CS = 0x10 and DS = ES = FS =
 * GS = SS = 0x18 from the GDT above. bzImage: EIP = the load address (startup_32),
 * ESI = the zero page, EBP = EDI = EBX = 0 (boot.rst, "32-bit boot protocol"). PVH:
 * EIP = the note's entry, EBX = hvm_start_info, TR a busy 32-bit TSS at 0, limit 0x67.
 */
#ifndef VMX_LOAD_LINUX_BOOT_H
#define VMX_LOAD_LINUX_BOOT_H

#include <stdbool.h>
#include <stdint.h>

#include "vmx/load/loader.h"

#define LINUX_INFO_GPA        0x10000u /* zero page / hvm_start_info */
#define LINUX_PVH_MODLIST_GPA 0x10100u
#define LINUX_PVH_MEMMAP_GPA  0x10c00u
#define LINUX_GDT_GPA         0x11000u
#define LINUX_CMDLINE_GPA     0x12000u
#define LINUX_AREA_END        0x20000u /* end of the loader's area */
#define LINUX_BOOT_CS         0x10u    /* __BOOT_CS (boot.rst) */
#define LINUX_BOOT_DS         0x18u    /* __BOOT_DS */
#define LINUX_GDT_ENTRIES     4u
#define LINUX_PVH_MAX_MODULES 32u

_Static_assert(LINUX_PVH_MODLIST_GPA + LINUX_PVH_MAX_MODULES * 32u <= LINUX_PVH_MEMMAP_GPA,
               "the PVH module list fits below the memory map");

/* True when the image has the boot flag at 0x1fe and "HdrS" at 0x202. */
bool linux_is_bzimage(const uint8_t *image, uint64_t size);

/*
 * Load a bzImage by the 32-bit boot protocol: module 0 (if any) is the initrd, more
 * modules are refused. Same contract as load_image().
 */
bool linux_bzimage_load(const struct load_mem *mem, const struct load_request *req,
                        struct load_result *res, char *why, uint32_t why_len);

/* True when the image is an x86 ELF whose PT_NOTE segments hold a PVH entry note. */
bool linux_pvh_has_note(const uint8_t *image, uint64_t size);

/* Load an ELF by the PVH boot ABI, every module in the module list (the initrd first). */
bool linux_pvh_load(const struct load_mem *mem, const struct load_request *req,
                    struct load_result *res, char *why, uint32_t why_len);

#endif
