#ifndef VMX_GUEST_LOAD_H
#define VMX_GUEST_LOAD_H

#include <stdint.h>

#include "vmx/guest_mem.h"

/* Where the loader puts the guest's multiboot information (low RAM). */
#define GUEST_MBI_GPA 0x9000u
#define GUEST_CMDLINE_GPA 0x9800u
#define GUEST_MB1_MAGIC 0x2badb002u

struct guest_entry {
	uint64_t rip; /* entry point, 32-bit protected mode, paging off */
	uint64_t rax; /* multiboot magic */
	uint64_t rbx; /* multiboot information, guest-physical */
};

/*
 * Load a multiboot1 kernel image (ELF32 or ELF64 with a multiboot1 header in
 * its first 8 KiB) into guest RAM and build its multiboot information.
 * Returns 0, or -1 with the reason in why (e.g. "no multiboot header",
 * "segment 2 at 0x... outside guest RAM").
 */
int guest_load_multiboot(struct guest_mem *gm, const uint8_t *image, uint64_t size,
			 const char *cmdline, struct guest_entry *entry, char *why,
			 uint64_t why_len);

#endif
