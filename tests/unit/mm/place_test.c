/* Unit tests of memmap_place() (mm/memmap.c): alignment, avoided ranges, limits. */
#include "mm/memmap.h"
#include "tests/unit/harness.h"

#define PAGE 0x1000ULL
#define MIB  0x100000ULL

static struct mem_region R(uint64_t base, uint64_t length, uint32_t type) {
	return (struct mem_region){.base = base, .length = length, .type = type};
}

static const struct mem_region map[] = {
    {0, 0x9f000, MEM_USABLE, 0},         {0xf0000, 0x10000, MEM_RESERVED, 0},
    {MIB, 15 * MIB, MEM_USABLE, 0},      {16 * MIB, MIB, MEM_ACPI_NVS, 0},
    {17 * MIB, 15 * MIB, MEM_USABLE, 0}, {0x100000000ULL, 64 * MIB, MEM_USABLE, 0},
};
#define NMAP (sizeof(map) / sizeof(map[0]))

TEST(place_lowest_fit_never_zero)
{
	CHECK_EQ(memmap_place(map, NMAP, PAGE, PAGE, 0, NULL, 0), PAGE);
	CHECK_EQ(memmap_place(map, NMAP, 1, 0, 0, NULL, 0), PAGE);         /* size rounds up */
	CHECK_EQ(memmap_place(map, NMAP, 0x9f000, PAGE, 0, NULL, 0), MIB); /* no room at 4K */
	CHECK_EQ(memmap_place(map, NMAP, PAGE, PAGE, MIB, NULL, 0), MIB);
	CHECK_EQ(memmap_place(map, NMAP, PAGE, PAGE, MIB + 1, NULL, 0), MIB + PAGE);
}

TEST(place_alignment_and_limits)
{
	CHECK_EQ(memmap_place(map, NMAP, PAGE, 2 * MIB, 0, NULL, 0), 2 * MIB);
	CHECK_EQ(memmap_place(map, NMAP, PAGE, 3 * PAGE, 0, NULL, 0), 0); /* not a power of 2 */
	CHECK_EQ(memmap_place(map, NMAP, 0, PAGE, 0, NULL, 0), 0);
	/* 16 MiB fits in no region below 4 GiB: never across the NVS hole. */
	CHECK_EQ(memmap_place(map, NMAP, 16 * MIB, PAGE, 0, NULL, 0), 0x100000000ULL);
	CHECK_EQ(memmap_place(map, NMAP, 65 * MIB, PAGE, 0, NULL, 0), 0);
	CHECK_EQ(memmap_place(map, NMAP, PAGE, PAGE, 0x100000000ULL + 64 * MIB, NULL, 0), 0);
	CHECK_EQ(memmap_place(map, NMAP, UINT64_MAX, PAGE, 0, NULL, 0), 0);
	CHECK_EQ(memmap_place(map, NMAP, PAGE, 1ULL << 63, 0, NULL, 0), 0);
}

TEST(place_avoids_reserved_ranges)
{
	const struct mem_range avoid[] = {
	    {0, MIB},           /* first MiB */
	    {2 * MIB, 3 * MIB}, /* kernel image */
	    {MIB, 0x1234},      /* boot info, unaligned */
	    {6 * MIB - 1, 2},   /* a module straddling a page boundary */
	    {0x0, 0},           /* empty: ignored */
	};
	CHECK_EQ(memmap_place(map, NMAP, PAGE, PAGE, 0, avoid, 5), MIB + 0x2000);
	CHECK_EQ(memmap_place(map, NMAP, MIB, PAGE, 0, avoid, 5), 6 * MIB + PAGE);
	CHECK_EQ(memmap_place(map, NMAP, MIB, MIB, 0, avoid, 5), 7 * MIB);
	CHECK_EQ(memmap_place(map, NMAP, 10 * MIB, PAGE, 0, avoid, 5), 17 * MIB);

	/* Avoiding everything below 4 GiB pushes it up; a wrap-sized range blocks all. */
	const struct mem_range all_low[] = {{0, 0x100000000ULL}};
	CHECK_EQ(memmap_place(map, NMAP, PAGE, PAGE, 0, all_low, 1), 0x100000000ULL);
	const struct mem_range all[] = {{PAGE, UINT64_MAX}};
	CHECK_EQ(memmap_place(map, NMAP, PAGE, PAGE, 0, all, 1), 0);
}

/* Brute force: the lowest aligned page address that fits. */
static uint64_t brute_place(const struct mem_region *m, uint32_t n, uint64_t size, uint64_t align,
                            uint64_t min, const struct mem_range *av, uint32_t nav, uint64_t space)
{
	size = (size + PAGE - 1) & ~(PAGE - 1);
	for (uint64_t a = align; a + size <= space; a += align) {
		if (a < min)
			continue;
		int inside = 0, clash = 0;
		for (uint32_t i = 0; i < n; i++)
			inside |= m[i].type == MEM_USABLE && a >= m[i].base &&
			          a + size <= m[i].base + m[i].length;
		for (uint32_t i = 0; i < nav; i++)
			clash |=
			    av[i].length && a < av[i].base + av[i].length && av[i].base < a + size;
		if (inside && !clash)
			return a;
	}
	return 0;
}

TEST(place_random_against_brute_force)
{
	uint64_t s = 12345;
	int found = 0;
	for (int iter = 0; iter < 2000; iter++) {
		struct mem_region m[8];
		struct mem_range av[6];
		uint64_t pos = 0;
		for (int i = 0; i < 8; i++) {
			s = s * 6364136223846793005ULL + 1442695040888963407ULL;
			pos += ((s >> 33) % 8) * PAGE;
			uint64_t len = (1 + (s >> 40) % 64) * PAGE;
			m[i] = R(pos, len, (s >> 20) % 3 ? MEM_USABLE : MEM_RESERVED);
			pos += len;
		}
		for (int i = 0; i < 6; i++) {
			s = s * 6364136223846793005ULL + 1442695040888963407ULL;
			av[i] =
			    (struct mem_range){(s >> 33) % (pos + PAGE), (s >> 45) % (8 * PAGE)};
		}
		s = s * 6364136223846793005ULL + 1442695040888963407ULL;
		uint64_t size = 1 + (s >> 30) % (16 * PAGE);
		uint64_t align = PAGE << ((s >> 50) % 4);
		uint64_t min = (s >> 10) % (pos / 2 + 1);
		uint64_t got = memmap_place(m, 8, size, align, min, av, 6);
		uint64_t want = brute_place(m, 8, size, align, min, av, 6, pos + 1);
		if (got != want) {
			printf("  iter %d: got 0x%llx want 0x%llx\n", iter, (unsigned long long)got,
			       (unsigned long long)want);
			CHECK(0);
			break;
		}
		found += got != 0;
	}
	CHECK(found > 500);
}
