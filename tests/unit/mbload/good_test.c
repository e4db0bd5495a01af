/* Good images: where every byte lands, the BSS, the entry state, the information. */
#define HARNESS_MAIN
#include "tests/unit/harness.h"

#include "tests/unit/mbload/check.h"

#define MB1_FLAGS 0x3u /* page align, meminfo */

/* Two PT_LOAD segments with BSS and a PT_NOTE that must not be loaded. */
static const struct seg_spec two_segs[] = {
    {0, 0x100000, 0x100000, 0x2345, 0x3000},
    {0, 0x104000, 0x104000, 0x800, 0x1800},
    {PT_NOTE_T, 0x300000, 0x300000, 0x40, 0x40},
};

/* Everything outside the info area is the image, zeros or untouched. */
static void check_ram(const struct fake_mem *f, const struct img *im,
                      const struct mbload_result *res)
{
	struct expect e;
	expect_init(&e, f->backed);
	expect_elf_segments(&e, im);
	expect_compare(&e, f, res->info_start, res->info_end);
	expect_free(&e);
	CHECK_EQ(res->info_start, MBLOAD_INFO_GPA);
	CHECK(res->info_end > res->info_start && res->info_end <= MBLOAD_INFO_END);
}

static void check_mb1(const struct fake_mem *f, const struct mbload_result *res,
                      const char *cmdline)
{
	struct seen_info s;
	CHECK_EQ(res->eax, 0x2badb002u);
	CHECK_EQ(res->ebx, 0x8000);
	CHECK_EQ(res->version, 1);
	read_mb1_info(f, res->ebx, &s);
	CHECK(strcmp(s.cmdline, cmdline) == 0);
	CHECK(strcmp(s.loader_name, "hv-x86") == 0);
	CHECK_EQ(s.mod_count, 0);
	check_pc_layout(&s, f->mem.ram_bytes);
}

static void check_mb2(const struct fake_mem *f, const struct mbload_result *res,
                      const char *cmdline)
{
	struct seen_info s;
	CHECK_EQ(res->eax, 0x36d76289u);
	CHECK_EQ(res->ebx, 0x8000);
	CHECK_EQ(res->version, 2);
	read_mb2_info(f, res->ebx, &s);
	REQUIRE(s.cmdline && s.loader_name);
	CHECK(strcmp(s.cmdline, cmdline) == 0);
	CHECK(strcmp(s.loader_name, "hv-x86") == 0);
	CHECK_EQ(s.mod_count, 0);
	CHECK_EQ(res->info_end - res->info_start, s.total_size);
	check_pc_layout(&s, f->mem.ram_bytes);
}

static void load_elf_good(int is64, const struct hdrbuf *h, uint64_t entry, uint32_t want_entry,
                          int version)
{
	struct img im;
	struct fake_mem f;
	struct mbload_result res;
	char why[WHY_LEN];
	img_elf(&im, is64, two_segs, 3, entry, h);
	fake_mem_init(&f, RAM_16M, RAM_16M);
	bool ok = load_img(&f, &im, "console=ttyS0 full", 0, 0, &res, why);
	CHECK(ok);
	if (ok) {
		CHECK_EQ(res.format, is64 ? MBLOAD_ELF64 : MBLOAD_ELF32);
		CHECK_EQ(res.entry, want_entry);
		CHECK_EQ(res.header_offset, IMG_DATA_OFF);
		CHECK_EQ(res.image_start, 0x100000);
		CHECK_EQ(res.image_end, 0x105800);
		CHECK_EQ(res.modules_start, 0x106000);
		CHECK_EQ(res.modules_end, 0x106000);
		check_ram(&f, &im, &res);
		if (version == 1)
			check_mb1(&f, &res, "console=ttyS0 full");
		else
			check_mb2(&f, &res, "console=ttyS0 full");
	}
	fake_mem_free(&f);
	img_free(&im);
}

TEST(mb1_elf32)
{
	struct hdrbuf h;
	hdr_mb1(&h, MB1_FLAGS, 0);
	load_elf_good(0, &h, 0x100010, 0x100010, 1);
}

TEST(mb1_elf64)
{
	struct hdrbuf h;
	hdr_mb1(&h, MB1_FLAGS, 0);
	load_elf_good(1, &h, 0x104100, 0x104100, 1);
}

/* A higher-half ELF64: e_entry is virtual, GRUB's rule moves it to the physical address. */
TEST(mb1_elf64_virtual_entry)
{
	struct seg_spec segs[] = {{0, 0x100000, 0xffffffff80100000ull, 0x1000, 0x2000}};
	struct hdrbuf h;
	struct img im;
	struct fake_mem f;
	struct mbload_result res;
	char why[WHY_LEN];
	hdr_mb1(&h, MB1_FLAGS, 0);
	img_elf(&im, 1, segs, 1, 0xffffffff80100020ull, &h);
	fake_mem_init(&f, RAM_16M, RAM_16M);
	CHECK(load_img(&f, &im, 0, 0, 0, &res, why));
	CHECK_EQ(res.entry, 0x100020);
	check_ram(&f, &im, &res);
	check_mb1(&f, &res, "");
	fake_mem_free(&f);
	img_free(&im);
}

/* A flat a.out-kludge image whose loaded part starts at file offset file_start. */
static void aout_case(uint64_t file_size, uint64_t hdr_off, const uint32_t kludge[5],
                      uint64_t file_start, uint64_t load_bytes, uint64_t bss_end)
{
	struct hdrbuf h;
	struct img im;
	struct fake_mem f;
	struct mbload_result res;
	struct expect e;
	char why[WHY_LEN];
	hdr_mb1(&h, MB1_FLAGS | (1u << 16), kludge);
	img_flat(&im, file_size, hdr_off, &h);
	fake_mem_init(&f, RAM_16M, RAM_16M);
	bool ok = load_img(&f, &im, "aout", 0, 0, &res, why);
	CHECK(ok);
	if (ok) {
		CHECK_EQ(res.format, MBLOAD_AOUT_KLUDGE);
		CHECK_EQ(res.entry, kludge[4]);
		CHECK_EQ(res.image_start, kludge[1]);
		CHECK_EQ(res.image_end, bss_end);
		expect_init(&e, f.backed);
		expect_copy(&e, kludge[1], im.b + file_start, load_bytes);
		expect_zero(&e, kludge[1] + load_bytes, bss_end - kludge[1] - load_bytes);
		expect_compare(&e, &f, res.info_start, res.info_end);
		expect_free(&e);
		check_mb1(&f, &res, "aout");
	}
	fake_mem_free(&f);
	img_free(&im);
}

TEST(mb1_aout_kludge)
{
	/* header_addr, load_addr, load_end_addr, bss_end_addr, entry_addr */
	const uint32_t k[5] = {0x200040, 0x200000, 0x202800, 0x205000, 0x200100};
	aout_case(0x3000, 0x40, k, 0, 0x2800, 0x205000);
}

TEST(mb1_aout_kludge_file_offset)
{
	/* The header at file offset 0x1040 is at 0x200040: loading starts at offset 0x1000. */
	const uint32_t k[5] = {0x200040, 0x200000, 0x201800, 0x203000, 0x200040};
	aout_case(0x4000, 0x1040, k, 0x1000, 0x1800, 0x203000);
}

TEST(mb1_aout_kludge_zero_fields)
{
	/* load_end_addr 0: to the end of the file; bss_end_addr 0: no BSS. */
	const uint32_t k[5] = {0x300010, 0x300000, 0, 0, 0x300020};
	aout_case(0x2345, 0x10, k, 0, 0x2345, 0x302345);
}

static void mb2_std_tags(struct hdrbuf *h)
{
	const uint32_t request[] = {1, 3, 4, 6};
	const uint32_t fb[] = {1024, 768, 32};
	const uint32_t align = 0, flags = 0;
	const uint32_t reloc[] = {0x100000, 0x1000000, 0x1000, 1};
	const uint32_t efi_entry = 0x100000;
	hdr_mb2_begin(h);
	hdr_mb2_tag(h, 1, 0, request, 4);    /* information request, required */
	hdr_mb2_tag(h, 4, 0, &flags, 1);     /* console flags: ignored */
	hdr_mb2_tag(h, 5, 1, fb, 3);         /* framebuffer, optional: ignored */
	hdr_mb2_tag(h, 6, 0, &align, 0);     /* module alignment */
	hdr_mb2_tag(h, 10, 1, reloc, 4);     /* relocatable: ignored */
	hdr_mb2_tag(h, 8, 1, &efi_entry, 1); /* EFI i386 entry, optional: ignored */
	hdr_mb2_tag(h, 7, 1, 0, 0);          /* EFI boot services, optional: ignored */
	(void)align;
}

TEST(mb2_elf32)
{
	struct hdrbuf h;
	mb2_std_tags(&h);
	hdr_mb2_end(&h);
	load_elf_good(0, &h, 0x100010, 0x100010, 2);
}

TEST(mb2_elf64_entry_tag)
{
	/* The entry address tag wins over e_entry (here an address above 4 GiB). */
	struct hdrbuf h;
	const uint32_t entry = 0x104200;
	mb2_std_tags(&h);
	hdr_mb2_tag(&h, 3, 0, &entry, 1);
	hdr_mb2_end(&h);
	load_elf_good(1, &h, 0x500000000ull, 0x104200, 2);
}

TEST(mb2_elf64)
{
	struct hdrbuf h;
	hdr_mb2_begin(&h);
	hdr_mb2_end(&h);
	load_elf_good(1, &h, 0x100000, 0x100000, 2);
}

/* Both headers: the loader uses the multiboot2 one. */
TEST(mb2_preferred_over_mb1)
{
	struct seg_spec segs[] = {{0, 0x100000, 0x100000, 0x1000, 0x1000}};
	struct hdrbuf h1, h2;
	struct img im;
	struct fake_mem f;
	struct mbload_result res;
	char why[WHY_LEN];
	hdr_mb1(&h1, MB1_FLAGS, 0);
	hdr_mb2_begin(&h2);
	hdr_mb2_end(&h2);
	img_elf(&im, 0, segs, 1, 0x100000, &h1);
	memcpy(im.b + IMG_DATA_OFF + 0x100, h2.b, h2.len);
	fake_mem_init(&f, RAM_16M, RAM_16M);
	CHECK(load_img(&f, &im, "both", 0, 0, &res, why));
	CHECK_EQ(res.version, 2);
	CHECK_EQ(res.header_offset, IMG_DATA_OFF + 0x100);
	check_mb2(&f, &res, "both");
	CHECK(strcmp(mbload_version_name(&res), "multiboot2") == 0);
	CHECK(strcmp(mbload_format_name(&res), "ELF32") == 0);
	fake_mem_free(&f);
	img_free(&im);
}

/* Multiboot2 address + entry tags on a flat image (header_addr, load_addr, load_end,
 * bss_end), with load_addr given or -1 (from the start of the file). */
static void mb2_address_case(uint32_t load_addr)
{
	const uint32_t addr[] = {0x400048, load_addr, 0x401800, 0x404000};
	const uint32_t entry = 0x400200;
	struct hdrbuf h;
	struct img im;
	struct fake_mem f;
	struct mbload_result res;
	struct expect e;
	char why[WHY_LEN];
	hdr_mb2_begin(&h);
	hdr_mb2_tag(&h, 2, 0, addr, 4);
	hdr_mb2_tag(&h, 3, 0, &entry, 1);
	hdr_mb2_end(&h);
	img_flat(&im, 0x2000, 0x48, &h);
	fake_mem_init(&f, RAM_16M, RAM_16M);
	bool ok = load_img(&f, &im, "mb2 aout", 0, 0, &res, why);
	CHECK(ok);
	if (ok) {
		CHECK_EQ(res.format, MBLOAD_AOUT_KLUDGE);
		CHECK_EQ(res.entry, 0x400200);
		CHECK_EQ(res.image_start, 0x400000);
		CHECK_EQ(res.image_end, 0x404000);
		expect_init(&e, f.backed);
		expect_copy(&e, 0x400000, im.b, 0x1800);
		expect_zero(&e, 0x401800, 0x2800);
		expect_compare(&e, &f, res.info_start, res.info_end);
		expect_free(&e);
		check_mb2(&f, &res, "mb2 aout");
	}
	fake_mem_free(&f);
	img_free(&im);
}

TEST(mb2_address_tag)
{
	mb2_address_case(0x400000);
}

TEST(mb2_address_tag_load_from_start)
{
	mb2_address_case(0xffffffffu);
}

static const uint8_t mod_a[] = "answer=42\nname=hv\n";
static uint8_t mod_c[0x2001];

static void modules_case(int version)
{
	struct seg_spec segs[] = {{0, 0x100000, 0x100000, 0x1000, 0x2100}};
	struct mbload_module mods[3] = {
	    {mod_a, sizeof(mod_a) - 1, "answer.env"},
	    {mod_a, 0, 0}, /* empty module, no command line */
	    {mod_c, sizeof(mod_c), "big module with a long command line"},
	};
	/* page aligned after the kernel end 0x102100 */
	const uint32_t want_start[3] = {0x103000, 0x104000, 0x104000};
	struct hdrbuf h;
	struct img im;
	struct fake_mem f;
	struct mbload_result res;
	struct seen_info s;
	struct expect e;
	char why[WHY_LEN];
	for (uint32_t i = 0; i < sizeof(mod_c); i++)
		mod_c[i] = (uint8_t)(i * 3 + 5);
	if (version == 1) {
		hdr_mb1(&h, MB1_FLAGS, 0);
	} else {
		hdr_mb2_begin(&h);
		hdr_mb2_end(&h);
	}
	img_elf(&im, 0, segs, 1, 0x100000, &h);
	fake_mem_init(&f, RAM_16M, RAM_16M);
	REQUIRE(load_img(&f, &im, "expect-modules=3", mods, 3, &res, why));
	CHECK_EQ(res.modules_start, 0x103000);
	CHECK_EQ(res.modules_end, 0x104000 + sizeof(mod_c));
	if (version == 1)
		read_mb1_info(&f, res.ebx, &s);
	else
		read_mb2_info(&f, res.ebx, &s);
	CHECK_EQ(s.mod_count, 3);
	REQUIRE(s.cmdline);
	CHECK(strcmp(s.cmdline, "expect-modules=3") == 0);
	for (uint32_t i = 0; i < 3 && i < s.mod_count; i++) {
		CHECK_EQ(s.mods[i].start, want_start[i]);
		CHECK_EQ(s.mods[i].end, want_start[i] + mods[i].size);
		CHECK(strcmp(s.mods[i].cmdline, mods[i].cmdline ? mods[i].cmdline : "") == 0);
	}
	expect_init(&e, f.backed);
	expect_elf_segments(&e, &im);
	for (uint32_t i = 0; i < 3; i++)
		expect_copy(&e, want_start[i], mods[i].data, mods[i].size);
	expect_compare(&e, &f, res.info_start, res.info_end);
	expect_free(&e);
	fake_mem_free(&f);
	img_free(&im);
}

TEST(mb1_modules)
{
	modules_case(1);
}

TEST(mb2_modules)
{
	modules_case(2);
}

/* mem_upper and the memory map follow the RAM size; only low memory is written. */
static void ram_size_case(uint64_t ram, int version)
{
	struct seg_spec segs[] = {{0, 0x100000, 0x100000, 0x1000, 0x1000}};
	struct hdrbuf h;
	struct img im;
	struct fake_mem f;
	struct mbload_result res;
	struct seen_info s;
	char why[WHY_LEN];
	if (version == 1) {
		hdr_mb1(&h, MB1_FLAGS, 0);
	} else {
		hdr_mb2_begin(&h);
		hdr_mb2_end(&h);
	}
	img_elf(&im, 0, segs, 1, 0x100000, &h);
	fake_mem_init(&f, ram, RAM_16M);
	REQUIRE(load_img(&f, &im, "", 0, 0, &res, why));
	if (version == 1)
		read_mb1_info(&f, res.ebx, &s);
	else
		read_mb2_info(&f, res.ebx, &s);
	check_pc_layout(&s, ram);
	fake_mem_free(&f);
	img_free(&im);
}

TEST(ram_sizes)
{
	ram_size_case(2ull << 20, 1);
	ram_size_case(128ull << 20, 1);
	ram_size_case(128ull << 20, 2);
	ram_size_case((128ull << 20) + 0x1000, 2);
	ram_size_case(3ull << 30, 1);
	ram_size_case(3ull << 30, 2);
}

/* The info area keeps its bounds with long command lines. */
TEST(long_cmdlines_fit)
{
	static char cmd[0x10000];
	struct seg_spec segs[] = {{0, 0x100000, 0x100000, 0x1000, 0x1000}};
	struct mbload_module mods[4];
	struct hdrbuf h;
	struct img im;
	struct fake_mem f;
	struct mbload_result res;
	struct seen_info s;
	char why[WHY_LEN];
	memset(cmd, 'a', sizeof(cmd) - 1);
	for (int i = 0; i < 4; i++)
		mods[i] = (struct mbload_module){(const uint8_t *)cmd, 100, cmd};
	hdr_mb2_begin(&h);
	hdr_mb2_end(&h);
	img_elf(&im, 0, segs, 1, 0x100000, &h);
	fake_mem_init(&f, RAM_16M, RAM_16M);
	REQUIRE(load_img(&f, &im, cmd, mods, 4, &res, why));
	read_mb2_info(&f, res.ebx, &s);
	CHECK_EQ(s.mod_count, 4);
	REQUIRE(s.cmdline);
	CHECK_EQ(strlen(s.cmdline), sizeof(cmd) - 1);
	CHECK(res.info_end <= MBLOAD_INFO_END);
	CHECK(res.info_end > 5 * (sizeof(cmd) - 1));
	fake_mem_free(&f);
	img_free(&im);
}
