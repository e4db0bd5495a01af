/* Test images for the loader, built as byte arrays: ELF32/ELF64 and flat (a.out kludge). */
#ifndef TESTS_UNIT_MBLOAD_IMAGE_H
#define TESTS_UNIT_MBLOAD_IMAGE_H

#include <stdint.h>

#include "tests/unit/mbload/fake_mem.h"
#include "vmx/load/mbload.h"

#define IMG_MAX_SEGS 8
#define IMG_DATA_OFF 0x1000u /* file offset of the first segment's bytes */
#define PT_LOAD_T    1u
#define PT_NOTE_T    4u

/* A multiboot header as bytes. */
struct hdrbuf {
	uint8_t b[512];
	uint32_t len;
};

void hdr_mb1(struct hdrbuf *h, uint32_t flags, const uint32_t *kludge /* 5 words or 0 */);
void hdr_mb2_begin(struct hdrbuf *h);
void hdr_mb2_tag(struct hdrbuf *h, uint16_t type, uint16_t flags, const uint32_t *words,
                 uint32_t nwords);
/* Adds the end tag, header_length and checksum. */
void hdr_mb2_end(struct hdrbuf *h);

struct seg_spec {
	uint32_t type; /* 0 means PT_LOAD */
	uint64_t paddr, vaddr, filesz, memsz;
};

struct img {
	uint8_t *b;
	uint64_t size;
	uint64_t seg_off[IMG_MAX_SEGS];
	struct seg_spec segs[IMG_MAX_SEGS];
	uint32_t nsegs;
	uint64_t hdr_off;
};

/* ELF header at 0, program headers at 64, segment bytes from IMG_DATA_OFF (each 16-byte
 * aligned, a byte pattern), the multiboot header at the start of segment 0's bytes. */
void img_elf(struct img *im, int is64, const struct seg_spec *segs, uint32_t n, uint64_t entry,
             const struct hdrbuf *h);
/* size pattern bytes, the header at hdr_off. */
void img_flat(struct img *im, uint64_t size, uint64_t hdr_off, const struct hdrbuf *h);
void img_copy(struct img *dst, const struct img *src);
void img_free(struct img *im);

void put16le(uint8_t *p, uint16_t v);
void put32le(uint8_t *p, uint32_t v);
void put64le(uint8_t *p, uint64_t v);

/* Expected RAM: FAKE_FILL, with file bytes and zeros placed like the loader should. */
struct expect {
	uint8_t *bytes;
	uint64_t size;
};
void expect_init(struct expect *e, uint64_t size);
void expect_copy(struct expect *e, uint64_t gpa, const uint8_t *src, uint64_t len);
void expect_zero(struct expect *e, uint64_t gpa, uint64_t len);
/* The PT_LOAD segments of im at their paddr, BSS zeroed. */
void expect_elf_segments(struct expect *e, const struct img *im);
/* Compare everything outside [skip_start, skip_end); CHECK-fails on the first difference. */
void expect_compare(const struct expect *e, const struct fake_mem *f, uint64_t skip_start,
                    uint64_t skip_end);
void expect_free(struct expect *e);

#endif
