/*
 * Helpers shared by the parsers that fill struct boot_info (multiboot 1 and
 * 2, the UEFI memory map, the EFI loader): bounded copies, appending regions
 * and modules, error messages, and reaching loader data by physical address.
 */
#ifndef BOOT_BOOTINFO_BUILD_H
#define BOOT_BOOTINFO_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "boot/bootinfo.h"

#define BOOTINFO_PHYS_LIMIT 0x100000000ULL /* loaders hand over 32-bit addresses */

/*
 * A pointer to len bytes of loader data at physical address pa, or NULL if
 * the range is empty of meaning (pa 0) or does not lie entirely below 4 GiB.
 * The kernel runs the parsers with the low 4 GiB identity mapped, so by
 * default the pointer is pa itself; host tests set bootinfo_phys_hook to map
 * physical addresses into a buffer (and to refuse what lies outside it).
 */
const void *bootinfo_phys(uint64_t pa, uint64_t len);
extern const void *(*bootinfo_phys_hook)(uint64_t pa, uint64_t len);

/* Clears bi and sets its boot path. */
void bootinfo_init(struct boot_info *bi, uint32_t path);

/* Formats the reason into bi->error; returns -1 so callers can `return bootinfo_fail(...)`. */
int bootinfo_fail(struct boot_info *bi, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Appends a region (unknown types become MEM_RESERVED; empty ones are
 * skipped), merging it into an existing region of the same type it touches.
 * Fails when BOOT_MAX_REGIONS regions are already in use.
 */
int bootinfo_add_region(struct boot_info *bi, uint64_t base, uint64_t length, uint32_t type);

/* Appends a module [start, end) with its command line (copied, truncated). */
int bootinfo_add_module(struct boot_info *bi, uint64_t start, uint64_t end, const char *cmdline,
                        size_t cmdline_max);

/* Copies at most src_max bytes of a string, stopping at NUL, truncating to cap - 1. */
void bootinfo_copy_string(char *dst, size_t cap, const char *src, size_t src_max);

/* Little-endian loads from possibly unaligned loader data. */
static inline uint32_t bootinfo_rd32(const void *p)
{
	uint32_t v;
	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint64_t bootinfo_rd64(const void *p)
{
	uint64_t v;
	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

#endif
