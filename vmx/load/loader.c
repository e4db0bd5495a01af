/* Choosing the loader by what the image is (vmx/load/loader.h). */
#include "vmx/load/loader.h"

#include "vmx/load/linux_boot.h"
#include "vmx/load/linux_text.h"

/* Multiboot 0.6.96 §3.1.1 and Multiboot2 §3.1.1: magic, search window, alignment, words. */
#define MB1_MAGIC  0x1badb002u
#define MB1_SEARCH 8192u
#define MB1_ALIGN  4u
#define MB1_WORDS  3u /* magic, flags, checksum */
#define MB2_MAGIC  0xe85250d6u
#define MB2_SEARCH 32768u
#define MB2_ALIGN  8u
#define MB2_WORDS  4u /* magic, architecture, header_length, checksum */
#define ELF_MAGIC  0x464c457fu

/* The selectors the hypervisor has always given multiboot guests (vmx/cpu/vmcs_setup.c). */
#define MB_CODE_SEL 0x08u
#define MB_DATA_SEL 0x10u

enum mb_scan { MB_NONE, MB_DAMAGED, MB_FOUND };

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* A header is its magic at an aligned offset in the window with words summing to 0. */
static enum mb_scan scan_multiboot(const struct load_request *r, uint32_t magic, uint32_t window,
                                   uint32_t align, uint32_t words)
{
	enum mb_scan seen = MB_NONE;
	uint64_t end = r->size < window ? r->size : window;
	for (uint64_t off = 0; off + 4u * words <= end; off += align) {
		uint32_t sum = 0;
		if (rd32(r->image + off) != magic)
			continue;
		for (uint32_t i = 0; i < words; i++)
			sum += rd32(r->image + off + 4u * i);
		if (sum == 0)
			return MB_FOUND;
		seen = MB_DAMAGED;
	}
	return seen;
}

static enum mb_scan find_multiboot(const struct load_request *r)
{
	enum mb_scan v2 = scan_multiboot(r, MB2_MAGIC, MB2_SEARCH, MB2_ALIGN, MB2_WORDS);
	enum mb_scan v1 = scan_multiboot(r, MB1_MAGIC, MB1_SEARCH, MB1_ALIGN, MB1_WORDS);
	return v2 > v1 ? v2 : v1;
}

static bool is_elf(const struct load_request *r)
{
	return r->size >= 4 && rd32(r->image) == ELF_MAGIC;
}

/* The multiboot loader's {entry, EAX, EBX} as a whole entry state. */
static bool load_multiboot(const struct load_mem *mem, const struct load_request *req,
                           struct load_result *res, char *why, uint32_t why_len)
{
	struct mbload_request mreq = {req->image, req->size, req->cmdline, req->modules,
	                              req->module_count};
	struct mbload_result m;
	*res = (struct load_result){0};
	if (!mbload(mem, &mreq, &m, why, why_len))
		return false;
	res->kind = LOAD_MULTIBOOT;
	linux_format(res->name, sizeof(res->name), "%s %s", mbload_version_name(&m),
	             mbload_format_name(&m));
	res->entry = m.entry;
	boot_state_flat32(&res->state, m.entry, MB_CODE_SEL, MB_DATA_SEL);
	res->state.gpr[BOOT_RAX] = m.eax;
	res->state.gpr[BOOT_RBX] = m.ebx;
	res->kernel = (struct load_range){m.image_start, m.image_end};
	res->modules = (struct load_range){m.modules_start, m.modules_end};
	res->info = (struct load_range){m.info_start, m.info_end};
	return true;
}

bool load_image(const struct load_mem *mem, const struct load_request *req, struct load_result *res,
                char *why, uint32_t why_len)
{
	const struct load_request none = {0};
	const struct load_request *r = req->image ? req : &none;
	if (linux_is_bzimage(r->image, r->size))
		return linux_bzimage_load(mem, req, res, why, why_len);
	enum mb_scan mb = find_multiboot(r);
	if (mb == MB_FOUND)
		return load_multiboot(mem, req, res, why, why_len);
	if (is_elf(r) && linux_pvh_has_note(r->image, r->size))
		return linux_pvh_load(mem, req, res, why, why_len);
	if (is_elf(r) && mb == MB_NONE) {
		*res = (struct load_result){0};
		linux_format(why, why_len,
		             "ELF image with neither a multiboot header nor a PVH entry note (Xen "
		             "ELF note 18)");
		return false;
	}
	return load_multiboot(mem, req, res, why, why_len);
}
