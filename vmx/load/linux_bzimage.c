/*
 * A bzImage by the Linux/x86 32-bit boot protocol (Documentation/arch/x86/boot.rst,
 * "32-bit boot protocol"): check the setup header, choose the load address, place the
 * command line and the initrd, then write the zero page, the GDT, the protected-mode code
 * and the initrd. Every check comes before the first write to guest RAM.
 */
#include "vmx/load/e820.h"
#include "vmx/load/linux_int.h"
#include "vmx/load/linux_params.h"
#include "vmx/load/linux_text.h"

/* What the setup header says, read from the file. */
struct bz_header {
	uint32_t version;
	uint32_t hdr_end;                   /* first byte after the setup header */
	uint64_t setup_bytes, kernel_bytes; /* boot sector + setup; protected-mode code */
	bool relocatable;
	uint32_t kernel_alignment, init_size, cmdline_size, initrd_addr_max;
	uint64_t pref_address;
};

/* Where everything goes. */
struct bz_plan {
	uint64_t load;            /* code32_start: the protected-mode code's address */
	struct load_range kernel; /* the code as loaded and the kernel's run-time footprint */
	uint64_t cmdline_gpa;
	struct load_range initrd;
};

bool linux_is_bzimage(const uint8_t *image, uint64_t size)
{
	return image && size >= BP_HEADER + 4 &&
	       lx_rd16(image + BP_BOOT_FLAG) == BP_BOOT_FLAG_MAGIC &&
	       lx_rd32(image + BP_HEADER) == BP_HDRS_MAGIC;
}

static bool read_magic_and_version(struct linux_ctx *c, struct bz_header *h)
{
	if (!lx_in_file(c, 0, BP_HEADER + 4))
		return lx_refuse(c, "truncated: %lu bytes, a bzImage's setup header needs 0x%x",
		                 c->size, BP_HEADER + 4);
	if (lx_rd32(c->img + BP_HEADER) != BP_HDRS_MAGIC)
		return lx_refuse(c, "no \"HdrS\" magic at 0x%x: not a bzImage", BP_HEADER);
	h->hdr_end = BP_HDR_END_BASE + c->img[BP_JUMP_DISP];
	if (!lx_in_file(c, 0, h->hdr_end))
		return lx_refuse(c, "truncated: %lu bytes, the setup header ends at 0x%x", c->size,
		                 h->hdr_end);
	h->version = lx_rd16(c->img + BP_VERSION);
	if (h->version < BP_MIN_VERSION)
		return lx_refuse(c, "boot protocol %u.%u is older than %u.%u, the oldest supported",
		                 bp_version_major(h->version), bp_version_minor(h->version),
		                 bp_version_major(BP_MIN_VERSION),
		                 bp_version_minor(BP_MIN_VERSION));
	if (h->hdr_end < BP_HDR_MIN_END || h->hdr_end > BP_HDR_MAX_END)
		return lx_refuse(c, "setup header ends at 0x%x, outside [0x%x, 0x%x]", h->hdr_end,
		                 BP_HDR_MIN_END, BP_HDR_MAX_END);
	return true;
}

static bool read_sizes(struct linux_ctx *c, struct bz_header *h)
{
	uint32_t sects = c->img[BP_SETUP_SECTS], syssize = lx_rd32(c->img + BP_SYSSIZE);
	if (sects == 0)
		sects = BP_DEFAULT_SETUP_SECT;
	h->setup_bytes = (uint64_t)(sects + 1) * BP_SECTOR_BYTES;
	h->kernel_bytes = (uint64_t)syssize * BP_PARAGRAPH_BYTES;
	if (syssize == 0)
		return lx_refuse(c, "syssize 0: no protected-mode kernel");
	if (!lx_in_file(c, h->setup_bytes, h->kernel_bytes))
		return lx_refuse(c,
		                 "truncated: %lu bytes, %u setup sectors and a %lu-byte kernel "
		                 "need %lu",
		                 c->size, sects, h->kernel_bytes, h->setup_bytes + h->kernel_bytes);
	return true;
}

static bool read_header(struct linux_ctx *c, struct bz_header *h)
{
	if (!read_magic_and_version(c, h) || !read_sizes(c, h))
		return false;
	const uint8_t *f = c->img;
	if (!(f[BP_LOADFLAGS] & BP_LOADED_HIGH))
		return lx_refuse(c,
		                 "loadflags 0x%x without LOADED_HIGH: a zImage, loaded below 1 MiB",
		                 f[BP_LOADFLAGS]);
	h->relocatable = f[BP_RELOCATABLE_KERNEL] != 0;
	h->kernel_alignment = lx_rd32(f + BP_KERNEL_ALIGNMENT);
	h->init_size = lx_rd32(f + BP_INIT_SIZE);
	h->cmdline_size = lx_rd32(f + BP_CMDLINE_SIZE);
	h->initrd_addr_max = lx_rd32(f + BP_INITRD_ADDR_MAX);
	h->pref_address = lx_rd64(f + BP_PREF_ADDRESS);
	return true;
}

static bool refuse_fit(struct linux_ctx *c, uint64_t bytes, uint64_t at)
{
	return lx_refuse(c, "kernel needs %lu bytes at 0x%lx, guest RAM is %lu bytes", bytes, at,
	                 c->mem->ram_bytes);
}

/*
 * boot.rst, init_size: a relocatable kernel runs at align_up(max(load, pref_address),
 * kernel_alignment), a non-relocatable one at pref_address (the decompressor moves itself
 * there, arch/x86/boot/compressed/head_64.S). So a relocatable kernel is loaded right at
 * that address, the lowest it can run at; loading it lower would gain nothing. A
 * non-relocatable one is loaded at 0x100000, the protocol's default.
 */
static bool choose_load(struct linux_ctx *c, const struct bz_header *h, struct bz_plan *p)
{
	uint64_t top = e820_usable_top(c->mem->ram_bytes), run;
	uint64_t footprint = h->init_size > h->kernel_bytes ? h->init_size : h->kernel_bytes;
	uint64_t align = h->kernel_alignment;
	if (h->relocatable) {
		if (align == 0 || (align & (align - 1)))
			return lx_refuse(c, "kernel_alignment 0x%lx is not a power of two", align);
		uint64_t low = h->pref_address > E820_HIGH_RAM ? h->pref_address : E820_HIGH_RAM;
		if (low > top)
			return refuse_fit(c, footprint, low);
		p->load = run = lx_align_up(low, align);
	} else {
		p->load = BP_DEFAULT_LOAD;
		run = h->pref_address ? h->pref_address : BP_DEFAULT_LOAD;
		if (run < E820_HIGH_RAM)
			return lx_refuse(c, "non-relocatable kernel runs at 0x%lx, below 1 MiB",
			                 run);
	}
	if (run > top || footprint > top - run || h->kernel_bytes > top - p->load)
		return refuse_fit(c, footprint, run);
	p->kernel.start = p->load < run ? p->load : run;
	p->kernel.end = run + footprint;
	if (p->load + h->kernel_bytes > p->kernel.end)
		p->kernel.end = p->load + h->kernel_bytes;
	return true;
}

static bool plan_cmdline(struct linux_ctx *c, const struct bz_header *h, struct bz_plan *p)
{
	uint64_t len = lx_strlen(c->req->cmdline);
	if (len > h->cmdline_size)
		return lx_refuse(c,
		                 "command line of %lu bytes is longer than the kernel's %u "
		                 "(cmdline_size)",
		                 len, h->cmdline_size);
	p->cmdline_gpa = lx_reserve_string(c, c->req->cmdline);
	return p->cmdline_gpa != 0;
}

/* As high as allowed: below initrd_addr_max + 1 and the top of RAM, outside the kernel. */
static bool plan_initrd(struct linux_ctx *c, const struct bz_header *h, struct bz_plan *p)
{
	const struct load_request *r = c->req;
	if (r->module_count > 1)
		return lx_refuse(c, "%u modules: the Linux boot protocol takes one initrd",
		                 r->module_count);
	if (r->module_count == 0 || r->modules[0].size == 0)
		return true;
	uint64_t size = r->modules[0].size, top = e820_usable_top(c->mem->ram_bytes);
	uint64_t limit = (uint64_t)h->initrd_addr_max + 1;
	const struct load_range avoid[] = {p->kernel, lx_area()};
	if (limit > top)
		limit = top;
	uint64_t at = lx_place_high(size, limit, avoid, 2);
	if (!at)
		return lx_refuse(
		    c,
		    "initrd of %lu bytes does not fit below 0x%lx outside the kernel's "
		    "[0x%lx, 0x%lx)",
		    size, limit, p->kernel.start, p->kernel.end);
	p->initrd = (struct load_range){at, at + size};
	return true;
}

/*
 * The loader's fields in zp, a copy of the zero page's first bytes holding the file's
 * setup header (boot.rst, "Details of header fields"; zero-page.rst for the ext_* ones).
 */
static void fill_fields(uint8_t *zp, const struct bz_plan *p, uint32_t e820_entries)
{
	uint64_t initrd_size = p->initrd.end - p->initrd.start;
	lx_wr16(zp + BP_VID_MODE, BP_VID_MODE_NORMAL);
	zp[BP_TYPE_OF_LOADER] = BP_LOADER_UNDEFINED;
	zp[BP_LOADFLAGS] = BP_LOADED_HIGH; /* no CAN_USE_HEAP: no real-mode code runs */
	lx_wr32(zp + BP_CODE32_START, (uint32_t)p->load);
	lx_wr32(zp + BP_RAMDISK_IMAGE, (uint32_t)p->initrd.start);
	lx_wr32(zp + BP_RAMDISK_SIZE, (uint32_t)initrd_size);
	zp[BP_EXT_LOADER_VER] = 0;
	zp[BP_EXT_LOADER_TYPE] = 0;
	lx_wr32(zp + BP_CMD_LINE_PTR, (uint32_t)p->cmdline_gpa);
	lx_wr32(zp + BP_HARDWARE_SUBARCH, BP_SUBARCH_PC);
	lx_wr64(zp + BP_SETUP_DATA, 0); /* no setup_data list */
	lx_wr32(zp + BP_EXT_RAMDISK_IMAGE, (uint32_t)(p->initrd.start >> 32));
	lx_wr32(zp + BP_EXT_RAMDISK_SIZE, (uint32_t)(initrd_size >> 32));
	lx_wr32(zp + BP_EXT_CMD_LINE_PTR, (uint32_t)(p->cmdline_gpa >> 32));
	zp[BP_E820_ENTRIES] = (uint8_t)e820_entries;
}

/* The zero page: zeroed, the file's setup header, the loader's fields, the E820 table. */
static bool write_zero_page(struct linux_ctx *c, const struct bz_header *h, const struct bz_plan *p)
{
	uint8_t low[BP_HDR_MAX_END] = {0}; /* [0, the setup header's end) */
	uint8_t e820[E820_GUEST_ENTRIES * BP_E820_ENTRY_BYTES];
	struct e820_entry map[E820_GUEST_ENTRIES];
	uint32_t n = e820_guest_map(c->mem->ram_bytes, map, E820_GUEST_ENTRIES);
	__builtin_memcpy(low + BP_SETUP_SECTS, c->img + BP_SETUP_SECTS,
	                 h->hdr_end - BP_SETUP_SECTS);
	fill_fields(low, p, n);
	for (uint32_t i = 0; i < n; i++) {
		uint8_t *e = e820 + i * BP_E820_ENTRY_BYTES;
		lx_wr64(e, map[i].addr);
		lx_wr64(e + 8, map[i].size);
		lx_wr32(e + 16, map[i].type);
	}
	return lx_zero(c, LINUX_INFO_GPA, BP_ZERO_PAGE_BYTES) &&
	       lx_write(c, LINUX_INFO_GPA, low, h->hdr_end) &&
	       lx_write(c, LINUX_INFO_GPA + BP_E820_TABLE, e820, n * BP_E820_ENTRY_BYTES);
}

static bool write_all(struct linux_ctx *c, const struct bz_header *h, const struct bz_plan *p)
{
	const struct mbload_module *initrd = c->req->modules;
	return write_zero_page(c, h, p) && lx_write_gdt(c) &&
	       lx_write_string(c, p->cmdline_gpa, c->req->cmdline) &&
	       lx_write(c, p->load, c->img + h->setup_bytes, h->kernel_bytes) &&
	       (p->initrd.start == p->initrd.end ||
	        lx_write(c, p->initrd.start, initrd->data, initrd->size));
}

static void fill_result(struct linux_ctx *c, const struct bz_header *h, const struct bz_plan *p,
                        struct load_result *res)
{
	res->kind = LOAD_LINUX_BZIMAGE;
	linux_format(res->name, sizeof(res->name), "linux boot protocol %u.%u",
	             bp_version_major(h->version), bp_version_minor(h->version));
	res->entry = p->load;
	lx_entry_state(&res->state, (uint32_t)p->load);
	res->state.gpr[BOOT_RSI] = LINUX_INFO_GPA; /* EBP, EDI, EBX stay 0 */
	res->kernel = p->kernel;
	res->modules = p->initrd;
	res->info = (struct load_range){LINUX_INFO_GPA, c->str_next};
}

bool linux_bzimage_load(const struct load_mem *mem, const struct load_request *req,
                        struct load_result *res, char *why, uint32_t why_len)
{
	struct linux_ctx c;
	struct bz_header h = {0};
	struct bz_plan p = {0};
	lx_begin(&c, mem, req, res, why, why_len);
	if (!read_header(&c, &h) || !lx_check_ram(&c) || !choose_load(&c, &h, &p) ||
	    !plan_cmdline(&c, &h, &p) || !plan_initrd(&c, &h, &p) || !write_all(&c, &h, &p))
		return false;
	fill_result(&c, &h, &p, res);
	return true;
}
