/*
 * An ELF kernel by the PVH boot ABI (Xen docs/misc/pvh.pandoc; Linux
 * arch/x86/platform/pvh/head.S and enlighten.c): the PT_LOAD segments at their physical
 * addresses, then hvm_start_info version 1 with the module list (the initrd first), the
 * memory map and the command lines in the loader's area, and the modules as high in RAM
 * as they fit. Every check comes before the first write to guest RAM.
 */
#include "vmx/load/e820.h"
#include "vmx/load/linux_elf.h"
#include "vmx/load/linux_int.h"
#include "vmx/load/linux_pvh_start_info.h"
#include "vmx/load/linux_text.h"

struct pvh_plan {
	struct load_range kernel; /* hull of the segments */
	uint64_t cmdline_gpa;
	uint64_t mod_gpa[LINUX_PVH_MAX_MODULES], mod_cmdline_gpa[LINUX_PVH_MAX_MODULES];
	struct load_range modules; /* hull of the modules */
};

bool linux_pvh_has_note(const uint8_t *image, uint64_t size)
{
	struct linux_ctx c = {.img = image, .size = image ? size : 0};
	struct lx_elf e;
	return lx_elf_find_note(&c, &e);
}

static bool check_segment(struct linux_ctx *c, const struct lx_elf_seg *s)
{
	uint64_t top = e820_usable_top(c->mem->ram_bytes);
	if (s->paddr > top || s->memsz > top - s->paddr)
		return lx_refuse(c,
		                 "ELF segment %u at [0x%lx, +0x%lx) outside guest RAM (%lu bytes)",
		                 s->index, s->paddr, s->memsz, c->mem->ram_bytes);
	if (s->paddr < E820_HIGH_RAM)
		return lx_refuse(c,
		                 "ELF segment %u at 0x%lx is below 1 MiB (the loader's area and "
		                 "the PC hole are there)",
		                 s->index, s->paddr);
	return true;
}

/* Each segment in usable RAM above 1 MiB, no two overlapping, the entry inside one. */
static bool check_segments(struct linux_ctx *c, const struct lx_elf *e, struct pvh_plan *p)
{
	bool entry_loaded = false;
	for (uint32_t i = 0; i < e->nsegs; i++) {
		const struct lx_elf_seg *a = &e->segs[i];
		struct load_range ra = {a->paddr, a->paddr + a->memsz};
		if (!check_segment(c, a))
			return false;
		for (uint32_t j = 0; j < i; j++) {
			const struct lx_elf_seg *b = &e->segs[j];
			if (lx_overlap(ra, (struct load_range){b->paddr, b->paddr + b->memsz}))
				return lx_refuse(c, "ELF segments %u and %u overlap", b->index,
				                 a->index);
		}
		entry_loaded |= e->entry >= ra.start && e->entry < ra.end;
		lx_hull(&p->kernel, ra);
	}
	return entry_loaded ||
	       lx_refuse(c, "PVH entry 0x%lx is not inside a loaded segment", e->entry);
}

/* Module i as high as it fits outside avoid[0 .. i + 2): kernel, area, modules before it. */
static bool place_module(struct linux_ctx *c, struct pvh_plan *p, struct load_range *avoid,
                         uint32_t i)
{
	uint64_t size = c->req->modules[i].size, top = e820_usable_top(c->mem->ram_bytes);
	uint64_t room = size ? size : 1; /* an empty module still gets an address of its own */
	uint64_t at = lx_place_high(room, top, avoid, i + 2);
	if (!at)
		return lx_refuse(c,
		                 "module %u of %lu bytes does not fit below 0x%lx outside the "
		                 "kernel's [0x%lx, 0x%lx)",
		                 i, size, top, p->kernel.start, p->kernel.end);
	p->mod_gpa[i] = at;
	avoid[i + 2] = (struct load_range){at, at + room};
	lx_hull(&p->modules, (struct load_range){at, at + size});
	return true;
}

/* Module 0 (the initrd) highest, each next one below those placed, none in the kernel. */
static bool plan_modules(struct linux_ctx *c, struct pvh_plan *p)
{
	struct load_range avoid[LINUX_PVH_MAX_MODULES + 2] = {p->kernel, lx_area()};
	uint32_t n = c->req->module_count;
	if (n > LINUX_PVH_MAX_MODULES)
		return lx_refuse(c, "%u modules, the PVH loader takes at most %u", n,
		                 LINUX_PVH_MAX_MODULES);
	for (uint32_t i = 0; i < n; i++)
		if (!place_module(c, p, avoid, i))
			return false;
	return true;
}

/* The kernel's command line, then each module's; a module without one gets address 0. */
static bool plan_strings(struct linux_ctx *c, struct pvh_plan *p)
{
	const struct load_request *r = c->req;
	if (!(p->cmdline_gpa = lx_reserve_string(c, r->cmdline)))
		return false;
	for (uint32_t i = 0; i < r->module_count; i++) {
		const char *s = r->modules[i].cmdline;
		p->mod_cmdline_gpa[i] = s ? lx_reserve_string(c, s) : 0;
		if (s && !p->mod_cmdline_gpa[i])
			return false;
	}
	return true;
}

static bool write_segments(struct linux_ctx *c, const struct lx_elf *e)
{
	for (uint32_t i = 0; i < e->nsegs; i++) {
		const struct lx_elf_seg *s = &e->segs[i];
		if (!lx_write(c, s->paddr, c->img + s->offset, s->filesz) ||
		    !lx_zero(c, s->paddr + s->filesz, s->memsz - s->filesz))
			return false;
	}
	return true;
}

static bool write_start_info(struct linux_ctx *c, const struct pvh_plan *p)
{
	uint8_t si[HVM_SI_BYTES] = {0};
	uint32_t n = c->req->module_count;
	lx_wr32(si + HVM_SI_MAGIC, HVM_START_MAGIC);
	lx_wr32(si + HVM_SI_VERSION, HVM_START_VERSION);
	lx_wr32(si + HVM_SI_NR_MODULES, n);
	lx_wr64(si + HVM_SI_MODLIST_PADDR, n ? LINUX_PVH_MODLIST_GPA : 0);
	lx_wr64(si + HVM_SI_CMDLINE_PADDR, p->cmdline_gpa);
	lx_wr64(si + HVM_SI_RSDP_PADDR, 0); /* no ACPI tables */
	lx_wr64(si + HVM_SI_MEMMAP_PADDR, LINUX_PVH_MEMMAP_GPA);
	lx_wr32(si + HVM_SI_MEMMAP_ENTRIES, E820_GUEST_ENTRIES);
	return lx_write(c, LINUX_INFO_GPA, si, sizeof(si));
}

static bool write_lists(struct linux_ctx *c, const struct pvh_plan *p)
{
	struct e820_entry map[E820_GUEST_ENTRIES];
	uint32_t n = e820_guest_map(c->mem->ram_bytes, map, E820_GUEST_ENTRIES);
	for (uint32_t i = 0; i < c->req->module_count; i++) {
		uint8_t m[HVM_MOD_BYTES] = {0};
		lx_wr64(m + HVM_MOD_PADDR, p->mod_gpa[i]);
		lx_wr64(m + HVM_MOD_SIZE, c->req->modules[i].size);
		lx_wr64(m + HVM_MOD_CMDLINE_PADDR, p->mod_cmdline_gpa[i]);
		if (!lx_write(c, LINUX_PVH_MODLIST_GPA + i * HVM_MOD_BYTES, m, sizeof(m)))
			return false;
	}
	for (uint32_t i = 0; i < n; i++) {
		uint8_t m[HVM_MEMMAP_BYTES] = {0};
		lx_wr64(m + HVM_MEMMAP_ADDR, map[i].addr);
		lx_wr64(m + HVM_MEMMAP_SIZE, map[i].size);
		lx_wr32(m + HVM_MEMMAP_TYPE, map[i].type);
		if (!lx_write(c, LINUX_PVH_MEMMAP_GPA + i * HVM_MEMMAP_BYTES, m, sizeof(m)))
			return false;
	}
	return true;
}

static bool write_strings_and_modules(struct linux_ctx *c, const struct pvh_plan *p)
{
	const struct load_request *r = c->req;
	if (!lx_write_string(c, p->cmdline_gpa, r->cmdline))
		return false;
	for (uint32_t i = 0; i < r->module_count; i++) {
		const struct mbload_module *m = &r->modules[i];
		if ((m->cmdline && !lx_write_string(c, p->mod_cmdline_gpa[i], m->cmdline)) ||
		    !lx_write(c, p->mod_gpa[i], m->data, m->size))
			return false;
	}
	return true;
}

static void fill_result(const struct linux_ctx *c, const struct lx_elf *e, const struct pvh_plan *p,
                        struct load_result *res)
{
	res->kind = LOAD_LINUX_PVH;
	linux_format(res->name, sizeof(res->name), "pvh %s", e->is64 ? "ELF64" : "ELF32");
	res->entry = e->entry;
	lx_entry_state(&res->state, (uint32_t)e->entry);
	res->state.gpr[BOOT_RBX] = LINUX_INFO_GPA;
	res->kernel = p->kernel;
	res->modules = p->modules;
	res->info = (struct load_range){LINUX_INFO_GPA, c->str_next};
}

bool linux_pvh_load(const struct load_mem *mem, const struct load_request *req,
                    struct load_result *res, char *why, uint32_t why_len)
{
	struct linux_ctx c;
	struct lx_elf e;
	struct pvh_plan p = {0};
	lx_begin(&c, mem, req, res, why, why_len);
	if (!lx_elf_parse(&c, &e) || !lx_check_ram(&c) || !check_segments(&c, &e, &p) ||
	    !plan_modules(&c, &p) || !plan_strings(&c, &p))
		return false;
	if (!write_segments(&c, &e) || !write_start_info(&c, &p) || !write_lists(&c, &p) ||
	    !lx_write_gdt(&c) || !write_strings_and_modules(&c, &p))
		return false;
	fill_result(&c, &e, &p, res);
	return true;
}
