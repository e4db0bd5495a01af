/* What the bzImage and PVH loaders share: messages, RAM writes, strings, placement, GDT. */
#include "vmx/load/e820.h"
#include "vmx/load/linux_int.h"
#include "vmx/load/linux_text.h"

/*
 * A flat 4 GiB segment descriptor (SDM Vol. 3A §3.4.5, figure 3-8): base 0, limit 0xfffff
 * pages, and the access rights of the boot state. The VMCS access-rights layout (SDM
 * Vol. 3C §24.4.1) is the descriptor's bits 47:40 (type, S, DPL, P) in bits 7:0 and its
 * bits 55:52 (AVL, L, D/B, G) in bits 15:12, so the GDT and the hidden segment state the
 * guest starts with agree by construction (accessed bits included: no write on reload).
 */
#define DESC_FLAT_LIMIT     0xfffffu
#define DESC_LIMIT_LO_MASK  0xffffu
#define DESC_ACCESS_SHIFT   40
#define DESC_LIMIT_HI_SHIFT 48
#define DESC_FLAGS_SHIFT    52
#define AR_ACCESS_MASK      0xffu
#define AR_FLAGS_SHIFT      12
#define AR_FLAGS_MASK       0xfu

static uint64_t flat_descriptor(uint32_t access_rights)
{
	uint64_t access = access_rights & AR_ACCESS_MASK;
	uint64_t flags = (access_rights >> AR_FLAGS_SHIFT) & AR_FLAGS_MASK;
	return (DESC_FLAT_LIMIT & DESC_LIMIT_LO_MASK) | access << DESC_ACCESS_SHIFT |
	       (uint64_t)(DESC_FLAT_LIMIT >> 16) << DESC_LIMIT_HI_SHIFT | flags << DESC_FLAGS_SHIFT;
}

void lx_begin(struct linux_ctx *c, const struct load_mem *mem, const struct load_request *req,
              struct load_result *res, char *why, uint32_t why_len)
{
	*c = (struct linux_ctx){
	    .mem = mem,
	    .req = req,
	    .img = req->image,
	    .size = req->image ? req->size : 0,
	    .why = why,
	    .why_len = why_len,
	    .str_next = LINUX_CMDLINE_GPA,
	};
	*res = (struct load_result){0};
	if (why && why_len)
		why[0] = 0;
}

bool lx_refuse(struct linux_ctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	linux_vformat(c->why, c->why_len, fmt, ap);
	va_end(ap);
	return false;
}

bool lx_check_ram(struct linux_ctx *c)
{
	uint64_t ram = c->mem->ram_bytes;
	if (e820_guest_ram_ok(ram))
		return true;
	return lx_refuse(c,
	                 "guest RAM of %lu KiB is outside [%lu KiB, %lu KiB], what the memory "
	                 "map describes",
	                 ram >> 10, (uint64_t)E820_GUEST_RAM_MIN >> 10, E820_GUEST_RAM_MAX >> 10);
}

bool lx_write(struct linux_ctx *c, uint64_t gpa, const void *src, uint64_t len)
{
	if (c->mem->write(c->mem->ctx, gpa, src, len))
		return true;
	return lx_refuse(c, "guest RAM write of %lu bytes at 0x%lx failed", len, gpa);
}

bool lx_zero(struct linux_ctx *c, uint64_t gpa, uint64_t len)
{
	if (c->mem->zero(c->mem->ctx, gpa, len))
		return true;
	return lx_refuse(c, "guest RAM zeroing of %lu bytes at 0x%lx failed", len, gpa);
}

uint64_t lx_reserve_string(struct linux_ctx *c, const char *s)
{
	uint64_t gpa = c->str_next, bytes = lx_strlen(s) + 1;
	if (bytes > LINUX_AREA_END - gpa) {
		lx_refuse(c,
		          "command lines need %lu bytes from 0x%x, the loader's area ends at 0x%x",
		          gpa - LINUX_CMDLINE_GPA + bytes, LINUX_CMDLINE_GPA, LINUX_AREA_END);
		return 0;
	}
	c->str_next = gpa + bytes;
	return gpa;
}

bool lx_write_string(struct linux_ctx *c, uint64_t gpa, const char *s)
{
	return lx_write(c, gpa, s ? s : "", lx_strlen(s) + 1);
}

uint64_t lx_place_high(uint64_t size, uint64_t limit, const struct load_range *avoid,
                       uint32_t navoid)
{
	if (size > limit || limit - size < E820_HIGH_RAM)
		return 0;
	uint64_t at = lx_align_down(limit - size, LINUX_PAGE_BYTES);
	bool moved;
	do { /* each move goes strictly lower, so this ends */
		moved = false;
		for (uint32_t i = 0; i < navoid; i++) {
			if (!lx_overlap((struct load_range){at, at + size}, avoid[i]))
				continue;
			if (avoid[i].start < E820_HIGH_RAM + size)
				return 0;
			at = lx_align_down(avoid[i].start - size, LINUX_PAGE_BYTES);
			moved = true;
		}
	} while (moved);
	return at >= E820_HIGH_RAM ? at : 0;
}

bool lx_write_gdt(struct linux_ctx *c)
{
	uint8_t gdt[LINUX_GDT_ENTRIES * 8] = {0}; /* entries 0 and 1 stay null */
	lx_wr64(gdt + LINUX_BOOT_CS, flat_descriptor(BOOT_AR_CODE32));
	lx_wr64(gdt + LINUX_BOOT_DS, flat_descriptor(BOOT_AR_DATA32));
	return lx_write(c, LINUX_GDT_GPA, gdt, sizeof(gdt));
}

void lx_entry_state(struct boot_state *s, uint32_t entry)
{
	boot_state_flat32(s, entry, LINUX_BOOT_CS, LINUX_BOOT_DS);
	s->gdt_base = LINUX_GDT_GPA;
	s->gdt_limit = LINUX_GDT_ENTRIES * 8 - 1;
}
