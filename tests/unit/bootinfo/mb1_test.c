/*
 * Multiboot 1 parsing (boot/mb1_parse.c): a good structure as QEMU or GRUB
 * builds it, the mem_lower/mem_upper fallback, and one test per corruption,
 * each checked by the message it must give; then random corruption.
 */
#define HARNESS_MAIN
#include "boot/mb1_parse.h"
#include "boot/bootinfo_build.h"
#include "boot/multiboot1.h"
#include "tests/unit/bootinfo/fake_phys.h"
#include "tests/unit/harness.h"

#define MMAP_OFF 0x200
#define MODS_OFF 0x400
#define STR_OFF  0x600

static struct boot_info bi;

static void put32(uint32_t off, uint32_t v)
{
	memcpy(fake_phys + off, &v, 4);
}

static void put64(uint32_t off, uint64_t v)
{
	memcpy(fake_phys + off, &v, 8);
}

static uint32_t put_string(uint32_t off, const char *s)
{
	strcpy((char *)fake_phys + off, s);
	return FAKE_PHYS_BASE + off;
}

/* Appends an mmap entry with the given size field; returns the next offset. */
static uint32_t put_entry(uint32_t off, uint32_t size, uint64_t base, uint64_t len, uint32_t type)
{
	put32(off, size);
	put64(off + 4, base);
	put64(off + 12, len);
	put32(off + 20, type);
	return off + size + 4;
}

/* A QEMU-like structure: 640 KiB + 127 MiB, two modules, a command line. */
static void build_good(void)
{
	fake_phys_reset();
	uint32_t off = MMAP_OFF;
	off = put_entry(off, 20, 0, 0x9fc00, 1);
	off = put_entry(off, 20, 0x9fc00, 0x400, 2);
	off = put_entry(off, 24, 0xf0000, 0x10000, 2); /* a longer entry: step by size + 4 */
	off = put_entry(off, 20, 0x100000, 0x7ee0000, 1);
	off = put_entry(off, 20, 0xfffc0000, 0x40000, 2);
	off = put_entry(off, 20, 0x100000000ULL, 0x40000000, 1);
	put32(MB1_INFO_FLAGS, MB1_FLAG_MEM | MB1_FLAG_CMDLINE | MB1_FLAG_MODS | MB1_FLAG_MMAP);
	put32(MB1_INFO_MEM_LOWER, 639);
	put32(MB1_INFO_MEM_UPPER, 0x1fb80);
	put32(MB1_INFO_CMDLINE, put_string(STR_OFF, "hv.log=debug hv.test"));
	put32(MB1_INFO_MODS_COUNT, 2);
	put32(MB1_INFO_MODS_ADDR, FAKE_PHYS_BASE + MODS_OFF);
	put32(MODS_OFF + 0, 0x800000);
	put32(MODS_OFF + 4, 0x812345);
	put32(MODS_OFF + 8, put_string(STR_OFF + 0x40, "guest1.bin arg"));
	put32(MODS_OFF + 16, 0x900000);
	put32(MODS_OFF + 20, 0x900000); /* empty module */
	put32(MODS_OFF + 24, 0);        /* no string */
	put32(MB1_INFO_MMAP_LENGTH, off - MMAP_OFF);
	put32(MB1_INFO_MMAP_ADDR, FAKE_PHYS_BASE + MMAP_OFF);
}

static int parse(void)
{
	memset(&bi, 0x5a, sizeof(bi));
	return bootinfo_from_mb1(&bi, fake_phys);
}

/* Parses and expects failure with a message containing want. */
static int fails_with(const char *want)
{
	int rc = parse();
	if (rc != -1 || !strstr(bi.error, want)) {
		printf("  rc %d, error \"%s\", wanted \"%s\"\n", rc, bi.error, want);
		return 0;
	}
	return 1;
}

TEST(mb1_good)
{
	build_good();
	REQUIRE(parse() == 0);
	CHECK_EQ(bi.path, BOOT_PATH_MB1);
	CHECK(strcmp(boot_path_name(bi.path), "MB1") == 0);
	CHECK_EQ(bi.error[0], 0);
	CHECK_EQ(bi.mem_lower_kib, 639);
	CHECK_EQ(bi.mem_upper_kib, 0x1fb80);
	CHECK(strcmp(bi.cmdline, "hv.log=debug hv.test") == 0);
	REQUIRE(bi.module_count == 2);
	CHECK_EQ(bi.modules[0].start, 0x800000);
	CHECK_EQ(bi.modules[0].end, 0x812345);
	CHECK(strcmp(bi.modules[0].cmdline, "guest1.bin arg") == 0);
	CHECK_EQ(bi.modules[1].end, 0x900000);
	CHECK_EQ(bi.modules[1].cmdline[0], 0);
	CHECK_EQ(bi.loader_info_start, (uintptr_t)fake_phys);
	CHECK_EQ(bi.loader_info_end, (uintptr_t)fake_phys + MB1_INFO_SIZE);
	CHECK_EQ(bi.region_count, 6);
	CHECK(bi.regions[2].base == 0xf0000 && bi.regions[2].length == 0x10000 &&
	      bi.regions[2].type == MEM_RESERVED);

	struct mem_region out[BOOT_MAX_REGIONS];
	char err[128];
	REQUIRE(normalized(&bi, out, err, sizeof(err)) == 6);
	CHECK(out[0].base == 0 && out[0].length == 0x9f000 && out[0].type == MEM_USABLE);
	CHECK(out[1].base == 0x9fc00 && out[1].length == 0x400 && out[1].type == MEM_RESERVED);
	CHECK(out[2].base == 0xf0000 && out[2].type == MEM_RESERVED);
	CHECK(out[3].base == 0x100000 && out[3].length == 0x7ee0000);
	CHECK(out[5].base == 0x100000000ULL && out[5].type == MEM_USABLE);
}

TEST(mb1_map_from_mem_lower_upper)
{
	build_good();
	put32(MB1_INFO_FLAGS, MB1_FLAG_MEM);
	REQUIRE(parse() == 0);
	REQUIRE(bi.region_count == 2);
	CHECK(bi.regions[0].base == 0 && bi.regions[0].length == 639 * 1024);
	CHECK(bi.regions[1].base == 0x100000 && bi.regions[1].length == 0x1fb80ULL * 1024);
	CHECK_EQ(bi.module_count, 0);
	CHECK_EQ(bi.cmdline[0], 0);

	put32(MB1_INFO_MEM_LOWER, 0);
	put32(MB1_INFO_MEM_UPPER, 0);
	CHECK(fails_with("mem_lower and mem_upper are both 0"));
	put32(MB1_INFO_MEM_LOWER, 700);
	CHECK(fails_with("mb1: mem_lower 700 KiB > 640"));
}

TEST(mb1_corrupt_mmap)
{
	build_good();
	put32(MMAP_OFF + 24, 12); /* second entry's size field */
	CHECK(fails_with("mb1: mmap entry at offset 24: size 12 < 20"));

	build_good();
	put32(MB1_INFO_MMAP_LENGTH, 24 * 2 + 10); /* the third entry is cut */
	CHECK(fails_with("mb1: mmap entry at offset 48: size 24 runs past mmap_length 58"));

	build_good();
	put32(MB1_INFO_MMAP_LENGTH, 24 * 2 + 2);
	CHECK(fails_with("mb1: mmap entry at offset 48: truncated size field"));

	build_good();
	put32(MB1_INFO_MMAP_LENGTH, 0);
	CHECK(fails_with("mb1: mmap_length 0 too small"));

	build_good();
	put32(MB1_INFO_MMAP_LENGTH, 0x7fffffff);
	CHECK(fails_with("mb1: mmap_length 2147483647 too large"));

	build_good();
	put32(MB1_INFO_MMAP_ADDR, 0xfffffff0); /* runs past 4 GiB */
	CHECK(fails_with("mb1: mmap_addr 0xfffffff0 length 148 outside 4 GiB"));

	build_good();
	put32(MB1_INFO_MMAP_ADDR, FAKE_PHYS_BASE + FAKE_PHYS_SIZE - 100); /* unmapped */
	CHECK(fails_with("outside 4 GiB"));

	build_good();
	put32(MB1_INFO_MMAP_ADDR, 0);
	CHECK(fails_with("mb1: mmap_addr 0x0"));

	build_good();
	put32(MB1_INFO_FLAGS, MB1_FLAG_CMDLINE);
	CHECK(fails_with("mb1: no memory information (flags 0x4"));
}

TEST(mb1_corrupt_modules_and_strings)
{
	build_good();
	char want[48];
	snprintf(want, sizeof(want), "mb1: mods_count %u > %u", BOOT_MAX_MODULES + 1,
	         BOOT_MAX_MODULES);
	put32(MB1_INFO_MODS_COUNT, BOOT_MAX_MODULES + 1);
	CHECK(fails_with(want));

	build_good();
	put32(MODS_OFF + 4, 0x7fffff);
	CHECK(fails_with("mb1: module 0: mod_end 0x7fffff < mod_start 0x800000"));

	build_good();
	put32(MB1_INFO_MODS_ADDR, FAKE_PHYS_BASE + FAKE_PHYS_SIZE - 16);
	CHECK(fails_with("mb1: mods_addr 0x1fff0 (2 modules) outside 4 GiB"));

	build_good();
	put32(MB1_INFO_CMDLINE, 0xdeadbeef);
	CHECK(fails_with("mb1: cmdline at 0xdeadbeef: unreadable"));

	/* A string that never ends before the end of memory. */
	build_good();
	memset(fake_phys + FAKE_PHYS_SIZE - 16, 'x', 16);
	put32(MB1_INFO_CMDLINE, FAKE_PHYS_BASE + FAKE_PHYS_SIZE - 16);
	CHECK(fails_with("mb1: cmdline at 0x1fff0: unreadable"));

	/* A long one is truncated to BOOT_CMDLINE_MAX - 1. */
	build_good();
	memset(fake_phys + STR_OFF, 'y', BOOT_CMDLINE_MAX + 100);
	REQUIRE(parse() == 0);
	CHECK_EQ(strlen(bi.cmdline), BOOT_CMDLINE_MAX - 1);

	build_good();
	put32(MODS_OFF + 8, 0x4);
	CHECK(fails_with("mb1: module string at 0x4: unreadable"));

	CHECK(bootinfo_from_mb1(&bi, NULL) == -1);
	CHECK(strstr(bi.error, "null pointer") != NULL);
}

TEST(mb1_default_phys_refuses_above_4g)
{
	const void *(*saved)(uint64_t, uint64_t) = bootinfo_phys_hook;
	bootinfo_phys_hook = NULL;
	CHECK(bootinfo_phys(0, 16) == NULL);
	CHECK(bootinfo_phys(0xfffffff0, 17) == NULL);
	CHECK(bootinfo_phys(0x100000000ULL, 1) == NULL);
	CHECK(bootinfo_phys(0x1000, 0x100) == (const void *)(uintptr_t)0x1000);
	CHECK(bootinfo_phys(0xfffffff0, 16) == (const void *)(uintptr_t)0xfffffff0);
	bootinfo_phys_hook = saved;
}

TEST(mb1_random_corruption_never_crashes)
{
	uint64_t s = 99;
	int ok = 0, refused = 0;
	for (int iter = 0; iter < 20000; iter++) {
		build_good();
		int flips = 1 + (int)(s % 4);
		for (int k = 0; k < flips; k++) {
			s = s * 6364136223846793005ULL + 1442695040888963407ULL;
			uint32_t off = (uint32_t)((s >> 33) % (STR_OFF + 0x80));
			if ((s >> 20) % 2)
				fake_phys[off] = (uint8_t)(s >> 50);
			else
				put32(off & ~3u, (uint32_t)(s >> 24) % (FAKE_PHYS_BASE + 0x1000));
		}
		if (parse() == 0) {
			ok++;
			CHECK(bi.region_count <= BOOT_MAX_REGIONS);
			CHECK(bi.module_count <= BOOT_MAX_MODULES);
			CHECK(memchr(bi.cmdline, 0, sizeof(bi.cmdline)) != NULL);
		} else {
			refused++;
			CHECK(strncmp(bi.error, "mb1: ", 5) == 0 ||
			      strncmp(bi.error, "bootinfo: ", 10) == 0);
		}
	}
	CHECK(ok > 1000);
	CHECK(refused > 1000);
}
