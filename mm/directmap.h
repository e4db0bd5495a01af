#ifndef MM_DIRECTMAP_H
#define MM_DIRECTMAP_H

#include <stdint.h>

#include "boot/layout.h"

struct frame_allocator;

/*
 * Build the kernel's own page tables: the low 4 GiB identity mapped (the
 * kernel runs there) and all RAM below max_phys mapped again at
 * DIRECT_MAP_BASE, read/write and no-execute, with 1 GiB pages where the CPU
 * has them, else 2 MiB. Then switch CR3 to them. Returns 0 or -1.
 */
int directmap_init(struct frame_allocator *fa, uint64_t max_phys);

/* Bytes covered by the direct map, and whether it uses 1 GiB pages. */
uint64_t directmap_size(void);
int directmap_uses_1g_pages(void);

static inline void *phys_to_virt(uint64_t phys)
{
	return (void *)(uintptr_t)(DIRECT_MAP_BASE + phys);
}

static inline uint64_t virt_to_phys(const void *virt)
{
	return (uint64_t)(uintptr_t)virt - DIRECT_MAP_BASE;
}

#endif
