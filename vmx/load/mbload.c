/*
 * The multiboot loader's steps: header, image format, checks of every segment against
 * guest RAM and each other, copy and BSS, modules, information, entry state. Nothing is
 * written to guest RAM before the image has passed every check of its segments.
 */
#include "vmx/load/mbload.h"
#include "vmx/load/mbload_int.h"

#define PAGE_BYTES 4096u

static void why_putc(struct mbload_ctx *c, uint32_t *pos, char ch)
{
	if (*pos + 1 < c->why_len)
		c->why[(*pos)++] = ch;
}

static void why_number(struct mbload_ctx *c, uint32_t *pos, uint64_t v, uint32_t base)
{
	char digits[24];
	uint32_t n = 0;
	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n)
		why_putc(c, pos, digits[--n]);
}

bool mbl_refuse(struct mbload_ctx *c, const char *fmt, const uint64_t *args)
{
	uint32_t pos = 0, arg = 1;
	if (!c->why || !c->why_len)
		return false;
	for (; *fmt; fmt++) {
		if (fmt[0] == '%' && (fmt[1] == 'x' || fmt[1] == 'u')) {
			why_number(c, &pos, args[arg++], fmt[1] == 'x' ? 16 : 10);
			fmt++;
		} else {
			why_putc(c, &pos, *fmt);
		}
	}
	c->why[pos] = 0;
	return false;
}

static bool check_ram(struct mbload_ctx *c)
{
	uint64_t ram = c->mem->ram_bytes;
	if (ram < MBLOAD_RAM_MIN)
		return MBL_REFUSE(c, "guest RAM of 0x%x bytes is below the loader's minimum 0x%x",
		                  ram, MBLOAD_RAM_MIN);
	if (ram > MBLOAD_RAM_MAX)
		return MBL_REFUSE(c,
		                  "guest RAM of %u MiB is above the %u MiB the loader describes "
		                  "(no PCI hole split)",
		                  ram >> 20, MBLOAD_RAM_MAX >> 20);
	return true;
}

static bool check_segment(struct mbload_ctx *c, const struct mbload_seg *s)
{
	uint64_t end = s->gpa + s->memsz;
	if (end < s->gpa || end > c->mem->ram_bytes)
		return MBL_REFUSE(c, "segment %u at [0x%x, +0x%x) outside guest RAM (0x%x bytes)",
		                  s->index, s->gpa, s->memsz, c->mem->ram_bytes);
	if (s->gpa < MBLOAD_KERNEL_MIN)
		return MBL_REFUSE(c,
		                  "segment %u at [0x%x, +0x%x) below 1 MiB (the loader keeps "
		                  "the low 1 MiB for the boot information and the PC hole)",
		                  s->index, s->gpa, s->memsz);
	return true;
}

static bool check_segments(struct mbload_ctx *c)
{
	for (uint32_t i = 0; i < c->nsegs; i++) {
		const struct mbload_seg *a = &c->segs[i];
		if (!check_segment(c, a))
			return false;
		for (uint32_t j = 0; j < i; j++) {
			const struct mbload_seg *b = &c->segs[j];
			if (a->gpa < b->gpa + b->memsz && b->gpa < a->gpa + a->memsz)
				return MBL_REFUSE(c, "segments %u and %u overlap at 0x%x", b->index,
				                  a->index, a->gpa > b->gpa ? a->gpa : b->gpa);
		}
	}
	return true;
}

static bool check_entry(struct mbload_ctx *c)
{
	if (c->entry >> 32)
		return MBL_REFUSE(c, "entry point 0x%x above 4 GiB", c->entry);
	for (uint32_t i = 0; i < c->nsegs; i++)
		if (c->entry >= c->segs[i].gpa && c->entry - c->segs[i].gpa < c->segs[i].memsz)
			return true;
	return MBL_REFUSE(c, "entry point 0x%x is not inside the loaded image", c->entry);
}

static uint64_t image_end(const struct mbload_ctx *c)
{
	uint64_t end = 0;
	for (uint32_t i = 0; i < c->nsegs; i++)
		if (c->segs[i].gpa + c->segs[i].memsz > end)
			end = c->segs[i].gpa + c->segs[i].memsz;
	return end;
}

static uint64_t image_start(const struct mbload_ctx *c)
{
	uint64_t start = UINT64_MAX;
	for (uint32_t i = 0; i < c->nsegs; i++)
		if (c->segs[i].gpa < start)
			start = c->segs[i].gpa;
	return start;
}

/* Each module page aligned after the previous one, the first after the kernel image. */
static bool place_modules(struct mbload_ctx *c, struct mbload_result *res)
{
	const struct mbload_request *r = c->req;
	uint64_t next = mbl_align_up(res->image_end, PAGE_BYTES);
	if (r->module_count > MBLOAD_MAX_MODULES)
		return MBL_REFUSE(c, "%u modules, the loader takes at most %u", r->module_count,
		                  MBLOAD_MAX_MODULES);
	res->modules_start = res->modules_end = next;
	for (uint32_t i = 0; i < r->module_count; i++) {
		uint64_t gpa = mbl_align_up(next, PAGE_BYTES), size = r->modules[i].size;
		if (size > c->mem->ram_bytes || gpa > c->mem->ram_bytes - size)
			return MBL_REFUSE(c,
			                  "module %u (0x%x bytes) does not fit in guest RAM "
			                  "after 0x%x",
			                  i, size, gpa);
		c->mod_gpa[i] = gpa;
		next = gpa + size;
		res->modules_end = next;
	}
	return true;
}

static bool write_all(struct mbload_ctx *c)
{
	const struct load_mem *m = c->mem;
	for (uint32_t i = 0; i < c->nsegs; i++) {
		const struct mbload_seg *s = &c->segs[i];
		if (!m->write(m->ctx, s->gpa, c->img + s->offset, s->filesz) ||
		    !m->zero(m->ctx, s->gpa + s->filesz, s->memsz - s->filesz))
			return MBL_REFUSE(c, "guest RAM write failed for segment %u", s->index);
	}
	for (uint32_t i = 0; i < c->req->module_count; i++) {
		const struct mbload_module *mod = &c->req->modules[i];
		if (!m->write(m->ctx, c->mod_gpa[i], mod->data, mod->size))
			return MBL_REFUSE(c, "guest RAM write failed for module %u", i);
	}
	return true;
}

static bool parse_image(struct mbload_ctx *c)
{
	if (!mbl_find_header(c))
		return false;
	if (c->hdr.aout ? !mbl_parse_aout(c) : !mbl_parse_elf(c))
		return false;
	/* Multiboot2 §3.1.6: the entry address tag overrides the ELF entry. */
	if (c->hdr.has_entry)
		c->entry = c->hdr.entry_addr;
	return check_segments(c) && check_entry(c);
}

bool mbload(const struct load_mem *mem, const struct mbload_request *req,
            struct mbload_result *res, char *why, uint32_t why_len)
{
	static const struct mbload_ctx empty;
	struct mbload_ctx c = empty;
	c.mem = mem;
	c.req = req;
	c.img = req->image;
	c.size = req->image ? req->size : 0;
	c.why = why;
	c.why_len = why_len;
	*res = (struct mbload_result){0};
	if (why && why_len)
		why[0] = 0;
	if (!check_ram(&c) || !parse_image(&c))
		return false;
	res->version = c.hdr.version;
	res->format = c.format;
	res->header_offset = (uint32_t)c.hdr.offset;
	res->image_start = image_start(&c);
	res->image_end = image_end(&c);
	res->entry = (uint32_t)c.entry;
	if (!place_modules(&c, res) || !write_all(&c) || !mbl_build_info(&c, res))
		return false;
	res->eax = c.hdr.version == 2 ? MBLOAD_MB2_BOOT_MAGIC : MBLOAD_MB1_BOOT_MAGIC;
	res->ebx = (uint32_t)res->info_start;
	return true;
}

const char *mbload_version_name(const struct mbload_result *res)
{
	return res->version == 2 ? "multiboot2" : "multiboot1";
}

const char *mbload_format_name(const struct mbload_result *res)
{
	static const char *const names[] = {"ELF32", "ELF64", "a.out kludge"};
	return names[res->format];
}
