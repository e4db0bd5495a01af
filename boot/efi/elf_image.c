/* ELF file checks for the EFI loader: see boot/efi/elf_image.h. */
#include "boot/efi/elf_image.h"

#include <stdarg.h>

#include "boot/bootinfo_build.h"
#include "boot/msgfmt.h"

/* e_ident (System V ABI, ELF header) */
#define EI_CLASS    4
#define EI_DATA     5
#define EI_NIDENT   16
#define ELFCLASS32  1
#define ELFCLASS64  2
#define ELFDATA2LSB 1

#define ET_EXEC   2
#define EM_X86_64 62
#define PT_LOAD   1

/* Field offsets of the ELF-64 and ELF-32 headers and program headers. */
struct elf_layout {
	uint32_t ehdr_size, entry, phoff, phentsize, phnum;
	uint32_t phdr_size, p_type, p_flags, p_offset, p_paddr, p_filesz, p_memsz;
	uint32_t word; /* bytes of an address or offset field */
};

static const struct elf_layout layout64 = {
    .ehdr_size = 64,
    .entry = 24,
    .phoff = 32,
    .phentsize = 54,
    .phnum = 56,
    .phdr_size = 56,
    .p_type = 0,
    .p_flags = 4,
    .p_offset = 8,
    .p_paddr = 24,
    .p_filesz = 32,
    .p_memsz = 40,
    .word = 8,
};

static const struct elf_layout layout32 = {
    .ehdr_size = 52,
    .entry = 24,
    .phoff = 28,
    .phentsize = 42,
    .phnum = 44,
    .phdr_size = 32,
    .p_type = 0,
    .p_flags = 24,
    .p_offset = 4,
    .p_paddr = 12,
    .p_filesz = 16,
    .p_memsz = 20,
    .word = 4,
};

#define E_TYPE    16
#define E_MACHINE 18

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static uint64_t rd_word(const uint8_t *p, const struct elf_layout *l)
{
	return l->word == 8 ? bootinfo_rd64(p) : bootinfo_rd32(p);
}

/* True when [offset, offset + len) lies inside size bytes, without wrapping. */
static int inside(uint64_t offset, uint64_t len, uint64_t size)
{
	return offset <= size && len <= size - offset;
}

static int fail(char *err, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	msg_vformat(err, cap, fmt, ap);
	va_end(ap);
	return -1;
}

static int read_segment(struct elf_image *img, const uint8_t *ph, const struct elf_layout *l,
                        uint32_t index, uint64_t size, char *err, size_t cap)
{
	struct elf_segment s = {
	    .offset = rd_word(ph + l->p_offset, l),
	    .filesz = rd_word(ph + l->p_filesz, l),
	    .paddr = rd_word(ph + l->p_paddr, l),
	    .memsz = rd_word(ph + l->p_memsz, l),
	    .flags = bootinfo_rd32(ph + l->p_flags),
	};

	if (!inside(s.offset, s.filesz, size))
		return fail(
		    err, cap,
		    "segment %u (file bytes 0x%llx+0x%llx) lies beyond the file's %llu bytes"
		    " (truncated?)",
		    index, (unsigned long long)s.offset, (unsigned long long)s.filesz,
		    (unsigned long long)size);
	if (s.filesz > s.memsz)
		return fail(err, cap, "segment %u: file size 0x%llx above memory size 0x%llx",
		            index, (unsigned long long)s.filesz, (unsigned long long)s.memsz);
	if (s.memsz > UINT64_MAX - s.paddr)
		return fail(err, cap, "segment %u: address 0x%llx + 0x%llx wraps", index,
		            (unsigned long long)s.paddr, (unsigned long long)s.memsz);
	if (img->segment_count >= ELF_MAX_SEGMENTS)
		return fail(err, cap, "more than %u PT_LOAD segments", ELF_MAX_SEGMENTS);
	img->segments[img->segment_count++] = s;
	return 0;
}

static int read_segments(struct elf_image *img, const uint8_t *f, const struct elf_layout *l,
                         uint64_t size, char *err, size_t cap)
{
	uint64_t phoff = rd_word(f + l->phoff, l);
	uint32_t phentsize = rd16(f + l->phentsize);
	uint32_t phnum = rd16(f + l->phnum);

	if (phentsize < l->phdr_size)
		return fail(err, cap, "program header size %u below %u", phentsize, l->phdr_size);
	if (!inside(phoff, (uint64_t)phentsize * phnum, size))
		return fail(err, cap,
		            "program headers (0x%llx+%u*%u) lie beyond the file's %llu bytes"
		            " (truncated?)",
		            (unsigned long long)phoff, phnum, phentsize, (unsigned long long)size);
	for (uint32_t i = 0; i < phnum; i++) {
		const uint8_t *ph = f + phoff + (uint64_t)i * phentsize;
		if (bootinfo_rd32(ph + l->p_type) != PT_LOAD)
			continue;
		if (read_segment(img, ph, l, i, size, err, cap) < 0)
			return -1;
	}
	if (img->segment_count == 0)
		return fail(err, cap, "no PT_LOAD segment");
	return 0;
}

int elf_image_parse(struct elf_image *img, const void *file, uint64_t size, char *err,
                    size_t err_cap)
{
	const uint8_t *f = file;
	const struct elf_layout *l;

	__builtin_memset(img, 0, sizeof(*img));
	if (size < EI_NIDENT || f[0] != 0x7f || f[1] != 'E' || f[2] != 'L' || f[3] != 'F')
		return fail(err, err_cap, "not an ELF file (%llu bytes, no \\x7fELF magic)",
		            (unsigned long long)size);
	if (f[EI_CLASS] == ELFCLASS64)
		l = &layout64;
	else if (f[EI_CLASS] == ELFCLASS32)
		l = &layout32;
	else
		return fail(err, err_cap, "unknown ELF class %u", f[EI_CLASS]);
	if (f[EI_DATA] != ELFDATA2LSB)
		return fail(err, err_cap, "not little-endian (EI_DATA %u)", f[EI_DATA]);
	if (size < l->ehdr_size)
		return fail(err, err_cap, "ELF header cut off at %llu bytes (truncated?)",
		            (unsigned long long)size);
	img->elf_class = l->word * 8;
	img->type = rd16(f + E_TYPE);
	img->machine = rd16(f + E_MACHINE);
	img->entry = rd_word(f + l->entry, l);
	return read_segments(img, f, l, size, err, err_cap);
}

#define PAGE_MASK 0xfffULL

static int check_kernel_segments(const struct elf_image *img, uint64_t limit, char *err, size_t cap)
{
	uint64_t prev_end = 0;

	for (uint32_t i = 0; i < img->segment_count; i++) {
		const struct elf_segment *s = &img->segments[i];
		uint64_t first_page = s->paddr & ~PAGE_MASK;

		if (s->memsz == 0)
			continue;
		if (i > 0 && first_page < prev_end)
			return fail(err, cap,
			            "kernel segment %u at 0x%llx shares a page with the one before"
			            " (ends 0x%llx)",
			            i, (unsigned long long)s->paddr, (unsigned long long)prev_end);
		if (s->paddr + s->memsz > limit)
			return fail(err, cap, "kernel segment %u at 0x%llx+0x%llx above 0x%llx", i,
			            (unsigned long long)s->paddr, (unsigned long long)s->memsz,
			            (unsigned long long)limit);
		prev_end = (s->paddr + s->memsz + PAGE_MASK) & ~PAGE_MASK;
	}
	return 0;
}

static int entry_is_code(const struct elf_image *img, uint64_t entry)
{
	for (uint32_t i = 0; i < img->segment_count; i++) {
		const struct elf_segment *s = &img->segments[i];
		if ((s->flags & ELF_PF_X) && entry >= s->paddr && entry - s->paddr < s->filesz)
			return 1;
	}
	return 0;
}

int elf_kernel_check(const struct elf_image *img, uint64_t efi_entry, uint64_t limit, char *err,
                     size_t err_cap)
{
	if (img->elf_class != 64 || img->machine != EM_X86_64 || img->type != ET_EXEC)
		return fail(err, err_cap,
		            "kernel is not an x86-64 ELF-64 executable (class %u,"
		            " machine %u, type %u)",
		            img->elf_class, img->machine, img->type);
	if (check_kernel_segments(img, limit, err, err_cap) < 0)
		return -1;
	if (!entry_is_code(img, efi_entry))
		return fail(err, err_cap, "hv_efi_entry 0x%llx is not in an executable segment",
		            (unsigned long long)efi_entry);
	return 0;
}
