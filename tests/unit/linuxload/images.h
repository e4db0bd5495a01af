/* Synthetic guest images for the loader tests: bzImages, ELF files, ELF notes. */
#ifndef TESTS_UNIT_LINUXLOAD_IMAGES_H
#define TESTS_UNIT_LINUXLOAD_IMAGES_H

#include <stdbool.h>
#include <stdint.h>

#define IMAGE_MAX_SEGS 8u

struct image {
	uint8_t *b;
	uint64_t size;
	uint64_t seg_off[IMAGE_MAX_SEGS]; /* elf_build: file offset of each segment's bytes */
};

void image_free(struct image *im);

void put16(uint8_t *p, uint16_t v);
void put32(uint8_t *p, uint32_t v);
void put64(uint8_t *p, uint64_t v);

/* The setup header fields a test bzImage gets. */
struct bz_spec {
	uint8_t setup_sects; /* 0 means 4, as in the protocol */
	uint16_t version;
	uint8_t loadflags;
	uint8_t relocatable;
	uint32_t kernel_alignment;
	uint64_t pref_address;
	uint32_t init_size;
	uint32_t cmdline_size;
	uint32_t initrd_addr_max;
	uint32_t syssize;  /* protected-mode code in 16-byte paragraphs */
	uint32_t hdr_end;  /* 0x202 + the byte at 0x201 */
	bool no_boot_flag; /* leave 0x1fe..0x1ff without 0xaa55 */
	bool no_hdrs;      /* leave 0x202..0x205 without "HdrS" */
};

/*
 * Like Debian 12's kernel, smaller: protocol 2.15, 2 setup sectors, relocatable, 2 MiB
 * aligned, pref_address 16 MiB, init_size 4 MiB, cmdline_size 2047, initrd_addr_max
 * 0x7fffffff, 64 KiB of protected-mode code, header to 0x26c.
 */
struct bz_spec bz_default(void);
/* Every header byte a pattern, then the spec's fields; setup and kernel bytes patterns. */
void bz_build(struct image *im, const struct bz_spec *s);
uint64_t bz_setup_bytes(const struct bz_spec *s);
uint64_t bz_kernel_bytes(const struct bz_spec *s);

/* A program header for elf_build; bytes 0 means a pattern of filesz bytes. */
struct elf_seg {
	uint32_t type; /* PT_LOAD 1, PT_NOTE 4 */
	uint64_t paddr, filesz, memsz, align;
	const uint8_t *bytes;
};

#define PT_LOAD_TYPE 1u
#define PT_NOTE_TYPE 4u

/* ELF header at 0, program headers after it, segment bytes from 0x1000, each 16-aligned
 * (n <= IMAGE_MAX_SEGS). */
void elf_build(struct image *im, bool is64, uint32_t machine, uint64_t entry,
               const struct elf_seg *segs, uint32_t n);

/* A notes blob: append one note (name NUL included, 4-byte padding). */
struct notes {
	uint8_t b[512];
	uint32_t len;
};
void notes_add(struct notes *n, const char *name, uint32_t type, const void *desc, uint32_t descsz);
/* The same with the name's bytes as given (namesz of them, no NUL added). */
void notes_add_raw(struct notes *n, const void *name, uint32_t namesz, uint32_t type,
                   const void *desc, uint32_t descsz);
/* A GNU build id, a Xen note of another type, then the PVH entry (desc 4 or 8 bytes). */
void notes_pvh(struct notes *n, uint64_t entry, uint32_t descsz);

/* A multiboot1 header (flags 0x3: page align, memory info) with a good checksum. */
void mb1_header(uint8_t out[12], bool bad_checksum);

#endif
