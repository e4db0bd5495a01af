/* The common boot information: names, building helpers (boot/bootinfo_build.h). */
#include "boot/bootinfo.h"

#include <stdarg.h>

#include "boot/bootinfo_build.h"
#include "boot/msgfmt.h"

const void *(*bootinfo_phys_hook)(uint64_t pa, uint64_t len);

const char *boot_path_name(uint32_t path)
{
	switch (path) {
	case BOOT_PATH_MB1:
		return "MB1";
	case BOOT_PATH_MB2_BIOS:
		return "MB2 BIOS";
	case BOOT_PATH_MB2_UEFI:
		return "MB2 UEFI";
	case BOOT_PATH_EFI:
		return "EFI";
	default:
		return "unknown";
	}
}

const void *bootinfo_phys(uint64_t pa, uint64_t len)
{
	if (pa == 0 || pa >= BOOTINFO_PHYS_LIMIT || len > BOOTINFO_PHYS_LIMIT - pa)
		return NULL;
	if (bootinfo_phys_hook)
		return bootinfo_phys_hook(pa, len);
	return (const void *)(uintptr_t)pa;
}

void bootinfo_init(struct boot_info *bi, uint32_t path)
{
	__builtin_memset(bi, 0, sizeof(*bi));
	bi->path = path;
}

int bootinfo_fail(struct boot_info *bi, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	msg_vformat(bi->error, sizeof(bi->error), fmt, ap);
	va_end(ap);
	return -1;
}

static uint32_t known_type(uint32_t type)
{
	return type >= MEM_USABLE && type <= MEM_BAD ? type : MEM_RESERVED;
}

/* Grows r by [base, base + length) if they touch; neither may wrap. */
static int merge_into(struct mem_region *r, uint64_t base, uint64_t length)
{
	if (r->length > UINT64_MAX - r->base)
		return 0;
	if (r->base + r->length == base) {
		r->length += length;
		return 1;
	}
	if (base + length == r->base) {
		r->base = base;
		r->length += length;
		return 1;
	}
	return 0;
}

int bootinfo_add_region(struct boot_info *bi, uint64_t base, uint64_t length, uint32_t type)
{
	type = known_type(type);
	if (length == 0)
		return 0;
	if (length <= UINT64_MAX - base) {
		for (uint32_t i = 0; i < bi->region_count; i++)
			if (bi->regions[i].type == type &&
			    merge_into(&bi->regions[i], base, length))
				return 0;
	}
	if (bi->region_count >= BOOT_MAX_REGIONS)
		return bootinfo_fail(bi, "bootinfo: more than %u memory regions", BOOT_MAX_REGIONS);
	bi->regions[bi->region_count++] =
	    (struct mem_region){.base = base, .length = length, .type = type};
	return 0;
}

void bootinfo_copy_string(char *dst, size_t cap, const char *src, size_t src_max)
{
	size_t n = 0;

	if (cap == 0)
		return;
	while (src && n + 1 < cap && n < src_max && src[n]) {
		dst[n] = src[n];
		n++;
	}
	dst[n] = '\0';
}

int bootinfo_add_module(struct boot_info *bi, uint64_t start, uint64_t end, const char *cmdline,
                        size_t cmdline_max)
{
	if (bi->module_count >= BOOT_MAX_MODULES)
		return bootinfo_fail(bi, "bootinfo: more than %u modules", BOOT_MAX_MODULES);
	if (end < start)
		return bootinfo_fail(
		    bi, "bootinfo: module %u ends (0x%llx) before it starts (0x%llx)",
		    bi->module_count, (unsigned long long)end, (unsigned long long)start);
	struct boot_module *m = &bi->modules[bi->module_count++];
	m->start = start;
	m->end = end;
	bootinfo_copy_string(m->cmdline, sizeof(m->cmdline), cmdline, cmdline_max);
	return 0;
}
