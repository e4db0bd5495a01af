#include "tests/unit/mbload/image.h"

#include <stdlib.h>
#include <string.h>

#include "tests/unit/harness.h"

void put16le(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

void put32le(uint8_t *p, uint32_t v)
{
	put16le(p, (uint16_t)v);
	put16le(p + 2, (uint16_t)(v >> 16));
}

void put64le(uint8_t *p, uint64_t v)
{
	put32le(p, (uint32_t)v);
	put32le(p + 4, (uint32_t)(v >> 32));
}

void hdr_mb1(struct hdrbuf *h, uint32_t flags, const uint32_t *kludge)
{
	memset(h, 0, sizeof(*h));
	put32le(h->b, 0x1badb002u);
	put32le(h->b + 4, flags);
	put32le(h->b + 8, -(0x1badb002u + flags));
	h->len = 12;
	for (uint32_t i = 0; kludge && i < 5; i++, h->len += 4)
		put32le(h->b + h->len, kludge[i]);
}

void hdr_mb2_begin(struct hdrbuf *h)
{
	memset(h, 0, sizeof(*h));
	put32le(h->b, 0xe85250d6u);
	h->len = 16;
}

void hdr_mb2_tag(struct hdrbuf *h, uint16_t type, uint16_t flags, const uint32_t *words,
                 uint32_t nwords)
{
	uint32_t size = 8 + 4 * nwords;
	put16le(h->b + h->len, type);
	put16le(h->b + h->len + 2, flags);
	put32le(h->b + h->len + 4, size);
	for (uint32_t i = 0; i < nwords; i++)
		put32le(h->b + h->len + 8 + 4 * i, words[i]);
	h->len += (size + 7) & ~7u;
}

void hdr_mb2_end(struct hdrbuf *h)
{
	hdr_mb2_tag(h, 0, 0, 0, 0);
	put32le(h->b + 8, h->len);
	put32le(h->b + 12, -(0xe85250d6u + 0 + h->len));
}

static uint8_t pattern(uint64_t off)
{
	return (uint8_t)(off * 13 + (off >> 8) * 7 + 1);
}

static void img_alloc(struct img *im, uint64_t size)
{
	memset(im, 0, sizeof(*im));
	im->b = malloc(size ? size : 1);
	if (!im->b)
		abort();
	im->size = size;
	for (uint64_t i = 0; i < size; i++)
		im->b[i] = pattern(i);
}

static void elf_header(struct img *im, int is64, uint32_t n, uint64_t entry)
{
	uint8_t *h = im->b;
	memset(h, 0, 64);
	memcpy(h, "\177ELF", 4);
	h[4] = is64 ? 2 : 1; /* class */
	h[5] = 1;            /* little-endian */
	h[6] = 1;            /* version */
	put16le(h + 16, 2);  /* ET_EXEC */
	put16le(h + 18, is64 ? 62 : 3);
	put32le(h + 20, 1);
	if (is64) {
		put64le(h + 24, entry);
		put64le(h + 32, 64); /* e_phoff */
		put16le(h + 52, 64);
		put16le(h + 54, 56);
		put16le(h + 56, (uint16_t)n);
	} else {
		put32le(h + 24, (uint32_t)entry);
		put32le(h + 28, 64);
		put16le(h + 40, 52);
		put16le(h + 42, 32);
		put16le(h + 44, (uint16_t)n);
	}
}

static void elf_phdr(struct img *im, int is64, uint32_t i)
{
	const struct seg_spec *s = &im->segs[i];
	uint32_t type = s->type ? s->type : PT_LOAD_T;
	if (is64) {
		uint8_t *p = im->b + 64 + 56 * i;
		memset(p, 0, 56);
		put32le(p, type);
		put32le(p + 4, 7);
		put64le(p + 8, im->seg_off[i]);
		put64le(p + 16, s->vaddr);
		put64le(p + 24, s->paddr);
		put64le(p + 32, s->filesz);
		put64le(p + 40, s->memsz);
		put64le(p + 48, 0x1000);
	} else {
		uint8_t *p = im->b + 64 + 32 * i;
		memset(p, 0, 32);
		put32le(p, type);
		put32le(p + 4, (uint32_t)im->seg_off[i]);
		put32le(p + 8, (uint32_t)s->vaddr);
		put32le(p + 12, (uint32_t)s->paddr);
		put32le(p + 16, (uint32_t)s->filesz);
		put32le(p + 20, (uint32_t)s->memsz);
		put32le(p + 24, 7);
		put32le(p + 28, 0x1000);
	}
}

void img_elf(struct img *im, int is64, const struct seg_spec *segs, uint32_t n, uint64_t entry,
             const struct hdrbuf *h)
{
	uint64_t off = IMG_DATA_OFF, offs[IMG_MAX_SEGS];
	for (uint32_t i = 0; i < n; i++) {
		offs[i] = off;
		off += (segs[i].filesz + 15) & ~15ull;
	}
	img_alloc(im, off);
	im->nsegs = n;
	memcpy(im->segs, segs, n * sizeof(*segs));
	memcpy(im->seg_off, offs, sizeof(offs));
	elf_header(im, is64, n, entry);
	for (uint32_t i = 0; i < n; i++)
		elf_phdr(im, is64, i);
	im->hdr_off = IMG_DATA_OFF;
	if (h)
		memcpy(im->b + IMG_DATA_OFF, h->b, h->len);
}

void img_flat(struct img *im, uint64_t size, uint64_t hdr_off, const struct hdrbuf *h)
{
	img_alloc(im, size);
	im->hdr_off = hdr_off;
	if (h)
		memcpy(im->b + hdr_off, h->b, h->len);
}

void img_copy(struct img *dst, const struct img *src)
{
	*dst = *src;
	dst->b = malloc(src->size ? src->size : 1);
	if (!dst->b)
		abort();
	memcpy(dst->b, src->b, src->size);
}

void img_free(struct img *im)
{
	free(im->b);
	im->b = 0;
}

void expect_init(struct expect *e, uint64_t size)
{
	e->bytes = malloc(size);
	if (!e->bytes)
		abort();
	e->size = size;
	memset(e->bytes, FAKE_FILL, size);
}

void expect_copy(struct expect *e, uint64_t gpa, const uint8_t *src, uint64_t len)
{
	REQUIRE(gpa + len <= e->size);
	memcpy(e->bytes + gpa, src, len);
}

void expect_zero(struct expect *e, uint64_t gpa, uint64_t len)
{
	REQUIRE(gpa + len <= e->size);
	memset(e->bytes + gpa, 0, len);
}

void expect_elf_segments(struct expect *e, const struct img *im)
{
	for (uint32_t i = 0; i < im->nsegs; i++) {
		const struct seg_spec *s = &im->segs[i];
		if (s->type && s->type != PT_LOAD_T)
			continue;
		expect_copy(e, s->paddr, im->b + im->seg_off[i], s->filesz);
		expect_zero(e, s->paddr + s->filesz, s->memsz - s->filesz);
	}
}

void expect_compare(const struct expect *e, const struct fake_mem *f, uint64_t skip_start,
                    uint64_t skip_end)
{
	REQUIRE(e->size <= f->backed);
	for (uint64_t i = 0; i < e->size; i++) {
		if (i >= skip_start && i < skip_end)
			continue;
		if (e->bytes[i] != f->bytes[i]) {
			printf("  RAM byte 0x%llx is 0x%02x, want 0x%02x\n", (unsigned long long)i,
			       f->bytes[i], e->bytes[i]);
			CHECK(e->bytes[i] == f->bytes[i]);
			return;
		}
	}
}

void expect_free(struct expect *e)
{
	free(e->bytes);
	e->bytes = 0;
}
