/*
 * Unit tests of memory-map normalization (mm/memmap.c): overlaps, order,
 * merging, alignment, odd types, wrap-around, limits, and a randomized
 * comparison against a per-unit model.
 */
#define HARNESS_MAIN
#include "mm/memmap.h"
#include "tests/unit/harness.h"

#include <stdint.h>

#define KIB 1024ULL
#define MIB (1024ULL * KIB)
#define GIB (1024ULL * MIB)

static struct mem_region out[BOOT_MAX_REGIONS];
static char err[128];

static struct mem_region R(uint64_t base, uint64_t length, uint32_t type) {
	return (struct mem_region){.base = base, .length = length, .type = type};
}

static int
norm(const struct mem_region *in, uint32_t n)
{
	memset(out, 0xa5, sizeof(out));
	memset(err, 0, sizeof(err));
	return memmap_normalize(in, n, out, BOOT_MAX_REGIONS, err, sizeof(err));
}

static int same(const struct mem_region *r, uint64_t base, uint64_t length, uint32_t type)
{
	return r->base == base && r->length == length && r->type == type;
}

TEST(overlap_more_restrictive_type_wins)
{
	struct mem_region in[] = {R(0, 100 * KIB, MEM_USABLE), R(40 * KIB, 20 * KIB, MEM_RESERVED)};
	REQUIRE(norm(in, 2) == 3);
	CHECK(same(&out[0], 0, 40 * KIB, MEM_USABLE));
	CHECK(same(&out[1], 40 * KIB, 20 * KIB, MEM_RESERVED));
	CHECK(same(&out[2], 60 * KIB, 40 * KIB, MEM_USABLE));
}

TEST(precedence_bad_nvs_reserved_reclaim_usable)
{
	/* Nested ranges, the wider ones weaker: each level must show through. */
	struct mem_region in[] = {
	    R(0x10000, 0x50000, MEM_BAD),      R(0x0000, 0x70000, MEM_ACPI_NVS),
	    R(0x00000, 0x90000, MEM_RESERVED), R(0x00000, 0xb0000, MEM_ACPI_RECLAIM),
	    R(0x00000, 0x100000, MEM_USABLE),
	};
	REQUIRE(norm(in, 5) == 6);
	CHECK(same(&out[0], 0, 0x10000, MEM_ACPI_NVS));
	CHECK(same(&out[1], 0x10000, 0x50000, MEM_BAD));
	CHECK(same(&out[2], 0x60000, 0x10000, MEM_ACPI_NVS));
	CHECK(same(&out[3], 0x70000, 0x20000, MEM_RESERVED));
	CHECK(same(&out[4], 0x90000, 0x20000, MEM_ACPI_RECLAIM));
	CHECK(same(&out[5], 0xb0000, 0x50000, MEM_USABLE));
	CHECK(memmap_type_rank(MEM_BAD) > memmap_type_rank(MEM_ACPI_NVS));
	CHECK(memmap_type_rank(MEM_ACPI_NVS) > memmap_type_rank(MEM_RESERVED));
	CHECK(memmap_type_rank(MEM_RESERVED) > memmap_type_rank(MEM_ACPI_RECLAIM));
	CHECK(memmap_type_rank(MEM_ACPI_RECLAIM) > memmap_type_rank(MEM_USABLE));
}

TEST(unsorted_input_gives_sorted_output)
{
	struct mem_region in[] = {
	    R(4 * GIB, 1 * GIB, MEM_USABLE),
	    R(1 * MIB, 15 * MIB, MEM_USABLE),
	    R(0, 0x9f000, MEM_USABLE),
	    R(0xf0000, 0x10000, MEM_RESERVED),
	};
	REQUIRE(norm(in, 4) == 4);
	CHECK(same(&out[0], 0, 0x9f000, MEM_USABLE));
	CHECK(same(&out[1], 0xf0000, 0x10000, MEM_RESERVED));
	CHECK(same(&out[2], 1 * MIB, 15 * MIB, MEM_USABLE));
	CHECK(same(&out[3], 4 * GIB, 1 * GIB, MEM_USABLE));
	CHECK_EQ(memmap_usable_bytes(out, 4), 0x9f000 + 15 * MIB + 1 * GIB);
}

TEST(adjacent_same_type_merged_zero_length_dropped)
{
	struct mem_region in[] = {
	    R(0x1000, 0x1000, MEM_USABLE),   R(0x5000, 0, MEM_BAD),
	    R(0x2000, 0x3000, MEM_USABLE),   R(0x5000, 0x1000, MEM_RESERVED),
	    R(0x6000, 0x1000, MEM_RESERVED), R(0x7000, 0, MEM_USABLE),
	};
	REQUIRE(norm(in, 6) == 2);
	CHECK(same(&out[0], 0x1000, 0x4000, MEM_USABLE));
	CHECK(same(&out[1], 0x5000, 0x2000, MEM_RESERVED));
}

TEST(usable_shrunk_inward_to_pages)
{
	/* Two unaligned usable pieces that together are page aligned stay whole. */
	struct mem_region a[] = {R(0x1000, 0x800, MEM_USABLE), R(0x1800, 0x1800, MEM_USABLE)};
	REQUIRE(norm(a, 2) == 1);
	CHECK(same(&out[0], 0x1000, 0x2000, MEM_USABLE));

	struct mem_region b[] = {R(0x1234, 0x10000, MEM_USABLE)};
	REQUIRE(norm(b, 1) == 1);
	CHECK(same(&out[0], 0x2000, 0xf000, MEM_USABLE));

	/* Reserved ranges keep their exact bounds; usable ones lose the partial page. */
	struct mem_region c[] = {R(0, 0x2800, MEM_USABLE), R(0x2800, 0x800, MEM_RESERVED),
	                         R(0x3000, 0x2000, MEM_USABLE)};
	REQUIRE(norm(c, 3) == 3);
	CHECK(same(&out[0], 0, 0x2000, MEM_USABLE));
	CHECK(same(&out[1], 0x2800, 0x800, MEM_RESERVED));
	CHECK(same(&out[2], 0x3000, 0x2000, MEM_USABLE));

	/* A usable piece smaller than a page vanishes. */
	struct mem_region d[] = {R(0x1100, 0xe00, MEM_USABLE), R(0x10000, 0x1000, MEM_USABLE)};
	REQUIRE(norm(d, 2) == 1);
	CHECK(same(&out[0], 0x10000, 0x1000, MEM_USABLE));
}

TEST(unknown_types_are_reserved)
{
	struct mem_region in[] = {R(0, 0x10000, MEM_USABLE), R(0x1000, 0x1000, 0),
	                          R(0x2000, 0x1000, 7), R(0x3000, 0x1000, 0xffffffffu),
	                          R(0x5000, 0x1000, 20)};
	REQUIRE(norm(in, 5) == 5);
	CHECK(same(&out[0], 0, 0x1000, MEM_USABLE));
	CHECK(same(&out[1], 0x1000, 0x3000, MEM_RESERVED));
	CHECK(same(&out[2], 0x4000, 0x1000, MEM_USABLE));
	CHECK(same(&out[3], 0x5000, 0x1000, MEM_RESERVED));
	CHECK(same(&out[4], 0x6000, 0xa000, MEM_USABLE));
	CHECK_EQ(memmap_known_type(9), MEM_RESERVED);
	CHECK_EQ(memmap_known_type(MEM_ACPI_NVS), MEM_ACPI_NVS);
}

TEST(regions_above_4g_and_3g_guest_layout)
{
	/* QEMU pc with 5 GiB: 0-640K, 1M-3G, hole, 4G-6G. */
	struct mem_region in[] = {
	    R(0, 0x9fc00, MEM_USABLE),           R(0x9fc00, 0x400, MEM_RESERVED),
	    R(0xf0000, 0x10000, MEM_RESERVED),   R(0x100000, 3 * GIB - 0x100000, MEM_USABLE),
	    R(0xfeffc000, 0x4000, MEM_RESERVED), R(0xfffc0000, 0x40000, MEM_RESERVED),
	    R(4 * GIB, 2 * GIB, MEM_USABLE),     R(0xfd00000000ULL, 0x300000000ULL, MEM_RESERVED),
	};
	REQUIRE(norm(in, 8) == 8);
	CHECK(same(&out[0], 0, 0x9f000, MEM_USABLE));
	CHECK(same(&out[1], 0x9fc00, 0x400, MEM_RESERVED));
	CHECK(same(&out[3], 0x100000, 3 * GIB - 0x100000, MEM_USABLE));
	CHECK(same(&out[6], 4 * GIB, 2 * GIB, MEM_USABLE));
	CHECK(same(&out[7], 0xfd00000000ULL, 0x300000000ULL, MEM_RESERVED));
	CHECK_EQ(memmap_usable_bytes(out, 8), 0x9f000 + 3 * GIB - 0x100000 + 2 * GIB);
}

TEST(wrap_around)
{
	/* A usable entry that runs past 2^64 is refused... */
	struct mem_region a[] = {R(0x100000, 0x100000, MEM_USABLE),
	                         R(0xfffffffffff00000ULL, 0x200000, MEM_USABLE)};
	CHECK(norm(a, 2) == -1);
	CHECK(strstr(err, "entry 1") != NULL);
	CHECK(strstr(err, "wraps past 2^64") != NULL);

	/* ...a reserved one is clipped below the last page. */
	struct mem_region b[] = {R(0x100000, 0x100000, MEM_USABLE),
	                         R(0xffffffff00000000ULL, 0x200000000ULL, MEM_RESERVED)};
	REQUIRE(norm(b, 2) == 2);
	CHECK(same(&out[1], 0xffffffff00000000ULL, MEMMAP_ADDR_LIMIT - 0xffffffff00000000ULL,
	           MEM_RESERVED));

	/* Ending exactly at 2^64 is no wrap: clipped, accepted. */
	struct mem_region c[] = {R(0xfffffffffff00000ULL, 0x100000, MEM_USABLE)};
	REQUIRE(norm(c, 1) == 1);
	CHECK(same(&out[0], 0xfffffffffff00000ULL, 0xff000, MEM_USABLE));

	/* The biggest possible length at base 0 wraps too. */
	struct mem_region d[] = {R(0x1000, UINT64_MAX, MEM_USABLE)};
	CHECK(norm(d, 1) == -1);
	CHECK(strstr(err, "wraps") != NULL);
}

TEST(too_many_regions)
{
	static struct mem_region in[300];
	for (uint32_t i = 0; i < 300; i++)
		in[i] = R(i * 0x2000ULL, 0x1000, i % 2 ? MEM_RESERVED : MEM_USABLE);
	CHECK(norm(in, 300) == -1);
	CHECK(strstr(err, "more than 128 regions") != NULL);

	/* Exactly the capacity fits. */
	CHECK(norm(in, 128) == 128);
	CHECK(memmap_normalize(in, 128, out, 127, err, sizeof(err)) == -1);
	CHECK(strstr(err, "more than 127") != NULL);
}

TEST(no_usable_memory)
{
	struct mem_region a[] = {R(0, 0x100000, MEM_RESERVED), R(0x100000, 0x1000, MEM_BAD)};
	CHECK(norm(a, 2) == -1);
	CHECK(strstr(err, "no usable memory") != NULL);

	/* Usable memory that is all covered by something stronger is no usable memory. */
	struct mem_region b[] = {R(0x100000, 0x100000, MEM_USABLE),
	                         R(0x0, 0x400000, MEM_ACPI_RECLAIM)};
	CHECK(norm(b, 2) == -1);
	CHECK(strstr(err, "no usable memory") != NULL);

	struct mem_region c[] = {R(0x5000, 0, MEM_USABLE)};
	CHECK(norm(c, 1) == -1);
	CHECK(strstr(err, "empty") != NULL);
	CHECK(norm(c, 0) == -1);
	CHECK(strstr(err, "empty memory map") != NULL);

	/* A NULL error buffer is allowed. */
	CHECK(memmap_normalize(a, 2, out, BOOT_MAX_REGIONS, NULL, 0) == -1);
}

/* ---- randomized comparison with a model ---- */

#define UNIT           256ULL /* model granularity */
#define SPACE_UNITS    1024   /* 256 KiB of address space */
#define UNITS_PER_PAGE (4096 / UNIT)
#define HOLE           0xffu

static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static uint8_t model[SPACE_UNITS];

static void build_model(const struct mem_region *in, uint32_t n)
{
	memset(model, HOLE, sizeof(model));
	for (uint32_t i = 0; i < n; i++) {
		for (uint64_t u = in[i].base / UNIT; u < (in[i].base + in[i].length) / UNIT; u++) {
			uint32_t t = memmap_known_type(in[i].type);
			if (model[u] == HOLE || memmap_type_rank(t) > memmap_type_rank(model[u]))
				model[u] = (uint8_t)t;
		}
	}
}

/* What the normalized map must say about unit u. */
static uint8_t expected(uint64_t u)
{
	if (model[u] != MEM_USABLE)
		return model[u];
	uint64_t page = u / UNITS_PER_PAGE * UNITS_PER_PAGE;
	for (uint64_t k = page; k < page + UNITS_PER_PAGE; k++)
		if (model[k] != MEM_USABLE)
			return HOLE;
	return MEM_USABLE;
}

static uint8_t lookup(int count, uint64_t u)
{
	for (int i = 0; i < count; i++)
		if (u * UNIT >= out[i].base && u * UNIT < out[i].base + out[i].length)
			return (uint8_t)out[i].type;
	return HOLE;
}

static int well_formed(int count)
{
	for (int i = 0; i < count; i++) {
		if (out[i].length == 0)
			return 0;
		if (out[i].type == MEM_USABLE && ((out[i].base | out[i].length) & 0xfff))
			return 0;
		if (i > 0 && out[i].base < out[i - 1].base + out[i - 1].length)
			return 0;
		if (i > 0 && out[i].base == out[i - 1].base + out[i - 1].length &&
		    out[i].type == out[i - 1].type)
			return 0; /* should have been merged */
	}
	return 1;
}

TEST(random_maps_match_model)
{
	static const uint32_t types[] = {MEM_USABLE,       MEM_USABLE,   MEM_USABLE, MEM_RESERVED,
	                                 MEM_ACPI_RECLAIM, MEM_ACPI_NVS, MEM_BAD,    9};
	struct mem_region in[24];
	int checked = 0;

	rng_state = 0x9e3779b97f4a7c15ULL;
	for (int iter = 0; iter < 400; iter++) {
		uint32_t n = 1 + (uint32_t)(rnd() % 24);
		for (uint32_t i = 0; i < n; i++) {
			uint64_t a = rnd() % SPACE_UNITS, b = rnd() % SPACE_UNITS;
			if (rnd() % 4 == 0)
				b = a + rnd() % 40; /* small ones too */
			if (b > SPACE_UNITS)
				b = SPACE_UNITS;
			if (b < a) {
				uint64_t t = a;
				a = b;
				b = t;
			}
			in[i] = R(a * UNIT, (b - a) * UNIT, types[rnd() % 8]);
		}
		build_model(in, n);
		int count = norm(in, n);
		int any_usable = 0;
		for (uint64_t u = 0; u < SPACE_UNITS; u++)
			any_usable |= expected(u) == MEM_USABLE;
		if (!any_usable) {
			CHECK(count == -1);
			continue;
		}
		REQUIRE(count > 0);
		CHECK(well_formed(count));
		for (uint64_t u = 0; u < SPACE_UNITS; u++) {
			if (lookup(count, u) != expected(u)) {
				printf("  iter %d unit %llu: got %u want %u\n", iter,
				       (unsigned long long)u, lookup(count, u), expected(u));
				CHECK(0);
				break;
			}
		}
		checked++;
	}
	CHECK(checked > 200);
}
