/*
 * UEFI memory map conversion (boot/efimap.c), checked through the normalized
 * map: odd descriptor sizes, unsorted and overlapping descriptors, neighbours
 * that differ only in attributes, runtime regions that must stay reserved.
 */
#include "boot/bootinfo_build.h"
#include "boot/efimap.h"
#include "tests/unit/bootinfo/fake_phys.h"
#include "tests/unit/harness.h"

#define MIB 0x100000ULL
#define GIB 0x40000000ULL
#define WB  0x8ULL /* EFI_MEMORY_WB */
#define UC  0x1ULL
#define WC  0x2ULL

struct desc {
	uint32_t type;
	uint64_t start, pages, attr;
};

static _Alignas(8) uint8_t map[300 * 128];
static struct boot_info bi;
static struct mem_region out[BOOT_MAX_REGIONS];
static char err[128];

/* Lays descriptors out desc_size bytes apart, junk in the padding. */
static uint64_t lay_out(const struct desc *d, uint32_t n, uint32_t desc_size)
{
	memset(map, 0xcc, sizeof(map));
	for (uint32_t i = 0; i < n; i++) {
		uint8_t *p = map + (uint64_t)i * desc_size;
		memcpy(p + EFI_DESC_TYPE, &d[i].type, 4);
		memset(p + 4, 0, 4);
		memcpy(p + EFI_DESC_PHYSICAL_START, &d[i].start, 8);
		memcpy(p + EFI_DESC_VIRTUAL_START, &d[i].start, 8);
		memcpy(p + EFI_DESC_NUMBER_OF_PAGES, &d[i].pages, 8);
		memcpy(p + EFI_DESC_ATTRIBUTE, &d[i].attr, 8);
	}
	return (uint64_t)n * desc_size;
}

/* Converts and normalizes; the normalized count or -1. */
static int convert(const struct desc *d, uint32_t n, uint32_t desc_size, int bs_active)
{
	bootinfo_init(&bi, BOOT_PATH_EFI);
	bi.efi_bs_active = (uint32_t)bs_active;
	if (bootinfo_add_efi_map(&bi, map, lay_out(d, n, desc_size), desc_size) < 0)
		return -1;
	return normalized(&bi, out, err, sizeof(err));
}

static int is(int i, uint64_t base, uint64_t length, uint32_t type)
{
	if (out[i].base == base && out[i].length == length && out[i].type == type)
		return 1;
	printf("  out[%d] = {0x%llx, 0x%llx, %u}\n", i, (unsigned long long)out[i].base,
	       (unsigned long long)out[i].length, out[i].type);
	return 0;
}

/* An OVMF-like map, deliberately unsorted. */
static const struct desc ovmf[] = {
    {EFI_CONVENTIONAL_MEMORY, 0x100000, 0x700, WB},
    {EFI_BOOT_SERVICES_CODE, 0, 0xa0, WB},
    {EFI_RUNTIME_SERVICES_DATA, 0x7f000000, 0x100, WB | EFI_MEMORY_RUNTIME},
    {EFI_LOADER_CODE, 0x800000, 0x10, WB},
    {EFI_ACPI_RECLAIM_MEMORY, 0x7e000000, 0x10, WB},
    {EFI_BOOT_SERVICES_DATA, 0x810000, 0x7d7f0, WB},
    {EFI_RUNTIME_SERVICES_CODE, 0x7f100000, 0x100, WB | EFI_MEMORY_RUNTIME},
    {EFI_ACPI_MEMORY_NVS, 0x7f200000, 0x20, WB},
    {EFI_MEMORY_MAPPED_IO, 0xffc00000, 0x400, UC | EFI_MEMORY_RUNTIME},
    {EFI_CONVENTIONAL_MEMORY, 0x100000000ULL, 0x40000, WB},
    {EFI_RESERVED_MEMORY, 0xa0000, 0x60, 0},
};
#define NOVMF (sizeof(ovmf) / sizeof(ovmf[0]))

TEST(efi_ovmf_like_unsorted)
{
	const uint32_t sizes[] = {40, 48, 56, 64, 160};
	for (unsigned k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		int n = convert(ovmf, NOVMF, sizes[k], 0);
		REQUIRE(n == 8);
		CHECK(is(0, 0, 0xa0000, MEM_USABLE)); /* boot services code */
		CHECK(is(1, 0xa0000, 0x60000, MEM_RESERVED));
		CHECK(is(2, 0x100000, 0x7e000000 - 0x100000, MEM_USABLE)); /* conv+loader+BS */
		CHECK(is(3, 0x7e000000, 0x10000, MEM_ACPI_RECLAIM));
		CHECK(is(4, 0x7f000000, 0x200000, MEM_RESERVED)); /* runtime code and data */
		CHECK(is(5, 0x7f200000, 0x20000, MEM_ACPI_NVS));
		CHECK(is(6, 0xffc00000, 0x400000, MEM_RESERVED));
		CHECK(is(7, 0x100000000ULL, GIB, MEM_USABLE));
	}
}

TEST(efi_boot_services_active_stay_reserved)
{
	REQUIRE(convert(ovmf, NOVMF, 48, 1) > 0);
	CHECK(is(0, 0, 0x100000, MEM_RESERVED)); /* BS code + reserved: merged */
	CHECK(is(1, 0x100000, 0x710000, MEM_USABLE));
	CHECK(is(2, 0x810000, 0x7d7f0000, MEM_RESERVED));
}

TEST(efi_attribute_only_neighbours_merge)
{
	/* Same type, adjacent, different cacheability: one region. */
	const struct desc d[] = {
	    {EFI_CONVENTIONAL_MEMORY, 0x100000, 0x100, WB},
	    {EFI_CONVENTIONAL_MEMORY, 0x200000, 0x100, WB | UC | WC},
	    {EFI_CONVENTIONAL_MEMORY, 0x300000, 0x100, UC},
	};
	REQUIRE(convert(d, 3, 48, 0) == 1);
	CHECK_EQ(bi.region_count, 1); /* merged while converting already */
	CHECK(is(0, 0x100000, 0x300000, MEM_USABLE));

	/* ...unless the attribute is EFI_MEMORY_RUNTIME: that part stays reserved. */
	const struct desc e[] = {
	    {EFI_CONVENTIONAL_MEMORY, 0x100000, 0x100, WB},
	    {EFI_CONVENTIONAL_MEMORY, 0x200000, 0x100, WB | EFI_MEMORY_RUNTIME},
	    {EFI_CONVENTIONAL_MEMORY, 0x300000, 0x100, WB},
	};
	REQUIRE(convert(e, 3, 48, 0) == 3);
	CHECK(is(0, 0x100000, 0x100000, MEM_USABLE));
	CHECK(is(1, 0x200000, 0x100000, MEM_RESERVED));
	CHECK(is(2, 0x300000, 0x100000, MEM_USABLE));
}

TEST(efi_overlapping_runtime_stays_reserved)
{
	/* A buggy firmware lists runtime data inside conventional memory. */
	const struct desc d[] = {
	    {EFI_CONVENTIONAL_MEMORY, 0, 0x4000, WB},
	    {EFI_RUNTIME_SERVICES_DATA, 0x800000, 0x10, WB},
	    {EFI_RUNTIME_SERVICES_CODE, 0x1000000, 0x10, WB | EFI_MEMORY_RUNTIME},
	    {EFI_UNUSABLE_MEMORY, 0x2000000, 1, WB},
	    {EFI_BOOT_SERVICES_DATA, 0x1800000, 0x800, WB}, /* overlaps, same outcome */
	};
	REQUIRE(convert(d, 5, 48, 0) == 7);
	CHECK(is(0, 0, 0x800000, MEM_USABLE));
	CHECK(is(1, 0x800000, 0x10000, MEM_RESERVED));
	CHECK(is(2, 0x810000, 0x1000000 - 0x810000, MEM_USABLE));
	CHECK(is(3, 0x1000000, 0x10000, MEM_RESERVED));
	CHECK(is(4, 0x1010000, 0x2000000 - 0x1010000, MEM_USABLE));
	CHECK(is(5, 0x2000000, 0x1000, MEM_BAD));
	CHECK(is(6, 0x2001000, 0x4000000 - 0x2001000, MEM_USABLE));
}

TEST(efi_type_table)
{
	CHECK_EQ(efi_mem_type(EFI_RESERVED_MEMORY, 0, 0), MEM_RESERVED);
	CHECK_EQ(efi_mem_type(EFI_LOADER_CODE, 0, 0), MEM_USABLE);
	CHECK_EQ(efi_mem_type(EFI_LOADER_DATA, 0, 1), MEM_USABLE);
	CHECK_EQ(efi_mem_type(EFI_BOOT_SERVICES_CODE, 0, 0), MEM_USABLE);
	CHECK_EQ(efi_mem_type(EFI_BOOT_SERVICES_DATA, 0, 1), MEM_RESERVED);
	CHECK_EQ(efi_mem_type(EFI_RUNTIME_SERVICES_CODE, 0, 0), MEM_RESERVED);
	CHECK_EQ(efi_mem_type(EFI_RUNTIME_SERVICES_DATA, 0, 0), MEM_RESERVED);
	CHECK_EQ(efi_mem_type(EFI_CONVENTIONAL_MEMORY, 0, 1), MEM_USABLE);
	CHECK_EQ(efi_mem_type(EFI_CONVENTIONAL_MEMORY, EFI_MEMORY_RUNTIME, 0), MEM_RESERVED);
	CHECK_EQ(efi_mem_type(EFI_UNUSABLE_MEMORY, 0, 0), MEM_BAD);
	CHECK_EQ(efi_mem_type(EFI_ACPI_RECLAIM_MEMORY, 0, 0), MEM_ACPI_RECLAIM);
	CHECK_EQ(efi_mem_type(EFI_ACPI_MEMORY_NVS, 0, 0), MEM_ACPI_NVS);
	CHECK_EQ(efi_mem_type(EFI_MEMORY_MAPPED_IO, 0, 0), MEM_RESERVED);
	CHECK_EQ(efi_mem_type(EFI_MEMORY_MAPPED_IO_PORT_SPACE, 0, 0), MEM_RESERVED);
	CHECK_EQ(efi_mem_type(EFI_PAL_CODE, 0, 0), MEM_RESERVED);
	CHECK_EQ(efi_mem_type(EFI_PERSISTENT_MEMORY, 0, 0), MEM_RESERVED);
	CHECK_EQ(efi_mem_type(EFI_UNACCEPTED_MEMORY, 0, 0), MEM_RESERVED);
	CHECK_EQ(efi_mem_type(0x70000001, 0, 0), MEM_RESERVED); /* OEM */
	CHECK_EQ(efi_mem_type(0x80000000, 0, 0), MEM_RESERVED); /* OS loader */
}

TEST(efi_bad_maps_refused)
{
	const struct desc d[] = {{EFI_CONVENTIONAL_MEMORY, 0x100000, 0x100, WB}};
	bootinfo_init(&bi, BOOT_PATH_EFI);
	lay_out(d, 1, 48);
	CHECK(bootinfo_add_efi_map(&bi, map, 48, 32) == -1);
	CHECK(strcmp(bi.error, "efi: descriptor size 32 < 40") == 0);
	CHECK(bootinfo_add_efi_map(&bi, map, 50, 48) == -1);
	CHECK(strcmp(bi.error, "efi: map size 50 not a multiple of descriptor size 48") == 0);
	CHECK(bootinfo_add_efi_map(&bi, NULL, 48, 48) == -1);
	CHECK(strstr(bi.error, "null pointer") != NULL);
	CHECK(bootinfo_add_efi_map(&bi, map, 0, 48) == 0); /* empty map: nothing to add */
	CHECK_EQ(bi.region_count, 0);

	const struct desc big[] = {{EFI_CONVENTIONAL_MEMORY, 0x100000, 1ULL << 52, WB}};
	CHECK(convert(big, 1, 48, 0) == -1);
	CHECK(strcmp(bi.error, "efi: descriptor 0 (type 7 at 0x100000): 4503599627370496 pages "
	                       "overflow") == 0);

	/* Usable memory running past 2^64 is refused by normalization. */
	const struct desc wrap[] = {{EFI_CONVENTIONAL_MEMORY, 0xfffffffffff00000ULL, 0x200, WB}};
	CHECK(convert(wrap, 1, 48, 0) == -1);
	CHECK(strstr(err, "wraps past 2^64") != NULL);

	/* Runtime-only memory: nothing usable. */
	const struct desc rt[] = {{EFI_RUNTIME_SERVICES_CODE, 0x100000, 0x100, WB}};
	CHECK(convert(rt, 1, 48, 0) == -1);
	CHECK(strstr(err, "no usable memory") != NULL);
}

TEST(efi_too_many_regions)
{
	static struct desc d[300];
	for (uint32_t i = 0; i < 300; i++)
		d[i] = (struct desc){i % 2 ? EFI_RUNTIME_SERVICES_DATA : EFI_CONVENTIONAL_MEMORY,
		                     0x100000 + i * 0x2000ULL, 1, WB};
	CHECK(convert(d, 300, 48, 0) == -1);
	CHECK(strstr(bi.error, "more than 128 memory regions") != NULL);
	/* Adjacent ones collapse while converting, so long maps still fit. */
	for (uint32_t i = 0; i < 300; i++)
		d[i] = (struct desc){i % 3 ? EFI_BOOT_SERVICES_DATA : EFI_CONVENTIONAL_MEMORY,
		                     0x100000 + i * 0x1000ULL, 1, i % 5 ? WB : UC};
	REQUIRE(convert(d, 300, 48, 0) == 1);
	CHECK(is(0, 0x100000, 300 * 0x1000ULL, MEM_USABLE));
}
