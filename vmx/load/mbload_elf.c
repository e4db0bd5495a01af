/*
 * ELF32 and ELF64 images (System V ABI, ELF header and program headers): the PT_LOAD
 * segments, loaded by p_paddr, and the entry point. As GRUB does, an e_entry that falls in
 * a segment's virtual range is translated to that segment's physical address (kernels
 * linked for a higher half); the result must lie in a loaded segment, below 4 GiB.
 * Every field is guest input and checked before use.
 */
#include "vmx/load/mbload_int.h"

#define ELF_MAGIC   0x464c457fu
#define EI_CLASS    4
#define EI_DATA     5
#define ELFCLASS32  1
#define ELFCLASS64  2
#define ELFDATA2LSB 1
#define ET_EXEC     2
#define ET_DYN      3
#define EM_386      3
#define EM_X86_64   62
#define PT_LOAD     1

/* Offsets that differ between the classes. */
struct elf_layout {
	uint32_t ehsize, phentsize_min;
	uint32_t e_entry, e_phoff, e_phentsize, e_phnum;
	uint32_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz;
};

static const struct elf_layout elf32 = {52, 32, 24, 28, 42, 44, 4, 8, 12, 16, 20};
static const struct elf_layout elf64 = {64, 56, 24, 32, 54, 56, 8, 16, 24, 32, 40};

static uint64_t rd_word(const uint8_t *p, bool is64)
{
	return is64 ? mbl_rd64(p) : mbl_rd32(p);
}

static bool check_ident(struct mbload_ctx *c, const struct elf_layout **lay)
{
	const uint8_t *h = c->img;
	if (!mbl_in_file(c, 0, 20) || mbl_rd32(h) != ELF_MAGIC)
		return MBL_REFUSE(c,
		                  "multiboot%u header without a.out address fields and the "
		                  "image is not ELF",
		                  c->hdr.version);
	uint32_t cls = h[EI_CLASS], machine = mbl_rd16(h + 18), type = mbl_rd16(h + 16);
	bool is32 = cls == ELFCLASS32 && machine == EM_386;
	bool is64 = cls == ELFCLASS64 && machine == EM_X86_64;
	if (!is32 && !is64)
		return MBL_REFUSE(c,
		                  "ELF class %u machine %u: want ELF32 i386 (1, 3) or ELF64 "
		                  "x86-64 (2, 62)",
		                  cls, machine);
	if (h[EI_DATA] != ELFDATA2LSB)
		return MBL_REFUSE(c, "ELF data encoding %u: want little-endian (1)", h[EI_DATA]);
	if (type != ET_EXEC && type != ET_DYN)
		return MBL_REFUSE(c, "ELF type %u is not an executable", type);
	*lay = cls == ELFCLASS64 ? &elf64 : &elf32;
	c->format = cls == ELFCLASS64 ? MBLOAD_ELF64 : MBLOAD_ELF32;
	if (!mbl_in_file(c, 0, (*lay)->ehsize))
		return MBL_REFUSE(c, "truncated: ELF header needs %u bytes, image has %u",
		                  (*lay)->ehsize, c->size);
	return true;
}

static bool add_segment(struct mbload_ctx *c, const struct elf_layout *lay, bool is64,
                        uint32_t index, const uint8_t *ph)
{
	struct mbload_seg s = {
	    .index = index,
	    .offset = rd_word(ph + lay->p_offset, is64),
	    .gpa = rd_word(ph + lay->p_paddr, is64),
	    .filesz = rd_word(ph + lay->p_filesz, is64),
	    .memsz = rd_word(ph + lay->p_memsz, is64),
	};
	if (s.memsz == 0 && s.filesz == 0)
		return true;
	if (s.filesz > s.memsz)
		return MBL_REFUSE(c, "ELF segment %u: p_filesz 0x%x above p_memsz 0x%x", index,
		                  s.filesz, s.memsz);
	if (!mbl_in_file(c, s.offset, s.filesz))
		return MBL_REFUSE(c,
		                  "truncated: ELF segment %u file bytes [0x%x, +0x%x) past the "
		                  "image end (0x%x)",
		                  index, s.offset, s.filesz, c->size);
	if (c->nsegs == MBLOAD_MAX_SEGMENTS)
		return MBL_REFUSE(c, "ELF has more than %u loadable segments", MBLOAD_MAX_SEGMENTS);
	c->segs[c->nsegs++] = s;
	return true;
}

/* GRUB's rule: an entry in a segment's virtual range moves to its physical address. */
static void translate_entry(struct mbload_ctx *c, const struct elf_layout *lay, bool is64,
                            uint64_t phoff, uint32_t phentsize, uint32_t phnum)
{
	for (uint32_t i = 0; i < phnum; i++) {
		const uint8_t *ph = c->img + phoff + (uint64_t)i * phentsize;
		uint64_t vaddr = rd_word(ph + lay->p_vaddr, is64);
		uint64_t paddr = rd_word(ph + lay->p_paddr, is64);
		uint64_t memsz = rd_word(ph + lay->p_memsz, is64);
		if (mbl_rd32(ph) == PT_LOAD && c->entry >= vaddr && c->entry - vaddr < memsz) {
			c->entry = c->entry - vaddr + paddr;
			return;
		}
	}
}

bool mbl_parse_elf(struct mbload_ctx *c)
{
	const struct elf_layout *lay = &elf32;
	if (!check_ident(c, &lay))
		return false;
	bool is64 = c->format == MBLOAD_ELF64;
	const uint8_t *h = c->img;
	uint64_t phoff = rd_word(h + lay->e_phoff, is64);
	uint32_t phentsize = mbl_rd16(h + lay->e_phentsize), phnum = mbl_rd16(h + lay->e_phnum);
	if (phentsize < lay->phentsize_min)
		return MBL_REFUSE(c, "ELF e_phentsize %u, want at least %u", phentsize,
		                  lay->phentsize_min);
	if (!mbl_in_file(c, phoff, (uint64_t)phentsize * phnum))
		return MBL_REFUSE(c,
		                  "truncated: ELF program headers [0x%x, +%u x %u) past the "
		                  "image end (0x%x)",
		                  phoff, phnum, phentsize, c->size);
	for (uint32_t i = 0; i < phnum; i++) {
		const uint8_t *ph = h + phoff + (uint64_t)i * phentsize;
		if (mbl_rd32(ph) == PT_LOAD && !add_segment(c, lay, is64, i, ph))
			return false;
	}
	if (c->nsegs == 0)
		return MBL_REFUSE(c, "ELF has no loadable segment");
	c->entry = rd_word(h + lay->e_entry, is64);
	translate_entry(c, lay, is64, phoff, phentsize, phnum);
	return true;
}
