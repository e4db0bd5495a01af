/*
 * ELF images for PVH (vmx/load/linux_elf.h). Every field is guest input and is checked
 * against the file before use. Notes (System V ABI, "Note Section") are namesz, descsz,
 * type, then the name and the descriptor, each padded to the segment's alignment: 4, or
 * 8 when p_align says so (Linux's vmlinux uses 4 in ELF64 too).
 */
#include "vmx/load/linux_elf.h"
#include "vmx/load/linux_pvh_start_info.h"

#define ELF_MAGIC      0x464c457fu /* "\x7fELF" read as a little-endian u32 */
#define EI_CLASS       4
#define EI_DATA        5
#define ELFCLASS32     1
#define ELFCLASS64     2
#define ELFDATA2LSB    1
#define ET_EXEC        2
#define ET_DYN         3
#define EM_386         3
#define EM_X86_64      62
#define E_TYPE         16
#define E_MACHINE      18
#define PT_LOAD        1
#define PT_NOTE        4
#define NOTE_HDR_BYTES 12u

/* Offsets that differ between the classes. */
struct elf_layout {
	uint32_t ehsize, phentsize_min;
	uint32_t e_phoff, e_phentsize, e_phnum;
	uint32_t p_offset, p_paddr, p_filesz, p_memsz, p_align;
};

static const struct elf_layout layout32 = {52, 32, 28, 42, 44, 4, 12, 16, 20, 28};
static const struct elf_layout layout64 = {64, 56, 32, 54, 56, 8, 24, 32, 40, 48};

static uint64_t rd_word(const uint8_t *p, bool is64)
{
	return is64 ? lx_rd64(p) : lx_rd32(p);
}

static bool check_ident(struct linux_ctx *c, struct lx_elf *e)
{
	const uint8_t *h = c->img;
	if (!lx_in_file(c, 0, 20) || lx_rd32(h) != ELF_MAGIC)
		return lx_refuse(c, "not an ELF file (no \\x7fELF magic)");
	uint32_t cls = h[EI_CLASS], machine = lx_rd16(h + E_MACHINE), type = lx_rd16(h + E_TYPE);
	if (!(cls == ELFCLASS32 && machine == EM_386) &&
	    !(cls == ELFCLASS64 && machine == EM_X86_64))
		return lx_refuse(c,
		                 "ELF class %u machine %u: want ELF32 i386 (1, 3) or ELF64 x86-64 "
		                 "(2, 62)",
		                 cls, machine);
	if (h[EI_DATA] != ELFDATA2LSB)
		return lx_refuse(c, "ELF data encoding %u: want little-endian (1)", h[EI_DATA]);
	if (type != ET_EXEC && type != ET_DYN)
		return lx_refuse(c, "ELF type %u is not an executable", type);
	e->is64 = cls == ELFCLASS64;
	uint32_t ehsize = e->is64 ? layout64.ehsize : layout32.ehsize;
	if (!lx_in_file(c, 0, ehsize))
		return lx_refuse(c, "truncated: ELF header needs %u bytes, image has %lu", ehsize,
		                 c->size);
	return true;
}

static bool add_segment(struct linux_ctx *c, struct lx_elf *e, const struct elf_layout *l,
                        uint32_t index, const uint8_t *ph)
{
	struct lx_elf_seg s = {
	    index, rd_word(ph + l->p_offset, e->is64), rd_word(ph + l->p_paddr, e->is64),
	    rd_word(ph + l->p_filesz, e->is64), rd_word(ph + l->p_memsz, e->is64)};
	if (s.memsz == 0 && s.filesz == 0)
		return true;
	if (s.filesz > s.memsz)
		return lx_refuse(c, "ELF segment %u: p_filesz 0x%lx above p_memsz 0x%lx", index,
		                 s.filesz, s.memsz);
	if (!lx_in_file(c, s.offset, s.filesz))
		return lx_refuse(c,
		                 "truncated: ELF segment %u's bytes [0x%lx, +0x%lx) pass the image "
		                 "end (0x%lx)",
		                 index, s.offset, s.filesz, c->size);
	if (e->nsegs == LX_ELF_MAX_SEGMENTS)
		return lx_refuse(c, "ELF has more than %u loadable segments", LX_ELF_MAX_SEGMENTS);
	e->segs[e->nsegs++] = s;
	return true;
}

/* The note's value: 4 bytes (an ELF32 .long) or 8 (Linux's _ASM_PTR in ELF64). */
static bool read_entry(struct linux_ctx *c, struct lx_elf *e, const uint8_t *desc, uint32_t descsz)
{
	if (descsz != 4 && descsz != 8)
		return lx_refuse(c, "PVH entry note holds %u bytes, want 4 or 8", descsz);
	e->entry = descsz == 4 ? lx_rd32(desc) : lx_rd64(desc);
	if (e->entry >> 32)
		return lx_refuse(c, "PVH entry 0x%lx is above 4 GiB", e->entry);
	return true;
}

static bool is_pvh_note(const uint8_t *name, uint32_t namesz, uint32_t type)
{
	return type == PVH_NOTE_PHYS32_ENTRY && namesz == PVH_NOTE_NAME_BYTES &&
	       __builtin_memcmp(name, PVH_NOTE_NAME, PVH_NOTE_NAME_BYTES) == 0;
}

/* Walk one PT_NOTE segment's notes; *found when the PVH note was in it. */
static bool scan_notes(struct linux_ctx *c, struct lx_elf *e, uint64_t off, uint64_t len,
                       uint64_t align, bool *found)
{
	const uint8_t *seg = c->img + off;
	for (uint64_t pos = 0; !*found && len - pos >= NOTE_HDR_BYTES;) {
		uint32_t namesz = lx_rd32(seg + pos), descsz = lx_rd32(seg + pos + 4);
		uint64_t desc = pos + NOTE_HDR_BYTES + lx_align_up(namesz, align);
		if (desc > len || descsz > len - desc)
			return lx_refuse(
			    c, "ELF note at file offset 0x%lx overruns its PT_NOTE segment",
			    off + pos);
		if (is_pvh_note(seg + pos + NOTE_HDR_BYTES, namesz, lx_rd32(seg + pos + 8))) {
			*found = true;
			return read_entry(c, e, seg + desc, descsz);
		}
		uint64_t next = desc + lx_align_up(descsz, align);
		if (next > len)
			break; /* the last note's padding may be missing */
		pos = next;
	}
	return true;
}

static const struct elf_layout *layout(const struct lx_elf *e)
{
	return e->is64 ? &layout64 : &layout32;
}

static const uint8_t *phdr(const struct linux_ctx *c, const struct lx_elf *e, uint32_t i)
{
	return c->img + e->phoff + (uint64_t)i * e->phentsize;
}

static bool find_note(struct linux_ctx *c, struct lx_elf *e)
{
	const struct elf_layout *l = layout(e);
	bool found = false;
	for (uint32_t i = 0; i < e->phnum && !found; i++) {
		const uint8_t *ph = phdr(c, e, i);
		uint64_t off = rd_word(ph + l->p_offset, e->is64);
		uint64_t len = rd_word(ph + l->p_filesz, e->is64);
		uint64_t align = rd_word(ph + l->p_align, e->is64) == 8 ? 8 : 4;
		if (lx_rd32(ph) != PT_NOTE)
			continue;
		if (!lx_in_file(c, off, len))
			return lx_refuse(c,
			                 "truncated: ELF note segment %u [0x%lx, +0x%lx) passes "
			                 "the image end (0x%lx)",
			                 i, off, len, c->size);
		if (!scan_notes(c, e, off, len, align, &found))
			return false;
	}
	return found || lx_refuse(c, "no PVH entry note (Xen ELF note %u)", PVH_NOTE_PHYS32_ENTRY);
}

static bool read_phdrs(struct linux_ctx *c, struct lx_elf *e)
{
	const struct elf_layout *l = layout(e);
	e->phoff = rd_word(c->img + l->e_phoff, e->is64);
	e->phentsize = lx_rd16(c->img + l->e_phentsize);
	e->phnum = lx_rd16(c->img + l->e_phnum);
	if (e->phentsize < l->phentsize_min)
		return lx_refuse(c, "ELF e_phentsize %u, want at least %u", e->phentsize,
		                 l->phentsize_min);
	if (!lx_in_file(c, e->phoff, (uint64_t)e->phentsize * e->phnum))
		return lx_refuse(c,
		                 "truncated: ELF program headers [0x%lx, +%u x %u) pass the image "
		                 "end (0x%lx)",
		                 e->phoff, e->phnum, e->phentsize, c->size);
	return true;
}

bool lx_elf_find_note(struct linux_ctx *c, struct lx_elf *e)
{
	*e = (struct lx_elf){0};
	return check_ident(c, e) && read_phdrs(c, e) && find_note(c, e);
}

bool lx_elf_parse(struct linux_ctx *c, struct lx_elf *e)
{
	if (!lx_elf_find_note(c, e))
		return false;
	for (uint32_t i = 0; i < e->phnum; i++) {
		const uint8_t *ph = phdr(c, e, i);
		if (lx_rd32(ph) == PT_LOAD && !add_segment(c, e, layout(e), i, ph))
			return false;
	}
	return e->nsegs > 0 || lx_refuse(c, "ELF has no loadable segment");
}
