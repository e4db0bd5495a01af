#include "tests/unit/linuxload/images.h"

#include <stdlib.h>
#include <string.h>

#include "vmx/load/linux_params.h"

#define EHDR64   64u
#define PHDR64   56u
#define EHDR32   52u
#define PHDR32   32u
#define DATA_OFF 0x1000u

void image_free(struct image *im)
{
	free(im->b);
	im->b = 0;
}

void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

struct bz_spec bz_default(void)
{
	return (struct bz_spec){
	    .setup_sects = 2,
	    .version = 0x020f,
	    .loadflags = BP_LOADED_HIGH,
	    .relocatable = 1,
	    .kernel_alignment = 0x200000,
	    .pref_address = 0x1000000,
	    .init_size = 0x400000,
	    .cmdline_size = 2047,
	    .initrd_addr_max = 0x7fffffff,
	    .syssize = 0x1000,
	    .hdr_end = 0x26c,
	};
}

uint64_t bz_setup_bytes(const struct bz_spec *s)
{
	return (uint64_t)((s->setup_sects ? s->setup_sects : 4) + 1) * 512;
}

uint64_t bz_kernel_bytes(const struct bz_spec *s)
{
	return (uint64_t)s->syssize * 16;
}

static void bz_fields(uint8_t *b, const struct bz_spec *s)
{
	b[BP_SETUP_SECTS] = s->setup_sects;
	put32(b + BP_SYSSIZE, s->syssize);
	if (!s->no_boot_flag)
		put16(b + BP_BOOT_FLAG, BP_BOOT_FLAG_MAGIC);
	b[BP_JUMP] = 0xeb; /* jmp short */
	b[BP_JUMP_DISP] = (uint8_t)(s->hdr_end - BP_HDR_END_BASE);
	if (!s->no_hdrs)
		memcpy(b + BP_HEADER, "HdrS", 4);
	put16(b + BP_VERSION, s->version);
	b[BP_TYPE_OF_LOADER] = 0;
	b[BP_LOADFLAGS] = s->loadflags;
	put32(b + BP_CODE32_START, 0x100000);
	put32(b + BP_RAMDISK_IMAGE, 0);
	put32(b + BP_RAMDISK_SIZE, 0);
	put32(b + BP_CMD_LINE_PTR, 0);
	put32(b + BP_INITRD_ADDR_MAX, s->initrd_addr_max);
	put32(b + BP_KERNEL_ALIGNMENT, s->kernel_alignment);
	b[BP_RELOCATABLE_KERNEL] = s->relocatable;
	put32(b + BP_CMDLINE_SIZE, s->cmdline_size);
	put64(b + BP_PREF_ADDRESS, s->pref_address);
	put32(b + BP_INIT_SIZE, s->init_size);
}

void bz_build(struct image *im, const struct bz_spec *s)
{
	uint64_t setup = bz_setup_bytes(s), size = setup + bz_kernel_bytes(s);
	if (size < 0x1000)
		size = 0x1000;
	memset(im, 0, sizeof(*im));
	im->size = size;
	im->b = malloc(size);
	if (!im->b)
		abort();
	for (uint64_t i = 0; i < size; i++)
		im->b[i] = (uint8_t)(i < setup ? i * 7 + 3 : i * 13 + 1);
	bz_fields(im->b, s);
}

static uint32_t data_start(bool is64, uint32_t n)
{
	uint32_t headers = (is64 ? EHDR64 + PHDR64 * n : EHDR32 + PHDR32 * n);
	return headers > DATA_OFF ? (headers + 15) & ~15u : DATA_OFF;
}

static void elf_header(uint8_t *b, bool is64, uint32_t machine, uint64_t entry, uint32_t n)
{
	memcpy(b,
	       "\x7f"
	       "ELF",
	       4);
	b[4] = is64 ? 2 : 1; /* class */
	b[5] = 1;            /* little endian */
	b[6] = 1;            /* version */
	put16(b + 16, 2);    /* ET_EXEC */
	put16(b + 18, (uint16_t)machine);
	put32(b + 20, 1);
	if (is64) {
		put64(b + 24, entry);
		put64(b + 32, EHDR64);
		put16(b + 52, EHDR64);
		put16(b + 54, PHDR64);
		put16(b + 56, (uint16_t)n);
	} else {
		put32(b + 24, (uint32_t)entry);
		put32(b + 28, EHDR32);
		put16(b + 40, EHDR32);
		put16(b + 42, PHDR32);
		put16(b + 44, (uint16_t)n);
	}
}

static void elf_phdr(uint8_t *ph, bool is64, const struct elf_seg *s, uint64_t off)
{
	if (is64) {
		put32(ph, s->type);
		put32(ph + 4, 7);
		put64(ph + 8, off);
		put64(ph + 16, s->paddr | 0xffffffff80000000ull); /* a higher-half vaddr */
		put64(ph + 24, s->paddr);
		put64(ph + 32, s->filesz);
		put64(ph + 40, s->memsz);
		put64(ph + 48, s->align);
	} else {
		put32(ph, s->type);
		put32(ph + 4, (uint32_t)off);
		put32(ph + 8, (uint32_t)s->paddr | 0xc0000000u);
		put32(ph + 12, (uint32_t)s->paddr);
		put32(ph + 16, (uint32_t)s->filesz);
		put32(ph + 20, (uint32_t)s->memsz);
		put32(ph + 24, 7);
		put32(ph + 28, (uint32_t)s->align);
	}
}

void elf_build(struct image *im, bool is64, uint32_t machine, uint64_t entry,
               const struct elf_seg *segs, uint32_t n)
{
	uint64_t off = data_start(is64, n), size = off;
	for (uint32_t i = 0; i < n; i++)
		size = (size + segs[i].filesz + 15) & ~(uint64_t)15;
	memset(im, 0, sizeof(*im));
	im->size = size;
	im->b = calloc(1, size);
	if (!im->b)
		abort();
	elf_header(im->b, is64, machine, entry, n);
	for (uint32_t i = 0; i < n; i++) {
		uint8_t *ph = im->b + (is64 ? EHDR64 + PHDR64 * i : EHDR32 + PHDR32 * i);
		elf_phdr(ph, is64, &segs[i], off);
		im->seg_off[i] = off;
		for (uint64_t k = 0; k < segs[i].filesz; k++)
			im->b[off + k] =
			    segs[i].bytes ? segs[i].bytes[k] : (uint8_t)(k * 11 + i + 5);
		off = (off + segs[i].filesz + 15) & ~(uint64_t)15;
	}
}

void notes_add_raw(struct notes *n, const void *name, uint32_t namesz, uint32_t type,
                   const void *desc, uint32_t descsz)
{
	uint32_t name_pad = (namesz + 3) & ~3u, desc_pad = (descsz + 3) & ~3u;
	uint8_t *p = n->b + n->len;
	memset(p, 0, 12 + name_pad + desc_pad);
	put32(p, namesz);
	put32(p + 4, descsz);
	put32(p + 8, type);
	memcpy(p + 12, name, namesz);
	memcpy(p + 12 + name_pad, desc, descsz);
	n->len += 12 + name_pad + desc_pad;
}

void notes_add(struct notes *n, const char *name, uint32_t type, const void *desc, uint32_t descsz)
{
	notes_add_raw(n, name, (uint32_t)strlen(name) + 1, type, desc, descsz);
}

void notes_pvh(struct notes *n, uint64_t entry, uint32_t descsz)
{
	static const uint8_t build_id[20] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
	uint8_t value[8];
	n->len = 0;
	notes_add(n, "GNU", 3, build_id, sizeof(build_id));
	notes_add(n, "Xen", 6, "linux", 6); /* XEN_ELFNOTE_GUEST_OS */
	put64(value, entry);
	notes_add(n, "Xen", 18, value, descsz);
}

void mb1_header(uint8_t out[12], bool bad_checksum)
{
	uint32_t magic = 0x1badb002u, flags = 0x3u;
	put32(out, magic);
	put32(out + 4, flags);
	put32(out + 8, (uint32_t)(0u - magic - flags) + (bad_checksum ? 1u : 0u));
}
