/*
 * Kernel memory bring-up: from the boot loader's map to a running frame
 * allocator and direct map.
 */
#include "mm/kmem.h"
#include "arch/x86/printf.h"
#include "boot/kernel.h"
#include "mm/directmap.h"
#include "mm/memmap.h"

#define LOW_MEMORY_END 0x100000ull    /* BIOS data, real-mode IVT, option ROMs */
#define META_LIMIT     0x100000000ull /* metadata must be reachable before the direct map */
#define MAX_AVOID      (4 + BOOT_MAX_MODULES)
#define MIB            (1024ull * 1024ull)

static struct mem_region normalized[BOOT_MAX_REGIONS];
static uint32_t normalized_count;
static struct frame_allocator frames;

struct frame_allocator *kmem_frames(void)
{
	return &frames;
}

static const char *type_name(uint32_t type)
{
	switch (type) {
	case MEM_USABLE:
		return "usable";
	case MEM_ACPI_RECLAIM:
		return "acpi-reclaim";
	case MEM_ACPI_NVS:
		return "acpi-nvs";
	case MEM_BAD:
		return "bad";
	default:
		return "reserved";
	}
}

static void print_map(void)
{
	for (uint32_t i = 0; i < normalized_count; i++) {
		const struct mem_region *r = &normalized[i];
		printf("mm:   %016lx-%016lx %s\n", (unsigned long)r->base,
		       (unsigned long)(r->base + r->length - 1), type_name(r->type));
	}
}

/* Everything the allocator must never hand out, besides non-usable memory. */
static uint32_t collect_reserved(const struct boot_info *bi, struct mem_range *avoid)
{
	uint32_t n = 0;
	avoid[n++] = (struct mem_range){0, LOW_MEMORY_END};
	avoid[n++] = (struct mem_range){(uint64_t)(uintptr_t)__kernel_start,
	                                (uint64_t)(__kernel_end - __kernel_start)};
	if (bi->loader_info_end > bi->loader_info_start)
		avoid[n++] = (struct mem_range){bi->loader_info_start,
		                                bi->loader_info_end - bi->loader_info_start};
	for (uint32_t i = 0; i < bi->module_count; i++) {
		const struct boot_module *m = &bi->modules[i];
		if (m->end > m->start)
			avoid[n++] = (struct mem_range){m->start, m->end - m->start};
	}
	return n;
}

static uint64_t highest_address(void)
{
	uint64_t top = 0;
	for (uint32_t i = 0; i < normalized_count; i++) {
		uint64_t end = normalized[i].base + normalized[i].length;
		if (normalized[i].type == MEM_USABLE && end > top)
			top = end;
	}
	return top;
}

static int start_allocator(const struct boot_info *bi)
{
	struct mem_range avoid[MAX_AVOID];
	uint32_t navoid = collect_reserved(bi, avoid);
	uint64_t meta_bytes = frame_meta_bytes(normalized, normalized_count);
	uint64_t meta = memmap_place(normalized, normalized_count, meta_bytes, PAGE_SIZE,
	                             LOW_MEMORY_END, avoid, navoid);

	if (!meta || meta + meta_bytes > META_LIMIT) {
		printf("mm: no room below 4 GiB for %lu bytes of allocator metadata\n",
		       (unsigned long)meta_bytes);
		return -1;
	}
	if (frame_init(&frames, normalized, normalized_count, (void *)(uintptr_t)meta,
	               meta_bytes) != 0) {
		printf("mm: frame allocator refused the memory map\n");
		return -1;
	}
	for (uint32_t i = 0; i < navoid; i++)
		frame_reserve(&frames, avoid[i].base, avoid[i].length);
	frame_reserve(&frames, meta, meta_bytes);
	printf("mm: allocator metadata %lu KiB at %016lx\n", (unsigned long)(meta_bytes / 1024),
	       (unsigned long)meta);
	return 0;
}

int kmem_init(const struct boot_info *bi)
{
	char err[128];
	int n = memmap_normalize(bi->regions, bi->region_count, normalized, BOOT_MAX_REGIONS, err,
	                         sizeof(err));
	if (n < 0) {
		printf("mm: bad memory map: %s\n", err);
		return -1;
	}
	normalized_count = (uint32_t)n;
	printf("mm: memory map: %u entries from the loader, %u after normalizing\n",
	       bi->region_count, normalized_count);
	print_map();
	if (start_allocator(bi))
		return -1;
	if (directmap_init(&frames, highest_address()) != 0) {
		printf("mm: cannot build the direct map (no page-table frame below 4 GiB)\n");
		return -1;
	}
	struct frame_stats st = frame_stats(&frames);
	printf(
	    "mm: %lu MiB usable, %lu free frames of %lu (%lu KiB reserved), high watermark %lu\n",
	    (unsigned long)(memmap_usable_bytes(normalized, normalized_count) / MIB),
	    (unsigned long)st.free_frames, (unsigned long)st.total_frames,
	    (unsigned long)(st.reserved_frames * 4), (unsigned long)st.high_watermark);
	printf("mm: direct map %lu MiB at %016lx with %s pages, NX\n",
	       (unsigned long)(directmap_size() / MIB), (unsigned long)DIRECT_MAP_BASE,
	       directmap_uses_1g_pages() ? "1 GiB" : "2 MiB");
	return 0;
}
