#include "tests/unit/linuxload/ram.h"

#include <stdlib.h>
#include <string.h>

#define CHUNK_BYTES ((uint64_t)1 << RAM_CHUNK_BITS)

static bool access_ok(struct ram *r, uint64_t gpa, uint64_t len)
{
	if (gpa > r->mem.ram_bytes || len > r->mem.ram_bytes - gpa) {
		r->outside++;
		return false;
	}
	return r->fail_gpa == RAM_NO_FAIL || r->fail_gpa < gpa || r->fail_gpa - gpa >= len;
}

static uint8_t *chunk(struct ram *r, uint64_t index)
{
	if (!r->chunks[index]) {
		r->chunks[index] = malloc(CHUNK_BYTES);
		if (!r->chunks[index])
			abort();
		memset(r->chunks[index], RAM_FILL, CHUNK_BYTES);
	}
	return r->chunks[index];
}

/* Copy src (or zeros when src is 0) into RAM chunk by chunk. */
static void store(struct ram *r, uint64_t gpa, const uint8_t *src, uint64_t len)
{
	while (len) {
		uint64_t off = gpa & (CHUNK_BYTES - 1), n = CHUNK_BYTES - off;
		n = n < len ? n : len;
		uint8_t *dst = chunk(r, gpa >> RAM_CHUNK_BITS) + off;
		if (src)
			memcpy(dst, src, n);
		else
			memset(dst, 0, n);
		gpa += n;
		len -= n;
		src = src ? src + n : 0;
	}
}

static bool ram_write(void *ctx, uint64_t gpa, const void *src, uint64_t len)
{
	struct ram *r = ctx;
	if (!access_ok(r, gpa, len))
		return false;
	store(r, gpa, src, len);
	r->writes++;
	return true;
}

static bool ram_zero(void *ctx, uint64_t gpa, uint64_t len)
{
	struct ram *r = ctx;
	if (!access_ok(r, gpa, len))
		return false;
	store(r, gpa, 0, len);
	r->writes++;
	return true;
}

void ram_init(struct ram *r, uint64_t ram_bytes)
{
	memset(r, 0, sizeof(*r));
	r->mem = (struct load_mem){r, ram_bytes, ram_write, ram_zero};
	r->nchunks = (ram_bytes + CHUNK_BYTES - 1) >> RAM_CHUNK_BITS;
	r->chunks = calloc(r->nchunks ? r->nchunks : 1, sizeof(*r->chunks));
	r->fail_gpa = RAM_NO_FAIL;
	if (!r->chunks)
		abort();
}

void ram_free(struct ram *r)
{
	for (uint64_t i = 0; i < r->nchunks; i++)
		free(r->chunks[i]);
	free(r->chunks);
	r->chunks = 0;
}

uint8_t ram_u8(const struct ram *r, uint64_t gpa)
{
	uint64_t i = gpa >> RAM_CHUNK_BITS;
	if (i >= r->nchunks || !r->chunks[i])
		return RAM_FILL;
	return r->chunks[i][gpa & (CHUNK_BYTES - 1)];
}

uint16_t ram_u16(const struct ram *r, uint64_t gpa)
{
	return (uint16_t)(ram_u8(r, gpa) | ram_u8(r, gpa + 1) << 8);
}

uint32_t ram_u32(const struct ram *r, uint64_t gpa)
{
	return ram_u16(r, gpa) | (uint32_t)ram_u16(r, gpa + 2) << 16;
}

uint64_t ram_u64(const struct ram *r, uint64_t gpa)
{
	return ram_u32(r, gpa) | (uint64_t)ram_u32(r, gpa + 4) << 32;
}

const char *ram_str(const struct ram *r, uint64_t gpa, char *buf, uint64_t cap)
{
	uint64_t n = 0;
	while (n + 1 < cap && ram_u8(r, gpa + n))
		buf[n] = (char)ram_u8(r, gpa + n), n++;
	buf[n] = 0;
	return buf;
}

bool ram_equals(const struct ram *r, uint64_t gpa, const uint8_t *bytes, uint64_t len)
{
	for (uint64_t i = 0; i < len; i++)
		if (ram_u8(r, gpa + i) != bytes[i])
			return false;
	return true;
}

bool ram_all(const struct ram *r, uint64_t gpa, uint64_t len, uint8_t v)
{
	for (uint64_t i = 0; i < len; i++)
		if (ram_u8(r, gpa + i) != v)
			return false;
	return true;
}

static bool kept(uint64_t gpa, const struct load_range *keep, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (gpa >= keep[i].start && gpa < keep[i].end)
			return true;
	return false;
}

uint64_t ram_touched_outside(const struct ram *r, const struct load_range *keep, uint32_t n)
{
	for (uint64_t c = 0; c < r->nchunks; c++) {
		if (!r->chunks[c])
			continue;
		for (uint64_t off = 0; off < CHUNK_BYTES; off++) {
			uint64_t gpa = (c << RAM_CHUNK_BITS) + off;
			if (r->chunks[c][off] != RAM_FILL && !kept(gpa, keep, n))
				return gpa;
		}
	}
	return UINT64_MAX;
}
