/*
 * Physical memory maps: turning what a boot loader or firmware reports into a
 * clean map the frame allocator can trust, and finding room in it.
 *
 * A normalized map is sorted by base, its regions do not overlap, adjacent
 * regions of the same type are merged, and usable regions start and end on
 * 4 KiB boundaries. Only types of enum mem_type (boot/bootinfo.h) appear.
 */
#ifndef MM_MEMMAP_H
#define MM_MEMMAP_H

#include <stddef.h>
#include <stdint.h>

#include "boot/bootinfo.h"

#define MEMMAP_PAGE_SIZE 4096ULL

/*
 * The highest exclusive end a region may have. The last page of the 64-bit
 * space is left out so that every end fits in a uint64_t.
 */
#define MEMMAP_ADDR_LIMIT (0ULL - MEMMAP_PAGE_SIZE)

/* A plain address range, [base, base + length). */
struct mem_range {
	uint64_t base;
	uint64_t length;
};

/*
 * Normalizes n regions of in[] into out[] (at most cap entries; out must not
 * overlap in). Rules:
 *   - where regions overlap, the more restrictive type wins, by the precedence
 *     BAD > ACPI_NVS > RESERVED > ACPI_RECLAIM > USABLE (memmap_type_rank());
 *   - type numbers outside enum mem_type are treated as MEM_RESERVED;
 *   - zero-length entries are dropped;
 *   - an entry whose base + length wraps past 2^64 is refused if it is usable
 *     (a corrupt map could otherwise hand out memory that does not exist) and
 *     clipped to MEMMAP_ADDR_LIMIT otherwise; so is any end beyond the limit;
 *   - usable regions are shrunk inward to 4 KiB alignment (dropped if nothing
 *     is left), after overlaps are resolved and neighbours merged.
 * Returns the number of regions written, or -1 with a message in err (which
 * may be NULL) when n is 0, there are more than cap regions, an entry wraps,
 * or no usable memory is left.
 * Cost: O(n^2) time, no memory beyond out[] (a sweep over all boundaries).
 */
int memmap_normalize(const struct mem_region *in, uint32_t n, struct mem_region *out, uint32_t cap,
                     char *err, size_t errlen);

/* Precedence of a type when regions overlap: higher wins. Unknown types rank as reserved. */
uint32_t memmap_type_rank(uint32_t type);

/* The type a raw type number stands for: itself if known, else MEM_RESERVED. */
uint32_t memmap_known_type(uint32_t type);

/* Bytes of MEM_USABLE memory in a normalized map. */
uint64_t memmap_usable_bytes(const struct mem_region *map, uint32_t n);

/*
 * Finds the lowest range of size bytes (rounded up to 4 KiB), aligned to align
 * (a power of two; values below 4 KiB mean 4 KiB), inside one usable region of
 * the normalized map, at or above min_addr, that overlaps none of the navoid
 * ranges in avoid[]. Never returns address 0: returns 0 when nothing fits.
 * Cost: O(n * navoid^2) in the worst case.
 */
uint64_t memmap_place(const struct mem_region *map, uint32_t n, uint64_t size, uint64_t align,
                      uint64_t min_addr, const struct mem_range *avoid, uint32_t navoid);

#endif
