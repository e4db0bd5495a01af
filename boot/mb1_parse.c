/*
 * Multiboot 1 information to struct boot_info (Multiboot Specification
 * 0.6.96, section 3.3). The structure itself is reached through the pointer
 * the entry hands over; everything it points to is reached through
 * bootinfo_phys(), which refuses what is not below 4 GiB.
 */
#include "boot/mb1_parse.h"

#include "boot/bootinfo_build.h"
#include "boot/multiboot1.h"

#define MIB 0x100000ULL

/* Copies a NUL-terminated string at physical address pa, one checked byte at a time. */
static int copy_phys_string(struct boot_info *bi, char *dst, size_t cap, uint32_t pa,
                            const char *what)
{
	size_t n = 0;

	for (; n + 1 < cap; n++) {
		const char *c = bootinfo_phys((uint64_t)pa + n, 1);
		if (!c)
			return bootinfo_fail(bi, "mb1: %s at 0x%x: unreadable (outside 4 GiB)",
			                     what, pa);
		if (*c == '\0')
			break;
		dst[n] = *c;
	}
	dst[n] = '\0';
	return 0;
}

static int parse_modules(struct boot_info *bi, const uint8_t *info)
{
	uint32_t count = bootinfo_rd32(info + MB1_INFO_MODS_COUNT);
	uint32_t addr = bootinfo_rd32(info + MB1_INFO_MODS_ADDR);

	if (count == 0)
		return 0;
	if (count > BOOT_MAX_MODULES)
		return bootinfo_fail(bi, "mb1: mods_count %u > %u", count, BOOT_MAX_MODULES);
	const uint8_t *list = bootinfo_phys(addr, (uint64_t)count * MB1_MOD_SIZE);
	if (!list)
		return bootinfo_fail(bi, "mb1: mods_addr 0x%x (%u modules) outside 4 GiB", addr,
		                     count);
	for (uint32_t i = 0; i < count; i++) {
		const uint8_t *mod = list + i * MB1_MOD_SIZE;
		uint32_t start = bootinfo_rd32(mod + MB1_MOD_START);
		uint32_t end = bootinfo_rd32(mod + MB1_MOD_END);
		uint32_t string = bootinfo_rd32(mod + MB1_MOD_STRING);
		if (end < start)
			return bootinfo_fail(bi, "mb1: module %u: mod_end 0x%x < mod_start 0x%x", i,
			                     end, start);
		if (bootinfo_add_module(bi, start, end, NULL, 0) < 0)
			return -1;
		struct boot_module *m = &bi->modules[bi->module_count - 1];
		if (string && copy_phys_string(bi, m->cmdline, sizeof(m->cmdline), string,
		                               "module string") < 0)
			return -1;
	}
	return 0;
}

/* Walks the size-prefixed entries; each must fit in mmap_length exactly. */
static int parse_mmap(struct boot_info *bi, const uint8_t *info)
{
	uint32_t length = bootinfo_rd32(info + MB1_INFO_MMAP_LENGTH);
	uint32_t addr = bootinfo_rd32(info + MB1_INFO_MMAP_ADDR);

	if (length < 4 + MB1_MMAP_MIN_SIZE)
		return bootinfo_fail(bi, "mb1: mmap_length %u too small for one entry", length);
	if (length > MB1_MMAP_MAX_LENGTH)
		return bootinfo_fail(bi, "mb1: mmap_length %u too large (> %u)", length,
		                     MB1_MMAP_MAX_LENGTH);
	const uint8_t *map = bootinfo_phys(addr, length);
	if (!map)
		return bootinfo_fail(bi, "mb1: mmap_addr 0x%x length %u outside 4 GiB", addr,
		                     length);
	for (uint32_t off = 0; off < length;) {
		if (length - off < 4)
			return bootinfo_fail(
			    bi, "mb1: mmap entry at offset %u: truncated size field", off);
		uint32_t size = bootinfo_rd32(map + off + MB1_MMAP_SIZE);
		if (size < MB1_MMAP_MIN_SIZE)
			return bootinfo_fail(bi, "mb1: mmap entry at offset %u: size %u < %u", off,
			                     size, MB1_MMAP_MIN_SIZE);
		if (size > length - off - 4)
			return bootinfo_fail(bi,
			                     "mb1: mmap entry at offset %u: size %u runs past "
			                     "mmap_length %u",
			                     off, size, length);
		const uint8_t *e = map + off;
		if (bootinfo_add_region(bi, bootinfo_rd64(e + MB1_MMAP_BASE),
		                        bootinfo_rd64(e + MB1_MMAP_LENGTH),
		                        bootinfo_rd32(e + MB1_MMAP_TYPE)) < 0)
			return -1;
		off += size + 4;
	}
	return 0;
}

/* No map from the loader: conventional memory below 640 KiB and extended memory from 1 MiB. */
static int map_from_meminfo(struct boot_info *bi)
{
	if (bi->mem_lower_kib > MB1_MEM_LOWER_MAX_KIB)
		return bootinfo_fail(bi, "mb1: mem_lower %llu KiB > %u",
		                     (unsigned long long)bi->mem_lower_kib, MB1_MEM_LOWER_MAX_KIB);
	if (bootinfo_add_region(bi, 0, bi->mem_lower_kib * 1024, MEM_USABLE) < 0 ||
	    bootinfo_add_region(bi, MIB, bi->mem_upper_kib * 1024, MEM_USABLE) < 0)
		return -1;
	if (bi->region_count == 0)
		return bootinfo_fail(bi, "mb1: mem_lower and mem_upper are both 0");
	return 0;
}

int bootinfo_from_mb1(struct boot_info *bi, const void *mbi)
{
	const uint8_t *info = mbi;

	bootinfo_init(bi, BOOT_PATH_MB1);
	if (!info)
		return bootinfo_fail(bi, "mb1: no information structure (null pointer)");
	bi->loader_info_start = (uint64_t)(uintptr_t)info;
	bi->loader_info_end = bi->loader_info_start + MB1_INFO_SIZE;

	uint32_t flags = bootinfo_rd32(info + MB1_INFO_FLAGS);
	if (flags & MB1_FLAG_MEM) {
		bi->mem_lower_kib = bootinfo_rd32(info + MB1_INFO_MEM_LOWER);
		bi->mem_upper_kib = bootinfo_rd32(info + MB1_INFO_MEM_UPPER);
	}
	if ((flags & MB1_FLAG_CMDLINE) &&
	    copy_phys_string(bi, bi->cmdline, sizeof(bi->cmdline),
	                     bootinfo_rd32(info + MB1_INFO_CMDLINE), "cmdline") < 0)
		return -1;
	if ((flags & MB1_FLAG_MODS) && parse_modules(bi, info) < 0)
		return -1;
	if (flags & MB1_FLAG_MMAP)
		return parse_mmap(bi, info);
	if (flags & MB1_FLAG_MEM)
		return map_from_meminfo(bi);
	return bootinfo_fail(bi,
	                     "mb1: no memory information (flags 0x%x: neither bit 6 mmap "
	                     "nor bit 0 mem)",
	                     flags);
}
