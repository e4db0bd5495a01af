/*
 * Multiboot loader for guest kernels: Multiboot Specification 0.6.96 (v1) and 2.0 (v2),
 * ELF32/ELF64 images and the a.out-kludge address fields. Pure logic, no hardware: guest
 * RAM is reached only through struct load_mem, so the loader builds and is tested on
 * the host (tests/unit/mbload/).
 *
 * Guest-physical layout it produces (RAM is [0, ram_bytes), one block from 0):
 *   [0, 0x8000)            untouched (page 0 is ordinary RAM)
 *   [0x8000, 0x9f000)      the loader's area: multiboot information, memory map, module
 *                          list, every string (MBLOAD_INFO_GPA .. MBLOAD_INFO_END)
 *   [0x9fc00, 0x100000)    reported reserved (EBDA, VGA, ROM) in the memory map
 *   [1 MiB, kernel end)    the kernel image, BSS included; no segment may lie below 1 MiB
 *   [page-aligned, ...)    each module, page aligned, after the kernel image
 * The guest starts in 32-bit protected mode with paging off, EIP = entry, EAX = the boot
 * magic, EBX = the information's address (v1 §3.2, v2 §3.3): the caller sets that state.
 */
#ifndef VMX_MBLOAD_H
#define VMX_MBLOAD_H

#include <stdbool.h>
#include <stdint.h>

#include "vmx/load/load_mem.h"

#define MBLOAD_INFO_GPA       0x8000u      /* first byte of the loader's information area */
#define MBLOAD_INFO_END       0x9f000u     /* end of it (below the EBDA at 0x9fc00) */
#define MBLOAD_KERNEL_MIN     0x100000u    /* lowest address a kernel segment may use */
#define MBLOAD_RAM_MIN        (2u << 20)   /* smallest guest RAM the loader accepts */
#define MBLOAD_RAM_MAX        (3ull << 30) /* largest: below it no PCI hole is described */
#define MBLOAD_MAX_MODULES    32u
#define MBLOAD_MAX_SEGMENTS   32u /* PT_LOAD segments with a size */
#define MBLOAD_MB1_BOOT_MAGIC 0x2badb002u
#define MBLOAD_MB2_BOOT_MAGIC 0x36d76289u
#define MBLOAD_LOADER_NAME    "hv-x86"


/* A module handed to the guest: its bytes and its command line (may be 0). */
struct mbload_module {
	const uint8_t *data;
	uint64_t size;
	const char *cmdline;
};

struct mbload_request {
	const uint8_t *image; /* the kernel file */
	uint64_t size;
	const char *cmdline; /* the kernel's command line (may be 0) */
	const struct mbload_module *modules;
	uint32_t module_count;
};

enum mbload_format { MBLOAD_ELF32, MBLOAD_ELF64, MBLOAD_AOUT_KLUDGE };

struct mbload_result {
	uint32_t entry;   /* EIP */
	uint32_t eax;     /* boot magic */
	uint32_t ebx;     /* multiboot information, guest-physical */
	uint32_t version; /* 1 or 2: the header the loader used */
	enum mbload_format format;
	uint32_t header_offset;              /* file offset of the header used */
	uint64_t image_start, image_end;     /* what the kernel occupies, BSS included */
	uint64_t info_start, info_end;       /* the information area used */
	uint64_t modules_start, modules_end; /* modules_start == modules_end: none */
};

/*
 * Load req's kernel into mem, copy its modules, build the multiboot information.
 * true and *res filled, or false with a one-line reason in why (the caller logs
 * "vmx: guest <name>: image refused: <why>"). Guest RAM may be partly written even when
 * the image is refused; nothing outside [0, mem->ram_bytes) is ever written.
 */
bool mbload(const struct load_mem *mem, const struct mbload_request *req,
            struct mbload_result *res, char *why, uint32_t why_len);

/* "multiboot1" / "multiboot2" and "ELF32" / "ELF64" / "a.out kludge", for log lines. */
const char *mbload_version_name(const struct mbload_result *res);
const char *mbload_format_name(const struct mbload_result *res);

#endif
