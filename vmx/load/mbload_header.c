/*
 * Finding and reading the multiboot header. v2 (Multiboot2 §3.1: first 32 KiB, 8-byte
 * aligned, magic, architecture, header_length, checksum, then tags) is used when present,
 * else v1 (Multiboot 0.6.96 §3.1: first 8 KiB, 4-byte aligned, magic, flags, checksum,
 * the a.out-kludge fields when flags bit 16 is set). A header whose magic matches but
 * whose checksum does not is skipped, as GRUB does; if no valid one is found, the reason
 * names the bad checksum.
 */
#include "vmx/load/mbload_int.h"

#define MB1_MAGIC           0x1badb002u
#define MB1_SEARCH          8192u
#define MB1_ALIGN           4u
#define MB1_FLAG_PAGE_ALIGN (1u << 0)
#define MB1_FLAG_MEMINFO    (1u << 1)
#define MB1_FLAG_VIDEO      (1u << 2)
#define MB1_FLAG_AOUT       (1u << 16)
#define MB1_REQUIRED_MASK   0xffffu
/* Bit 2 (video mode) is accepted: the kernel gets no video information, which it must
 * check for anyway (flags bit 11 of the information stays clear). */
#define MB1_REQUIRED_KNOWN  (MB1_FLAG_PAGE_ALIGN | MB1_FLAG_MEMINFO | MB1_FLAG_VIDEO)

#define MB2_MAGIC        0xe85250d6u
#define MB2_SEARCH       32768u
#define MB2_ALIGN        8u
#define MB2_ARCH_I386    0u
#define MB2_TAG_OPTIONAL (1u << 0)

enum mb2_header_tag {
	MB2_HTAG_END = 0,
	MB2_HTAG_INFO_REQUEST = 1,
	MB2_HTAG_ADDRESS = 2,
	MB2_HTAG_ENTRY = 3,
	MB2_HTAG_FLAGS = 4,
	MB2_HTAG_FRAMEBUFFER = 5,
	MB2_HTAG_MODULE_ALIGN = 6,
	MB2_HTAG_EFI_BS = 7,
	MB2_HTAG_ENTRY_EFI32 = 8,
	MB2_HTAG_ENTRY_EFI64 = 9,
	MB2_HTAG_RELOCATABLE = 10,
};

/* Information tag types this loader provides (vmx/mbload_info.c). */
static bool mb2_info_type_provided(uint32_t type)
{
	return type == 1 || type == 2 || type == 3 || type == 4 || type == 6;
}

static bool mb2_info_request(struct mbload_ctx *c, uint64_t pos, uint32_t size, bool optional)
{
	for (uint32_t at = 8; at + 4 <= size; at += 4) {
		uint32_t type = mbl_rd32(c->img + pos + at);
		if (!optional && type != 0 && !mb2_info_type_provided(type))
			return MBL_REFUSE(c,
			                  "multiboot2 information request for tag type %u is "
			                  "not supported (request not optional)",
			                  type);
	}
	return true;
}

static bool mb2_tag_size_at_least(struct mbload_ctx *c, uint32_t type, uint32_t size, uint32_t want)
{
	if (size >= want)
		return true;
	return MBL_REFUSE(c, "multiboot2 header tag type %u has size %u, needs %u", type, size,
	                  want);
}

static bool mb2_tag(struct mbload_ctx *c, uint64_t pos, uint32_t type, uint32_t size, bool optional)
{
	const uint8_t *t = c->img + pos;
	switch (type) {
	case MB2_HTAG_INFO_REQUEST:
		return mb2_info_request(c, pos, size, optional);
	case MB2_HTAG_ADDRESS:
		if (!mb2_tag_size_at_least(c, type, size, 24))
			return false;
		c->hdr.aout = true;
		c->hdr.header_addr = mbl_rd32(t + 8);
		c->hdr.load_addr = mbl_rd32(t + 12);
		c->hdr.load_end_addr = mbl_rd32(t + 16);
		c->hdr.bss_end_addr = mbl_rd32(t + 20);
		return true;
	case MB2_HTAG_ENTRY:
		if (!mb2_tag_size_at_least(c, type, size, 12))
			return false;
		c->hdr.has_entry = true;
		c->hdr.entry_addr = mbl_rd32(t + 8);
		return true;
	case MB2_HTAG_FLAGS:        /* console flags: there is no console to offer */
	case MB2_HTAG_FRAMEBUFFER:  /* no framebuffer: text only */
	case MB2_HTAG_MODULE_ALIGN: /* modules are always page aligned */
	case MB2_HTAG_RELOCATABLE:  /* loaded at the preferred address */
		return true;
	case MB2_HTAG_EFI_BS:
	case MB2_HTAG_ENTRY_EFI32:
	case MB2_HTAG_ENTRY_EFI64:
		if (optional)
			return true;
		return MBL_REFUSE(c,
		                  "multiboot2 header tag type %u (EFI) is not supported "
		                  "(tag not optional)",
		                  type);
	default:
		if (optional)
			return true;
		return MBL_REFUSE(c,
		                  "multiboot2 header tag type %u is not supported (tag not "
		                  "optional)",
		                  type);
	}
}

static bool mb2_tags(struct mbload_ctx *c, uint64_t off, uint32_t length)
{
	uint64_t pos = off + 16, end = off + length;
	while (pos + 8 <= end) {
		uint32_t type = mbl_rd16(c->img + pos), flags = mbl_rd16(c->img + pos + 2);
		uint32_t size = mbl_rd32(c->img + pos + 4);
		if (size < 8 || size > end - pos)
			return MBL_REFUSE(c,
			                  "multiboot2 header tag at 0x%x (type %u) has size %u, "
			                  "outside the header",
			                  pos, type, size);
		if (type == MB2_HTAG_END)
			return true;
		if (!mb2_tag(c, pos, type, size, flags & MB2_TAG_OPTIONAL))
			return false;
		pos += mbl_align_up(size, MB2_ALIGN);
	}
	return MBL_REFUSE(c, "multiboot2 header at 0x%x has no end tag", off);
}

static bool mb2_use(struct mbload_ctx *c, uint64_t off)
{
	uint32_t arch = mbl_rd32(c->img + off + 4), length = mbl_rd32(c->img + off + 8);
	c->hdr.version = 2;
	c->hdr.offset = off;
	if (arch != MB2_ARCH_I386)
		return MBL_REFUSE(c, "multiboot2 header at 0x%x: architecture %u, want 0 (i386)",
		                  off, arch);
	if (length < 16 + 8)
		return MBL_REFUSE(c, "multiboot2 header at 0x%x: header_length %u too small", off,
		                  length);
	if (!mbl_in_file(c, off, length))
		return MBL_REFUSE(c,
		                  "truncated: multiboot2 header at 0x%x of %u bytes ends past "
		                  "the image end (0x%x)",
		                  off, length, c->size);
	if (!mb2_tags(c, off, length))
		return false;
	if (c->hdr.aout && !c->hdr.has_entry)
		return MBL_REFUSE(c, "multiboot2 address tag without an entry address tag");
	return true;
}

static bool mb1_use(struct mbload_ctx *c, uint64_t off)
{
	uint32_t flags = mbl_rd32(c->img + off + 4);
	uint32_t unknown = flags & MB1_REQUIRED_MASK & ~MB1_REQUIRED_KNOWN;
	const uint8_t *h = c->img + off;
	c->hdr.version = 1;
	c->hdr.offset = off;
	if (unknown)
		return MBL_REFUSE(c,
		                  "multiboot1 header flags 0x%x: required bits 0x%x not "
		                  "supported",
		                  flags, unknown);
	if (!(flags & MB1_FLAG_AOUT))
		return true;
	if (!mbl_in_file(c, off, 32))
		return MBL_REFUSE(c,
		                  "truncated: multiboot1 header at 0x%x with the a.out kludge "
		                  "needs 32 bytes, image has 0x%x",
		                  off, c->size);
	c->hdr.aout = true;
	c->hdr.header_addr = mbl_rd32(h + 12);
	c->hdr.load_addr = mbl_rd32(h + 16);
	c->hdr.load_end_addr = mbl_rd32(h + 20);
	c->hdr.bss_end_addr = mbl_rd32(h + 24);
	c->hdr.has_entry = true;
	c->hdr.entry_addr = mbl_rd32(h + 28);
	return true;
}

/* Offset of the first header with a good checksum, or -1 (*bad: a magic with a bad one). */
static int64_t scan(const struct mbload_ctx *c, uint32_t magic, uint32_t limit, uint32_t align,
                    uint32_t words, int64_t *bad)
{
	uint64_t end = c->size < limit ? c->size : limit;
	for (uint64_t off = 0; off + 4 * words <= end; off += align) {
		if (mbl_rd32(c->img + off) != magic)
			continue;
		uint32_t sum = 0;
		for (uint32_t i = 0; i < words; i++)
			sum += mbl_rd32(c->img + off + 4 * i);
		if (sum == 0)
			return (int64_t)off;
		if (*bad < 0)
			*bad = (int64_t)off;
	}
	return -1;
}

bool mbl_find_header(struct mbload_ctx *c)
{
	int64_t bad2 = -1, bad1 = -1;
	int64_t off2 = scan(c, MB2_MAGIC, MB2_SEARCH, MB2_ALIGN, 4, &bad2);
	if (off2 >= 0)
		return mb2_use(c, (uint64_t)off2);
	int64_t off1 = scan(c, MB1_MAGIC, MB1_SEARCH, MB1_ALIGN, 3, &bad1);
	if (off1 >= 0)
		return mb1_use(c, (uint64_t)off1);
	if (bad2 >= 0)
		return MBL_REFUSE(c, "multiboot2 header at 0x%x: bad checksum", bad2);
	if (bad1 >= 0)
		return MBL_REFUSE(c, "multiboot1 header at 0x%x: bad checksum", bad1);
	return MBL_REFUSE(c,
	                  "no multiboot header (multiboot1 in the first 8 KiB, multiboot2 in "
	                  "the first 32 KiB; image 0x%x bytes)",
	                  c->size);
}
