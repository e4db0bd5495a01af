/*
 * The boot information for the guest, in the loader's area [MBLOAD_INFO_GPA,
 * MBLOAD_INFO_END): v1 (Multiboot 0.6.96 §3.3: flags mem, cmdline, mods, mmap,
 * boot_loader_name) or v2 (Multiboot2 §3.6: tags command line, boot loader name, module,
 * basic memory information, memory map, end; all 8-byte aligned). Both describe the PC
 * layout of a guest whose RAM is [0, R): usable [0, 0x9fc00), reserved [0x9fc00, 0xa0000)
 * (EBDA) and [0xf0000, 0x100000) (BIOS ROM), usable [1 MiB, R). R <= 3 GiB, so there is
 * no PCI hole to describe.
 */
#include "vmx/load/mbload_int.h"

#define LOW_RAM_END          0x9fc00u
#define EBDA_END             0xa0000u
#define BIOS_ROM             0xf0000u
#define HIGH_RAM             0x100000u
#define MMAP_AVAILABLE       1u
#define MMAP_RESERVED        2u
#define MMAP_ENTRIES         4u
#define MB1_MMAP_ENTRY_BYTES 24u /* size field + base, length, type */
#define MB2_MMAP_ENTRY_BYTES 24u

#define MB1_INFO_BYTES       116u
#define MB1_INFO_MEM         (1u << 0)
#define MB1_INFO_CMDLINE     (1u << 2)
#define MB1_INFO_MODS        (1u << 3)
#define MB1_INFO_MMAP        (1u << 6)
#define MB1_INFO_LOADER_NAME (1u << 9)
#define MB1_MOD_BYTES        16u

enum mb2_info_tag {
	MB2_TAG_END = 0,
	MB2_TAG_CMDLINE = 1,
	MB2_TAG_LOADER_NAME = 2,
	MB2_TAG_MODULE = 3,
	MB2_TAG_MEMINFO = 4,
	MB2_TAG_MMAP = 6,
};

struct mmap_range {
	uint64_t base, length;
	uint32_t type;
};

static void pc_mmap(const struct mbload_ctx *c, struct mmap_range out[MMAP_ENTRIES])
{
	out[0] = (struct mmap_range){0, LOW_RAM_END, MMAP_AVAILABLE};
	out[1] = (struct mmap_range){LOW_RAM_END, EBDA_END - LOW_RAM_END, MMAP_RESERVED};
	out[2] = (struct mmap_range){BIOS_ROM, HIGH_RAM - BIOS_ROM, MMAP_RESERVED};
	out[3] = (struct mmap_range){HIGH_RAM, c->mem->ram_bytes - HIGH_RAM, MMAP_AVAILABLE};
}

static uint32_t mem_lower_kib(void)
{
	return LOW_RAM_END / 1024; /* 639 */
}

static uint32_t mem_upper_kib(const struct mbload_ctx *c)
{
	return (uint32_t)((c->mem->ram_bytes - HIGH_RAM) / 1024);
}

static uint64_t str_len(const char *s)
{
	uint64_t n = 0;
	while (s && s[n])
		n++;
	return n;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

/* Append bytes at the next multiple of align (the gap zeroed); its address, 0 if full. */
static uint64_t info_put(struct mbload_ctx *c, const void *src, uint64_t len, uint64_t align)
{
	const struct load_mem *m = c->mem;
	uint64_t at = mbl_align_up(c->info_next, align);
	if (at > MBLOAD_INFO_END || len > MBLOAD_INFO_END - at) {
		MBL_REFUSE(c,
		           "boot information does not fit in [0x%x, 0x%x) (command lines too "
		           "long?)",
		           MBLOAD_INFO_GPA, MBLOAD_INFO_END);
		return 0;
	}
	if (!m->zero(m->ctx, c->info_next, at - c->info_next) || !m->write(m->ctx, at, src, len)) {
		MBL_REFUSE(c, "guest RAM write failed for the boot information at 0x%x", at);
		return 0;
	}
	c->info_next = at + len;
	return at;
}

/* A NUL-terminated string ("" for none). */
static uint64_t info_string(struct mbload_ctx *c, const char *s)
{
	return info_put(c, s ? s : "", str_len(s) + 1, 1);
}

static bool mb1_mmap(struct mbload_ctx *c, uint8_t *mbi)
{
	struct mmap_range r[MMAP_ENTRIES];
	uint8_t buf[MMAP_ENTRIES * MB1_MMAP_ENTRY_BYTES];
	pc_mmap(c, r);
	for (uint32_t i = 0; i < MMAP_ENTRIES; i++) {
		uint8_t *e = buf + i * MB1_MMAP_ENTRY_BYTES;
		put32(e, MB1_MMAP_ENTRY_BYTES - 4); /* size excludes itself */
		put64(e + 4, r[i].base);
		put64(e + 12, r[i].length);
		put32(e + 20, r[i].type);
	}
	uint64_t at = info_put(c, buf, sizeof(buf), 8);
	put32(mbi + 44, sizeof(buf));  /* mmap_length */
	put32(mbi + 48, (uint32_t)at); /* mmap_addr */
	return at != 0;
}

static bool mb1_modules(struct mbload_ctx *c, uint8_t *mbi)
{
	const struct mbload_request *r = c->req;
	uint8_t entry[MB1_MOD_BYTES];
	uint64_t strings[MBLOAD_MAX_MODULES], list = 0;
	for (uint32_t i = 0; i < r->module_count; i++)
		if (!(strings[i] = info_string(c, r->modules[i].cmdline)))
			return false;
	for (uint32_t i = 0; i < r->module_count; i++) {
		put32(entry, (uint32_t)c->mod_gpa[i]);
		put32(entry + 4, (uint32_t)(c->mod_gpa[i] + r->modules[i].size));
		put32(entry + 8, (uint32_t)strings[i]);
		put32(entry + 12, 0);
		uint64_t at = info_put(c, entry, sizeof(entry), 8);
		if (!at)
			return false;
		list = list ? list : at;
	}
	put32(mbi + 20, r->module_count);                                         /* mods_count */
	put32(mbi + 24, (uint32_t)(list ? list : mbl_align_up(c->info_next, 8))); /* mods_addr */
	return true;
}

static bool build_mb1(struct mbload_ctx *c, uint64_t *info)
{
	uint8_t mbi[MB1_INFO_BYTES] = {0};
	uint64_t cmdline, name;
	*info = info_put(c, mbi, sizeof(mbi), 8); /* reserved now, filled in last */
	if (!*info || !(cmdline = info_string(c, c->req->cmdline)) ||
	    !(name = info_string(c, MBLOAD_LOADER_NAME)) || !mb1_mmap(c, mbi) ||
	    !mb1_modules(c, mbi))
		return false;
	put32(mbi, MB1_INFO_MEM | MB1_INFO_CMDLINE | MB1_INFO_MODS | MB1_INFO_MMAP |
	               MB1_INFO_LOADER_NAME);
	put32(mbi + 4, mem_lower_kib());
	put32(mbi + 8, mem_upper_kib(c));
	put32(mbi + 16, (uint32_t)cmdline);
	put32(mbi + 64, (uint32_t)name);
	return c->mem->write(c->mem->ctx, *info, mbi, sizeof(mbi)) ||
	       MBL_REFUSE(c, "guest RAM write failed for the boot information at 0x%x", *info);
}

/* One v2 tag: header, fixed fields, then an optional string (its NUL included). */
static bool mb2_tag(struct mbload_ctx *c, uint32_t type, const uint8_t *fixed, uint32_t fixed_len,
                    const char *str)
{
	uint8_t head[8];
	uint64_t slen = str ? str_len(str) + 1 : 0;
	put32(head, type);
	put32(head + 4, (uint32_t)(8 + fixed_len + slen));
	if (!info_put(c, head, sizeof(head), 8))
		return false;
	if (fixed_len && !info_put(c, fixed, fixed_len, 1))
		return false;
	return !str || info_put(c, str, slen, 1);
}

static bool mb2_mmap(struct mbload_ctx *c)
{
	struct mmap_range r[MMAP_ENTRIES];
	uint8_t buf[8 + MMAP_ENTRIES * MB2_MMAP_ENTRY_BYTES] = {0};
	pc_mmap(c, r);
	put32(buf, MB2_MMAP_ENTRY_BYTES); /* entry_size */
	put32(buf + 4, 0);                /* entry_version */
	for (uint32_t i = 0; i < MMAP_ENTRIES; i++) {
		uint8_t *e = buf + 8 + i * MB2_MMAP_ENTRY_BYTES;
		put64(e, r[i].base);
		put64(e + 8, r[i].length);
		put32(e + 16, r[i].type);
	}
	return mb2_tag(c, MB2_TAG_MMAP, buf, sizeof(buf), 0);
}

static bool mb2_modules(struct mbload_ctx *c)
{
	const struct mbload_request *r = c->req;
	for (uint32_t i = 0; i < r->module_count; i++) {
		uint8_t range[8];
		put32(range, (uint32_t)c->mod_gpa[i]);
		put32(range + 4, (uint32_t)(c->mod_gpa[i] + r->modules[i].size));
		const char *s = r->modules[i].cmdline;
		if (!mb2_tag(c, MB2_TAG_MODULE, range, sizeof(range), s ? s : ""))
			return false;
	}
	return true;
}

static bool build_mb2(struct mbload_ctx *c, uint64_t *info)
{
	uint8_t fixed[8] = {0};
	const char *cmdline = c->req->cmdline;
	*info = info_put(c, fixed, sizeof(fixed), 8); /* total_size, reserved: filled in last */
	if (!*info || !mb2_tag(c, MB2_TAG_CMDLINE, 0, 0, cmdline ? cmdline : "") ||
	    !mb2_tag(c, MB2_TAG_LOADER_NAME, 0, 0, MBLOAD_LOADER_NAME))
		return false;
	uint8_t mem[8];
	put32(mem, mem_lower_kib());
	put32(mem + 4, mem_upper_kib(c));
	if (!mb2_modules(c) || !mb2_tag(c, MB2_TAG_MEMINFO, mem, sizeof(mem), 0) || !mb2_mmap(c) ||
	    !mb2_tag(c, MB2_TAG_END, 0, 0, 0))
		return false;
	put32(fixed, (uint32_t)(c->info_next - *info));
	return c->mem->write(c->mem->ctx, *info, fixed, sizeof(fixed)) ||
	       MBL_REFUSE(c, "guest RAM write failed for the boot information at 0x%x", *info);
}

bool mbl_build_info(struct mbload_ctx *c, struct mbload_result *res)
{
	uint64_t info = 0;
	c->info_next = MBLOAD_INFO_GPA;
	if (!(c->hdr.version == 2 ? build_mb2(c, &info) : build_mb1(c, &info)))
		return false;
	res->info_start = info;
	res->info_end = c->info_next;
	return true;
}
