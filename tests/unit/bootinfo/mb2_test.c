/*
 * Multiboot 2 parsing (boot/mb2_parse.c): BIOS and UEFI structures as GRUB
 * builds them, the choice between the two memory maps, and one test per
 * corruption, each checked by its message; then random corruption.
 */
#include "boot/efimap.h"
#include "boot/mb2_parse.h"
#include "boot/multiboot2.h"
#include "tests/unit/bootinfo/fake_phys.h"
#include "tests/unit/harness.h"

/* As large as the biggest total_size accepted, so that corrupted sizes stay inside. */
static _Alignas(8) uint8_t buf[(1u << 20) + 64];
static uint32_t used;
static struct boot_info bi;

static void begin(void)
{
	memset(buf, 0, 8192);
	used = MB2_INFO_FIRST_TAG;
}

/* Appends a tag with the given payload; returns its offset. */
static uint32_t tag(uint32_t type, const void *payload, uint32_t len)
{
	uint32_t off = used, size = 8 + len;
	memcpy(buf + off, &type, 4);
	memcpy(buf + off + 4, &size, 4);
	if (len)
		memcpy(buf + off + 8, payload, len);
	used = (off + size + 7) & ~7u;
	return off;
}

static void finish(void)
{
	tag(MB2_TAG_TYPE_END, NULL, 0);
	memcpy(buf, &used, 4);
}

static void set32(uint32_t off, uint32_t v)
{
	memcpy(buf + off, &v, 4);
}

struct mmap_entry {
	uint64_t base, length;
	uint32_t type, zero;
};

static uint32_t mmap_tag(const struct mmap_entry *e, uint32_t n, uint32_t entry_size)
{
	uint8_t p[8 + 64 * 32] = {0};
	memcpy(p, &entry_size, 4);
	for (uint32_t i = 0; i < n; i++)
		memcpy(p + 8 + i * entry_size, &e[i], sizeof(e[i]));
	return tag(MB2_TAG_TYPE_MMAP, p, 8 + n * entry_size);
}

static const struct mmap_entry bios_map[] = {
    {0, 0x9fc00, 1, 0},
    {0x9fc00, 0x400, 2, 0},
    {0xf0000, 0x10000, 2, 0},
    {0x100000, 0xbfee0000, 1, 0},
    {0x100000000ULL, 0x40000000, 1, 0},
};

static uint32_t module_tag(uint32_t start, uint32_t end, const char *s)
{
	uint8_t p[256];
	memcpy(p, &start, 4);
	memcpy(p + 4, &end, 4);
	strcpy((char *)p + 8, s);
	return tag(MB2_TAG_TYPE_MODULE, p, 8 + (uint32_t)strlen(s) + 1);
}

static void build_bios(void)
{
	uint32_t meminfo[2] = {639, 3 * 1024 * 1024};
	begin();
	tag(MB2_TAG_TYPE_CMDLINE, "hv.serial=0x3f8", 16);
	tag(2, "GRUB 2.06", 10); /* boot loader name: ignored */
	tag(MB2_TAG_TYPE_BASIC_MEMINFO, meminfo, 8);
	module_tag(0x1000000, 0x1100000, "guest.img");
	mmap_tag(bios_map, 5, 24);
	finish();
}

/* A UEFI descriptor of desc_size bytes (padding filled with junk). */
static void efi_desc(uint8_t *d, uint32_t desc_size, uint32_t type, uint64_t start, uint64_t pages,
                     uint64_t attr)
{
	memset(d, 0xee, desc_size);
	memcpy(d + EFI_DESC_TYPE, &type, 4);
	memcpy(d + EFI_DESC_PHYSICAL_START, &start, 8);
	memset(d + EFI_DESC_VIRTUAL_START, 0, 8);
	memcpy(d + EFI_DESC_NUMBER_OF_PAGES, &pages, 8);
	memcpy(d + EFI_DESC_ATTRIBUTE, &attr, 8);
}

static uint32_t efi_mmap_tag(uint32_t desc_size, uint32_t version)
{
	uint8_t p[8 + 6 * 64];
	memcpy(p, &desc_size, 4);
	memcpy(p + 4, &version, 4);
	uint8_t *d = p + 8;
	efi_desc(d + 0 * desc_size, desc_size, EFI_BOOT_SERVICES_CODE, 0, 0x9f, 0xf);
	efi_desc(d + 1 * desc_size, desc_size, EFI_CONVENTIONAL_MEMORY, 0x100000, 0x700, 0xf);
	efi_desc(d + 2 * desc_size, desc_size, EFI_LOADER_DATA, 0x800000, 0x100, 0xf);
	efi_desc(d + 3 * desc_size, desc_size, EFI_RUNTIME_SERVICES_DATA, 0x900000, 0x10,
	         0xf | EFI_MEMORY_RUNTIME);
	efi_desc(d + 4 * desc_size, desc_size, EFI_BOOT_SERVICES_DATA, 0x910000, 0x6f0, 0xf);
	efi_desc(d + 5 * desc_size, desc_size, EFI_ACPI_MEMORY_NVS, 0x1000000, 0x10, 0xf);
	return tag(MB2_TAG_TYPE_EFI_MMAP, p, 8 + 6 * desc_size);
}

static void build_uefi(int with_bs_tag)
{
	uint64_t systab = 0x7fb4f018;
	begin();
	tag(MB2_TAG_TYPE_CMDLINE, "", 1);
	tag(MB2_TAG_TYPE_EFI64, &systab, 8);
	mmap_tag(bios_map, 5, 24); /* GRUB gives both; the EFI one wins */
	efi_mmap_tag(48, 1);
	if (with_bs_tag)
		tag(MB2_TAG_TYPE_EFI_BS, NULL, 0);
	finish();
}

static int parse(void)
{
	memset(&bi, 0x5a, sizeof(bi));
	return bootinfo_from_mb2(&bi, buf);
}

static int fails_with(const char *want)
{
	int rc = parse();
	if (rc != -1 || !strstr(bi.error, want)) {
		printf("  rc %d, error \"%s\", wanted \"%s\"\n", rc, bi.error, want);
		return 0;
	}
	return 1;
}

TEST(mb2_bios_good)
{
	build_bios();
	REQUIRE(parse() == 0);
	CHECK_EQ(bi.path, BOOT_PATH_MB2_BIOS);
	CHECK(strcmp(boot_path_name(bi.path), "MB2 BIOS") == 0);
	CHECK(strcmp(bi.cmdline, "hv.serial=0x3f8") == 0);
	CHECK_EQ(bi.mem_lower_kib, 639);
	CHECK_EQ(bi.mem_upper_kib, 3 * 1024 * 1024);
	REQUIRE(bi.module_count == 1);
	CHECK(bi.modules[0].start == 0x1000000 && bi.modules[0].end == 0x1100000);
	CHECK(strcmp(bi.modules[0].cmdline, "guest.img") == 0);
	CHECK_EQ(bi.loader_info_start, (uintptr_t)buf);
	CHECK_EQ(bi.loader_info_end, (uintptr_t)buf + used);
	CHECK_EQ(bi.efi_system_table, 0);
	REQUIRE(bi.region_count == 5);
	for (uint32_t i = 0; i < 5; i++)
		CHECK(bi.regions[i].base == bios_map[i].base &&
		      bi.regions[i].length == bios_map[i].length &&
		      bi.regions[i].type == bios_map[i].type);
}

TEST(mb2_larger_entry_size_and_any_version)
{
	begin();
	uint32_t off = mmap_tag(bios_map, 5, 32);
	set32(off + MB2_MMAP_ENTRY_VERSION, 1);
	finish();
	REQUIRE(parse() == 0);
	REQUIRE(bi.region_count == 5);
	CHECK(bi.regions[3].base == 0x100000 && bi.regions[3].length == 0xbfee0000);
	CHECK_EQ(bi.cmdline[0], 0);
	CHECK_EQ(bi.module_count, 0);
}

TEST(mb2_uefi_prefers_efi_map)
{
	build_uefi(0);
	REQUIRE(parse() == 0);
	CHECK_EQ(bi.path, BOOT_PATH_MB2_UEFI);
	CHECK(strcmp(boot_path_name(bi.path), "MB2 UEFI") == 0);
	CHECK_EQ(bi.efi_system_table, 0x7fb4f018);
	CHECK_EQ(bi.efi_bs_active, 0);

	struct mem_region out[BOOT_MAX_REGIONS];
	char err[128];
	int n = normalized(&bi, out, err, sizeof(err));
	REQUIRE(n == 5);
	/* Nothing of the BIOS map (e.g. RAM at 4 GiB) is there. */
	CHECK(out[0].base == 0 && out[0].length == 0x9f000 && out[0].type == MEM_USABLE);
	CHECK(out[1].base == 0x100000 && out[1].length == 0x800000 && out[1].type == MEM_USABLE);
	CHECK(out[2].base == 0x900000 && out[2].length == 0x10000 && out[2].type == MEM_RESERVED);
	CHECK(out[3].base == 0x910000 && out[3].length == 0x6f0000 && out[3].type == MEM_USABLE);
	CHECK(out[4].base == 0x1000000 && out[4].type == MEM_ACPI_NVS);
}

TEST(mb2_uefi_boot_services_active_keeps_their_memory)
{
	build_uefi(1);
	REQUIRE(parse() == 0);
	CHECK_EQ(bi.path, BOOT_PATH_MB2_UEFI);
	CHECK_EQ(bi.efi_bs_active, 1);
	struct mem_region out[BOOT_MAX_REGIONS];
	char err[128];
	int n = normalized(&bi, out, err, sizeof(err));
	REQUIRE(n == 4);
	CHECK(out[0].base == 0 && out[0].length == 0x9f000 && out[0].type == MEM_RESERVED);
	CHECK(out[1].base == 0x100000 && out[1].length == 0x800000 && out[1].type == MEM_USABLE);
	CHECK(out[2].base == 0x900000 && out[2].length == 0x700000 && out[2].type == MEM_RESERVED);
}

TEST(mb2_empty_efi_map_defers_to_tag_6)
{
	uint32_t hdr[2] = {48, 1};
	begin();
	tag(MB2_TAG_TYPE_EFI_MMAP, hdr, 8);
	mmap_tag(bios_map, 5, 24);
	finish();
	REQUIRE(parse() == 0);
	CHECK_EQ(bi.path, BOOT_PATH_MB2_UEFI);
	CHECK_EQ(bi.region_count, 5);

	/* Only an EFI system table: still UEFI, the map from tag 6. */
	uint32_t systab = 0x7f000000;
	begin();
	tag(MB2_TAG_TYPE_EFI32, &systab, 4);
	mmap_tag(bios_map, 5, 24);
	finish();
	REQUIRE(parse() == 0);
	CHECK_EQ(bi.path, BOOT_PATH_MB2_UEFI);
	CHECK_EQ(bi.efi_system_table, 0x7f000000);
}

TEST(mb2_bad_total_size)
{
	build_bios();
	set32(0, 8);
	CHECK(fails_with("mb2: total_size 8 too small (< 16)"));
	set32(0, 2u << 20);
	CHECK(fails_with("mb2: total_size 2097152 too large (> 1048576)"));
	set32(0, 0xffffffff);
	CHECK(fails_with("too large"));
	/* Cut before the end tag. */
	build_bios();
	set32(0, used - 8);
	CHECK(fails_with("mb2: no end tag before total_size"));
	/* Cut inside the mmap tag. */
	build_bios();
	set32(0, used - 16);
	CHECK(fails_with("mb2: tag type 6 at offset"));
	CHECK(strstr(bi.error, "runs past total_size") != NULL);

	CHECK(bootinfo_from_mb2(&bi, buf + 4) == -1);
	CHECK(strstr(bi.error, "not 8-byte aligned") != NULL);
	CHECK(bootinfo_from_mb2(&bi, NULL) == -1);
	CHECK(strstr(bi.error, "null pointer") != NULL);
}

TEST(mb2_bad_tag_sizes)
{
	build_bios();
	set32(MB2_INFO_FIRST_TAG + 4, 4); /* first tag's size */
	CHECK(fails_with("mb2: tag type 1 at offset 0x8: size 4 < 8"));

	build_bios();
	set32(MB2_INFO_FIRST_TAG + 4, 0xfffffff0);
	CHECK(fails_with("mb2: tag type 1 at offset 0x8: size 4294967280 runs past total_size"));

	/* An end tag that claims to be longer. */
	build_bios();
	set32(used - 4, 16);
	CHECK(fails_with("size 16 runs past total_size"));
	set32(0, used + 8);
	CHECK(fails_with("mb2: end tag at offset 0xf0: size 16 != 8"));

	/* No end tag at all: the last tag is something else. */
	build_bios();
	set32(used - 8, 2);
	CHECK(fails_with("mb2: no end tag before total_size"));
}

TEST(mb2_bad_mmap_tag)
{
	/* The exact message of the brief: tag 6 at offset 0x48 with entry_size 12. */
	char pad[56];
	memset(pad, 'a', sizeof(pad));
	pad[55] = 0;
	begin();
	tag(MB2_TAG_TYPE_CMDLINE, pad, sizeof(pad));
	uint32_t off = mmap_tag(bios_map, 5, 24);
	finish();
	REQUIRE(off == 0x48);
	REQUIRE(parse() == 0);
	set32(off + MB2_MMAP_ENTRY_SIZE, 12);
	CHECK(fails_with("mb2: tag type 6 at offset 0x48: entry_size 12 < 24"));
	CHECK(strcmp(bi.error, "mb2: tag type 6 at offset 0x48: entry_size 12 < 24") == 0);

	set32(off + MB2_MMAP_ENTRY_SIZE, 48); /* 120 bytes of entries */
	CHECK(fails_with("mb2: tag type 6 at offset 0x48: 120 bytes of entries not a multiple of "
	                 "entry_size 48"));
	set32(off + MB2_MMAP_ENTRY_SIZE, 0);
	CHECK(fails_with("entry_size 0 < 24"));
	set32(off + 4, 12); /* tag too short for its header fields */
	CHECK(fails_with("mb2: tag type 6 at offset 0x48: size 12 < 16"));

	begin();
	tag(MB2_TAG_TYPE_CMDLINE, "x", 2);
	finish();
	CHECK(fails_with("mb2: no memory map (neither tag 6 nor tag 17)"));
}

TEST(mb2_bad_efi_mmap_tag)
{
	build_uefi(0);
	uint32_t off = 0;
	for (uint32_t o = 8; o < used;) { /* find tag 17 */
		uint32_t t, s;
		memcpy(&t, buf + o, 4);
		memcpy(&s, buf + o + 4, 4);
		if (t == MB2_TAG_TYPE_EFI_MMAP)
			off = o;
		o = (o + s + 7) & ~7u;
	}
	REQUIRE(off != 0);
	set32(off + MB2_EFI_MMAP_DESC_SIZE, 16);
	CHECK(fails_with("tag type 17 at offset 0x"));
	CHECK(strstr(bi.error, ": efi: descriptor size 16 < 40") != NULL);
	set32(off + MB2_EFI_MMAP_DESC_SIZE, 40); /* 288 bytes: not a multiple of 40 */
	CHECK(fails_with("efi: map size 288 not a multiple of descriptor size 40"));
	set32(off + MB2_EFI_MMAP_DESC_SIZE, 48);
	set32(off + MB2_EFI_MMAP_DESC_VERSION, 0);
	CHECK(fails_with("descriptor_version 0"));
}

TEST(mb2_bad_strings_and_modules)
{
	begin();
	tag(MB2_TAG_TYPE_CMDLINE, "abc", 3); /* no NUL inside the tag */
	mmap_tag(bios_map, 5, 24);
	finish();
	CHECK(fails_with("mb2: tag type 1 at offset 0x8: string not NUL-terminated"));

	begin();
	tag(MB2_TAG_TYPE_MODULE, "\0\0\0\0\0\0\0\0", 8); /* no room for a string */
	mmap_tag(bios_map, 5, 24);
	finish();
	CHECK(fails_with("mb2: tag type 3 at offset 0x8: size 16 < 17"));

	begin();
	module_tag(0x200000, 0x100000, "backwards");
	mmap_tag(bios_map, 5, 24);
	finish();
	CHECK(fails_with("mb2: tag type 3 at offset 0x8: mod_end 0x100000 < mod_start 0x200000"));

	begin();
	for (int i = 0; i < BOOT_MAX_MODULES + 1; i++)
		module_tag(0x200000, 0x300000, "m");
	mmap_tag(bios_map, 5, 24);
	finish();
	char want[32];
	snprintf(want, sizeof(want), "more than %u modules", BOOT_MAX_MODULES);
	CHECK(fails_with(want));

	/* Too short basic meminfo and EFI64 tags. */
	begin();
	tag(MB2_TAG_TYPE_BASIC_MEMINFO, "1234", 4);
	finish();
	CHECK(fails_with("mb2: tag type 4 at offset 0x8: size 12 < 16"));
	begin();
	tag(MB2_TAG_TYPE_EFI64, "1234", 4);
	finish();
	CHECK(fails_with("mb2: tag type 12 at offset 0x8: size 12 < 16"));
}

TEST(mb2_random_corruption_never_crashes)
{
	uint64_t s = 7;
	int ok = 0, refused = 0;
	for (int iter = 0; iter < 30000; iter++) {
		if (iter % 2)
			build_bios();
		else
			build_uefi(iter % 4 == 0);
		uint32_t size = used;
		s = s * 6364136223846793005ULL + 1442695040888963407ULL;
		int flips = 1 + (int)((s >> 60) % 3);
		for (int k = 0; k < flips; k++) {
			s = s * 6364136223846793005ULL + 1442695040888963407ULL;
			uint32_t off = (uint32_t)((s >> 33) % size);
			if ((s >> 20) % 2)
				buf[off] = (uint8_t)(s >> 50);
			else
				set32(off & ~3u, (uint32_t)(s >> 24) % 0x400);
		}
		if (parse() == 0) {
			ok++;
			CHECK(bi.region_count <= BOOT_MAX_REGIONS);
			CHECK(bi.module_count <= BOOT_MAX_MODULES);
			CHECK(memchr(bi.cmdline, 0, sizeof(bi.cmdline)) != NULL);
			CHECK(bi.loader_info_end - bi.loader_info_start <= (1u << 20));
		} else {
			refused++;
			CHECK(strncmp(bi.error, "mb2: ", 5) == 0 ||
			      strncmp(bi.error, "bootinfo: ", 10) == 0);
		}
	}
	CHECK(ok > 1000);
	CHECK(refused > 1000);
}
