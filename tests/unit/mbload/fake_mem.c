#include "tests/unit/mbload/fake_mem.h"

#include <stdlib.h>
#include <string.h>

#include "tests/unit/harness.h"

static bool in_ram(const struct fake_mem *f, uint64_t gpa, uint64_t len)
{
	return gpa <= f->mem.ram_bytes && len <= f->mem.ram_bytes - gpa;
}

static bool access_ok(struct fake_mem *f, uint64_t gpa, uint64_t len)
{
	f->calls++;
	if (!in_ram(f, gpa, len)) {
		f->bad_writes++;
		return false;
	}
	if (gpa + len > f->backed) {
		f->unbacked++;
		return false;
	}
	return true;
}

static bool fake_write(void *ctx, uint64_t gpa, const void *src, uint64_t len)
{
	struct fake_mem *f = ctx;
	if (!access_ok(f, gpa, len))
		return false;
	if (len)
		memcpy(f->bytes + gpa, src, len);
	return true;
}

static bool fake_zero(void *ctx, uint64_t gpa, uint64_t len)
{
	struct fake_mem *f = ctx;
	if (!access_ok(f, gpa, len))
		return false;
	memset(f->bytes + gpa, 0, len);
	return true;
}

void fake_mem_init(struct fake_mem *f, uint64_t ram_bytes, uint64_t backed)
{
	memset(f, 0, sizeof(*f));
	f->mem = (struct load_mem){f, ram_bytes, fake_write, fake_zero};
	f->backed = backed;
	f->bytes = malloc(backed);
	if (!f->bytes)
		abort();
	memset(f->bytes, FAKE_FILL, backed);
}

void fake_mem_free(struct fake_mem *f)
{
	free(f->bytes);
	f->bytes = 0;
}

static const uint8_t *at(const struct fake_mem *f, uint64_t gpa, uint64_t len)
{
	static const uint8_t zeros[8];
	if (gpa > f->backed || len > f->backed - gpa) {
		CHECK(!"read outside the fake RAM's backing");
		return zeros;
	}
	return f->bytes + gpa;
}

uint16_t fake_rd16(const struct fake_mem *f, uint64_t gpa)
{
	const uint8_t *p = at(f, gpa, 2);
	return (uint16_t)(p[0] | p[1] << 8);
}

uint32_t fake_rd32(const struct fake_mem *f, uint64_t gpa)
{
	const uint8_t *p = at(f, gpa, 4);
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint64_t fake_rd64(const struct fake_mem *f, uint64_t gpa)
{
	return fake_rd32(f, gpa) | (uint64_t)fake_rd32(f, gpa + 4) << 32;
}

const char *fake_str(const struct fake_mem *f, uint64_t gpa)
{
	if (gpa >= f->backed) {
		CHECK(!"string outside the fake RAM's backing");
		return "";
	}
	const uint8_t *p = f->bytes + gpa;
	if (!memchr(p, 0, f->backed - (uint64_t)(p - f->bytes))) {
		CHECK(!"string without NUL in the fake RAM");
		return "";
	}
	return (const char *)p;
}
