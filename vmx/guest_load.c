/*
 * Loading a multiboot1 kernel into guest RAM (Multiboot Specification 0.6.96
 * §3.1 header, §3.2 machine state, §3.3 information format; ELF from the
 * System V ABI). Every field of the image is checked before use: the image
 * is guest input.
 */
#include "vmx/guest_load.h"
#include "arch/x86/printf.h"

#define MB1_HEADER_MAGIC 0x1badb002u
#define MB1_SEARCH_BYTES 8192u
#define MB1_FLAG_AOUT_KLUDGE (1u << 16)
#define MB1_INFO_MEM (1u << 0)
#define MB1_INFO_CMDLINE (1u << 2)
#define MB1_INFO_MMAP (1u << 6)

#define ELF_MAGIC 0x464c457fu
#define ELF_CLASS32 1
#define ELF_CLASS64 2
#define ELF_PT_LOAD 1
#define EM_386 3
#define EM_X86_64 62

struct load_ctx {
	struct guest_mem *gm;
	const uint8_t *image;
	uint64_t size;
	char *why;
	uint64_t why_len;
};

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint64_t rd64(const uint8_t *p)
{
	return rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static int refuse(struct load_ctx *c, const char *what, uint64_t a, uint64_t b)
{
	snprintf(c->why, c->why_len, what, (unsigned long)a, (unsigned long)b);
	return -1;
}

static int find_mb1_header(struct load_ctx *c)
{
	uint64_t limit = c->size < MB1_SEARCH_BYTES ? c->size : MB1_SEARCH_BYTES;
	for (uint64_t off = 0; off + 12 <= limit; off += 4) {
		if (rd32(c->image + off) != MB1_HEADER_MAGIC)
			continue;
		uint32_t flags = rd32(c->image + off + 4), sum = rd32(c->image + off + 8);
		if ((uint32_t)(MB1_HEADER_MAGIC + flags + sum) != 0)
			return refuse(c, "multiboot header at 0x%lx: bad checksum (flags 0x%lx)",
				      off, flags);
		if (flags & MB1_FLAG_AOUT_KLUDGE)
			return refuse(c, "multiboot header at 0x%lx: a.out kludge not supported "
					 "yet (flags 0x%lx)", off, flags);
		return 0;
	}
	return refuse(c, "no multiboot1 header in the first %lu bytes (image %lu bytes)", limit,
		      c->size);
}

static int load_segment(struct load_ctx *c, unsigned i, uint64_t off, uint64_t paddr,
			uint64_t filesz, uint64_t memsz)
{
	if (filesz > memsz || off > c->size || filesz > c->size - off)
		return refuse(c, "segment %lu: file range past the image end (offset 0x%lx)", i,
			      off);
	if (paddr + memsz < paddr || paddr + memsz > c->gm->frames * PAGE_SIZE)
		return refuse(c, "segment %lu at 0x%lx: outside guest RAM", i, paddr);
	guest_mem_write(c->gm, paddr, c->image + off, filesz);
	guest_mem_zero(c->gm, paddr + filesz, memsz - filesz);
	return 0;
}

static int load_elf(struct load_ctx *c, uint64_t *entry)
{
	const uint8_t *h = c->image;
	if (c->size < 64 || rd32(h) != ELF_MAGIC)
		return refuse(c, "not an ELF image (%lu bytes)", c->size, 0);
	int is64 = h[4] == ELF_CLASS64;
	uint16_t machine = rd16(h + 18);
	if ((is64 && machine != EM_X86_64) || (!is64 && (h[4] != ELF_CLASS32 || machine != EM_386)))
		return refuse(c, "ELF class %lu machine %lu not x86", h[4], machine);
	uint64_t phoff = is64 ? rd64(h + 32) : rd32(h + 28);
	uint16_t phentsize = rd16(h + (is64 ? 54 : 42)), phnum = rd16(h + (is64 ? 56 : 44));
	*entry = is64 ? rd64(h + 24) : rd32(h + 24);
	if (phoff > c->size || (uint64_t)phentsize * phnum > c->size - phoff ||
	    phentsize < (is64 ? 56 : 32))
		return refuse(c, "program headers past the image end (offset 0x%lx, %lu entries)",
			      phoff, phnum);
	for (unsigned i = 0; i < phnum; i++) {
		const uint8_t *ph = h + phoff + (uint64_t)i * phentsize;
		if (rd32(ph) != ELF_PT_LOAD)
			continue;
		int rc = is64 ? load_segment(c, i, rd64(ph + 8), rd64(ph + 24), rd64(ph + 32),
					     rd64(ph + 40))
			      : load_segment(c, i, rd32(ph + 4), rd32(ph + 12), rd32(ph + 16),
					     rd32(ph + 20));
		if (rc)
			return rc;
	}
	return 0;
}

/* Multiboot information: memory sizes and the command line (§3.3). */
static void build_mbi(struct guest_mem *gm, const char *cmdline)
{
	uint32_t mbi[22] = {0};
	uint64_t ram_kib = gm->frames * PAGE_SIZE / 1024;
	uint64_t len = 0;

	mbi[0] = MB1_INFO_MEM | MB1_INFO_CMDLINE;
	mbi[1] = 639;                                        /* mem_lower, KiB */
	mbi[2] = (uint32_t)(ram_kib > 1024 ? ram_kib - 1024 : 0); /* mem_upper */
	mbi[4] = GUEST_CMDLINE_GPA;
	while (cmdline && cmdline[len] && len < 255)
		len++;
	guest_mem_zero(gm, GUEST_CMDLINE_GPA, 256);
	guest_mem_write(gm, GUEST_CMDLINE_GPA, cmdline ? cmdline : "", len);
	guest_mem_write(gm, GUEST_MBI_GPA, mbi, sizeof(mbi));
}

int guest_load_multiboot(struct guest_mem *gm, const uint8_t *image, uint64_t size,
			 const char *cmdline, struct guest_entry *entry, char *why,
			 uint64_t why_len)
{
	struct load_ctx c = {gm, image, size, why, why_len};
	uint64_t rip;

	if (find_mb1_header(&c) || load_elf(&c, &rip))
		return -1;
	if (rip >= gm->frames * PAGE_SIZE)
		return refuse(&c, "entry point 0x%lx outside guest RAM", rip, 0);
	build_mbi(gm, cmdline);
	*entry = (struct guest_entry){.rip = rip, .rax = GUEST_MB1_MAGIC, .rbx = GUEST_MBI_GPA};
	return 0;
}
