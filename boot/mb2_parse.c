/*
 * Multiboot 2 information to struct boot_info (Multiboot2 Specification 2.0,
 * section 3.6). One walk over the tags checks every tag's size against
 * total_size and takes what it needs; the memory map is converted after the
 * walk, once it is known whether an EFI map (tag 17) and an "EFI boot
 * services not terminated" tag (18) are present.
 */
#include "boot/mb2_parse.h"

#include "boot/bootinfo_build.h"
#include "boot/efimap.h"
#include "boot/msgfmt.h"
#include "boot/multiboot2.h"

/* What the walk found. */
struct mb2_walk {
	const uint8_t *info;
	uint32_t total;
	uint32_t mmap_off;     /* offset of tag 6, 0 if absent */
	uint32_t efi_mmap_off; /* offset of tag 17, 0 if absent */
	int uefi;
};

static uint32_t tag_size(const struct mb2_walk *w, uint32_t off)
{
	return bootinfo_rd32(w->info + off + MB2_TAG_SIZE);
}

static int tag_fail_size(struct boot_info *bi, uint32_t type, uint32_t off, uint32_t size,
                         uint32_t min)
{
	return bootinfo_fail(bi, "mb2: tag type %u at offset 0x%x: size %u < %u", type, off, size,
	                     min);
}

/* A string field [from, end of tag) must hold its NUL; returns its length or -1. */
static int64_t tag_string(const struct mb2_walk *w, uint32_t off, uint32_t from)
{
	uint32_t size = tag_size(w, off);
	for (uint32_t i = from; i < size; i++)
		if (w->info[off + i] == '\0')
			return i - from;
	return -1;
}

static int parse_cmdline(struct boot_info *bi, const struct mb2_walk *w, uint32_t off)
{
	if (tag_string(w, off, MB2_CMDLINE_STRING) < 0)
		return bootinfo_fail(
		    bi, "mb2: tag type 1 at offset 0x%x: string not NUL-terminated", off);
	bootinfo_copy_string(bi->cmdline, sizeof(bi->cmdline),
	                     (const char *)w->info + off + MB2_CMDLINE_STRING, BOOT_CMDLINE_MAX);
	return 0;
}

static int parse_module(struct boot_info *bi, const struct mb2_walk *w, uint32_t off)
{
	const uint8_t *tag = w->info + off;

	if (tag_size(w, off) < MB2_MODULE_STRING + 1)
		return tag_fail_size(bi, 3, off, tag_size(w, off), MB2_MODULE_STRING + 1);
	uint32_t start = bootinfo_rd32(tag + MB2_MODULE_START);
	uint32_t end = bootinfo_rd32(tag + MB2_MODULE_END);
	int64_t len = tag_string(w, off, MB2_MODULE_STRING);
	if (len < 0)
		return bootinfo_fail(
		    bi, "mb2: tag type 3 at offset 0x%x: string not NUL-terminated", off);
	if (end < start)
		return bootinfo_fail(
		    bi, "mb2: tag type 3 at offset 0x%x: mod_end 0x%x < mod_start 0x%x", off, end,
		    start);
	if (bi->module_count >= BOOT_MAX_MODULES)
		return bootinfo_fail(bi, "mb2: tag type 3 at offset 0x%x: more than %u modules",
		                     off, BOOT_MAX_MODULES);
	return bootinfo_add_module(bi, start, end, (const char *)tag + MB2_MODULE_STRING,
	                           (size_t)len);
}

/* Takes what one tag says; memory maps are only located here. */
static int parse_tag(struct boot_info *bi, struct mb2_walk *w, uint32_t type, uint32_t off)
{
	uint32_t size = tag_size(w, off);
	const uint8_t *tag = w->info + off;

	switch (type) {
	case MB2_TAG_TYPE_CMDLINE:
		return parse_cmdline(bi, w, off);
	case MB2_TAG_TYPE_MODULE:
		return parse_module(bi, w, off);
	case MB2_TAG_TYPE_BASIC_MEMINFO:
		if (size < MB2_MEMINFO_SIZE)
			return tag_fail_size(bi, type, off, size, MB2_MEMINFO_SIZE);
		bi->mem_lower_kib = bootinfo_rd32(tag + MB2_MEMINFO_LOWER);
		bi->mem_upper_kib = bootinfo_rd32(tag + MB2_MEMINFO_UPPER);
		return 0;
	case MB2_TAG_TYPE_MMAP:
	case MB2_TAG_TYPE_EFI_MMAP:
		if (size < MB2_MMAP_ENTRIES)
			return tag_fail_size(bi, type, off, size, MB2_MMAP_ENTRIES);
		if (type == MB2_TAG_TYPE_MMAP && !w->mmap_off)
			w->mmap_off = off;
		if (type == MB2_TAG_TYPE_EFI_MMAP && !w->efi_mmap_off)
			w->efi_mmap_off = off;
		w->uefi |= type == MB2_TAG_TYPE_EFI_MMAP;
		return 0;
	case MB2_TAG_TYPE_EFI32:
	case MB2_TAG_TYPE_EFI64: {
		uint32_t need = MB2_EFI_POINTER + (type == MB2_TAG_TYPE_EFI64 ? 8 : 4);
		if (size < need)
			return tag_fail_size(bi, type, off, size, need);
		bi->efi_system_table = type == MB2_TAG_TYPE_EFI64
		                           ? bootinfo_rd64(tag + MB2_EFI_POINTER)
		                           : bootinfo_rd32(tag + MB2_EFI_POINTER);
		w->uefi = 1;
		return 0;
	}
	case MB2_TAG_TYPE_EFI_BS:
		bi->efi_bs_active = 1;
		w->uefi = 1;
		return 0;
	case MB2_TAG_TYPE_EFI32_IH:
	case MB2_TAG_TYPE_EFI64_IH:
		w->uefi = 1;
		return 0;
	default:
		return 0; /* tags we do not need */
	}
}

/* Walks the tags up to the end tag, checking each one's bounds. */
static int walk_tags(struct boot_info *bi, struct mb2_walk *w)
{
	uint32_t off = MB2_INFO_FIRST_TAG;

	for (;;) {
		if (w->total - off < MB2_TAG_HEADER_SIZE)
			return bootinfo_fail(bi,
			                     "mb2: no end tag before total_size %u (offset 0x%x)",
			                     w->total, off);
		uint32_t type = bootinfo_rd32(w->info + off + MB2_TAG_TYPE);
		uint32_t size = tag_size(w, off);
		if (size < MB2_TAG_HEADER_SIZE)
			return tag_fail_size(bi, type, off, size, MB2_TAG_HEADER_SIZE);
		if (size > w->total - off)
			return bootinfo_fail(bi,
			                     "mb2: tag type %u at offset 0x%x: size %u runs past "
			                     "total_size %u",
			                     type, off, size, w->total);
		if (type == MB2_TAG_TYPE_END && size != MB2_TAG_HEADER_SIZE)
			return bootinfo_fail(bi, "mb2: end tag at offset 0x%x: size %u != 8", off,
			                     size);
		if (type == MB2_TAG_TYPE_END)
			return 0;
		if (parse_tag(bi, w, type, off) < 0)
			return -1;
		/* Tags start 8-byte aligned; total_size <= 1 MiB, so this cannot wrap. */
		off += (size + MB2_TAG_ALIGN - 1) & ~(uint32_t)(MB2_TAG_ALIGN - 1);
		if (off >= w->total)
			return bootinfo_fail(bi, "mb2: no end tag before total_size %u", w->total);
	}
}

static int parse_mmap(struct boot_info *bi, const struct mb2_walk *w)
{
	uint32_t off = w->mmap_off, size = tag_size(w, off);
	const uint8_t *tag = w->info + off;
	uint32_t entry_size = bootinfo_rd32(tag + MB2_MMAP_ENTRY_SIZE);
	uint32_t bytes = size - MB2_MMAP_ENTRIES;

	/* entry_version is not checked: the specification keeps later versions compatible. */
	if (entry_size < MB2_MMAP_ENTRY_MIN_SIZE)
		return bootinfo_fail(bi, "mb2: tag type 6 at offset 0x%x: entry_size %u < %u", off,
		                     entry_size, MB2_MMAP_ENTRY_MIN_SIZE);
	if (bytes % entry_size != 0)
		return bootinfo_fail(bi,
		                     "mb2: tag type 6 at offset 0x%x: %u bytes of entries not a "
		                     "multiple of entry_size %u",
		                     off, bytes, entry_size);
	for (uint32_t e = MB2_MMAP_ENTRIES; e < size; e += entry_size) {
		const uint8_t *entry = tag + e;
		if (bootinfo_add_region(bi, bootinfo_rd64(entry + MB2_MMAP_ENTRY_BASE),
		                        bootinfo_rd64(entry + MB2_MMAP_ENTRY_LENGTH),
		                        bootinfo_rd32(entry + MB2_MMAP_ENTRY_TYPE)) < 0)
			return -1;
	}
	return 0;
}

static int parse_efi_mmap(struct boot_info *bi, const struct mb2_walk *w)
{
	uint32_t off = w->efi_mmap_off, size = tag_size(w, off);
	const uint8_t *tag = w->info + off;
	uint32_t desc_size = bootinfo_rd32(tag + MB2_EFI_MMAP_DESC_SIZE);
	uint32_t version = bootinfo_rd32(tag + MB2_EFI_MMAP_DESC_VERSION);
	char reason[BOOT_ERROR_MAX];

	if (version == 0)
		return bootinfo_fail(bi, "mb2: tag type 17 at offset 0x%x: descriptor_version 0",
		                     off);
	if (bootinfo_add_efi_map(bi, tag + MB2_EFI_MMAP_DESCRIPTORS,
	                         size - MB2_EFI_MMAP_DESCRIPTORS, desc_size) == 0)
		return 0;
	__builtin_memcpy(reason, bi->error, sizeof(reason));
	return bootinfo_fail(bi, "mb2: tag type 17 at offset 0x%x: %s", off, reason);
}

int bootinfo_from_mb2(struct boot_info *bi, const void *mbi)
{
	struct mb2_walk w = {.info = mbi};

	bootinfo_init(bi, BOOT_PATH_MB2_BIOS);
	if (!mbi)
		return bootinfo_fail(bi, "mb2: no information structure (null pointer)");
	if ((uintptr_t)mbi % MB2_TAG_ALIGN)
		return bootinfo_fail(bi, "mb2: information structure at 0x%llx not 8-byte aligned",
		                     (unsigned long long)(uintptr_t)mbi);
	w.total = bootinfo_rd32(w.info + MB2_INFO_TOTAL_SIZE);
	if (w.total < MB2_INFO_FIRST_TAG + MB2_TAG_HEADER_SIZE)
		return bootinfo_fail(bi, "mb2: total_size %u too small (< 16)", w.total);
	if (w.total > MB2_INFO_MAX_SIZE)
		return bootinfo_fail(bi, "mb2: total_size %u too large (> %u)", w.total,
		                     MB2_INFO_MAX_SIZE);
	bi->loader_info_start = (uint64_t)(uintptr_t)mbi;
	bi->loader_info_end = bi->loader_info_start + w.total;
	if (walk_tags(bi, &w) < 0)
		return -1;
	if (w.uefi)
		bi->path = BOOT_PATH_MB2_UEFI;

	/* An empty EFI map (GRUB gives one when it could not get the map) defers to tag 6. */
	int efi_empty = w.efi_mmap_off && tag_size(&w, w.efi_mmap_off) == MB2_EFI_MMAP_DESCRIPTORS;
	if (w.efi_mmap_off && !(efi_empty && w.mmap_off))
		return parse_efi_mmap(bi, &w);
	if (w.mmap_off)
		return parse_mmap(bi, &w);
	return bootinfo_fail(bi, "mb2: no memory map (neither tag 6 nor tag 17)");
}
