/* The PVH loader: segments, hvm_start_info and its lists, modules, the entry state. */
#include <string.h>

#include "tests/unit/harness.h"
#include "tests/unit/linuxload/util.h"
#include "vmx/load/linux_boot.h"

#define SI      0x10000u
#define MODLIST 0x10100u
#define MEMMAP  0x10c00u
#define ENTRY   0x1000850u
#define EM_386  3u
#define EM_X64  62u

/* Two PT_LOAD segments (the first with BSS) and a PT_NOTE with the PVH entry. */
static void build_pvh(struct image *im, bool is64, uint64_t entry, uint32_t descsz, struct notes *n)
{
	notes_pvh(n, entry, descsz);
	const struct elf_seg segs[] = {
	    {PT_LOAD_TYPE, 0x1000000, 0x3000, 0x5000, 0x200000, 0},
	    {PT_LOAD_TYPE, 0x1200000, 0x800, 0x800, 0x200000, 0},
	    {PT_NOTE_TYPE, 0x1001000, n->len, n->len, 4, n->b},
	};
	elf_build(im, is64, is64 ? EM_X64 : EM_386, 0x1000000, segs, 3);
}

static void check_segments_loaded(const struct ram *r, const struct image *im)
{
	CHECK(ram_equals(r, 0x1000000, im->b + im->seg_off[0], 0x3000));
	CHECK(ram_all(r, 0x1003000, 0x2000, 0)); /* BSS */
	CHECK(ram_equals(r, 0x1200000, im->b + im->seg_off[1], 0x800));
}

TEST(pvh_loads_elf64_with_modules)
{
	struct ram r;
	struct image im;
	struct notes n;
	struct mbload_module mods[2] = {module_make(0x10007b, 3, 0),
	                                module_make(0x2000, 4, "mod1 arg")};
	build_pvh(&im, true, ENTRY, 8, &n);
	ram_init(&r, MIB(64));
	struct run run = run_loader(linux_pvh_load, &r, &im, "console=hvc0", mods, 2);
	REQUIRE(run.ok);
	CHECK_EQ(run.res.kind, LOAD_LINUX_PVH);
	CHECK(strcmp(run.res.name, "pvh ELF64") == 0);
	CHECK_EQ(run.res.kernel.start, 0x1000000);
	CHECK_EQ(run.res.kernel.end, 0x1200800);
	CHECK_EQ(run.res.modules.start, 0x3efd000); /* module 1, below module 0 */
	CHECK_EQ(run.res.modules.end, 0x3fff07b);   /* module 0, as high as it fits */
	CHECK_EQ(run.res.info.start, SI);
	CHECK_EQ(run.res.info.end, 0x12016); /* the two command lines */
	check_segments_loaded(&r, &im);
	CHECK(ram_equals(&r, 0x3eff000, mods[0].data, mods[0].size));
	CHECK(ram_equals(&r, 0x3efd000, mods[1].data, mods[1].size));
	const struct load_range keep[] = {
	    {SI, SI + 56},          {MODLIST, MODLIST + 64}, {MEMMAP, MEMMAP + 96},
	    {0x11000, 0x11020},     {0x12000, 0x12016},      {0x1000000, 0x1005000},
	    {0x1200000, 0x1200800}, {0x3efd000, 0x3eff000},  {0x3eff000, 0x3fff07b}};
	CHECK_EQ(ram_touched_outside(&r, keep, 9), UINT64_MAX);
	module_free(&mods[0]);
	module_free(&mods[1]);
	image_free(&im);
	ram_free(&r);
}

/* The module list and memory map of pvh_loads_elf64_with_modules' load. */
static void check_lists(const struct ram *r)
{
	char buf[64];
	CHECK_EQ(ram_u64(r, MODLIST + 0), 0x3eff000); /* the initrd first */
	CHECK_EQ(ram_u64(r, MODLIST + 8), 0x10007b);
	CHECK_EQ(ram_u64(r, MODLIST + 16), 0); /* no command line: address 0 */
	CHECK_EQ(ram_u64(r, MODLIST + 24), 0);
	CHECK_EQ(ram_u64(r, MODLIST + 32), 0x3efd000);
	CHECK_EQ(ram_u64(r, MODLIST + 40), 0x2000);
	CHECK_EQ(ram_u64(r, MODLIST + 48), 0x1200d);
	CHECK_EQ(ram_u64(r, MODLIST + 56), 0);
	CHECK(strcmp(ram_str(r, 0x1200d, buf, sizeof(buf)), "mod1 arg") == 0);
	static const uint64_t want[4][3] = {
	    {0, 0x9fc00, 1}, {0x9fc00, 0x400, 2}, {0xf0000, 0x10000, 2}, {0x100000, MIB(63), 1}};
	for (uint32_t i = 0; i < 4; i++) {
		CHECK_EQ(ram_u64(r, MEMMAP + 24 * i), want[i][0]);
		CHECK_EQ(ram_u64(r, MEMMAP + 24 * i + 8), want[i][1]);
		CHECK_EQ(ram_u32(r, MEMMAP + 24 * i + 16), want[i][2]);
		CHECK_EQ(ram_u32(r, MEMMAP + 24 * i + 20), 0);
	}
}

TEST(pvh_start_info_and_lists)
{
	struct ram r;
	struct image im;
	struct notes n;
	char buf[64];
	struct mbload_module mods[2] = {module_make(0x10007b, 3, 0),
	                                module_make(0x2000, 4, "mod1 arg")};
	build_pvh(&im, true, ENTRY, 8, &n);
	ram_init(&r, MIB(64));
	struct run run = run_loader(linux_pvh_load, &r, &im, "console=hvc0", mods, 2);
	REQUIRE(run.ok);
	CHECK_EQ(ram_u32(&r, SI + 0), 0x336ec578); /* magic */
	CHECK_EQ(ram_u32(&r, SI + 4), 1);          /* version */
	CHECK_EQ(ram_u32(&r, SI + 8), 0);          /* flags */
	CHECK_EQ(ram_u32(&r, SI + 12), 2);         /* nr_modules */
	CHECK_EQ(ram_u64(&r, SI + 16), MODLIST);   /* modlist_paddr */
	CHECK_EQ(ram_u64(&r, SI + 24), 0x12000);   /* cmdline_paddr */
	CHECK_EQ(ram_u64(&r, SI + 32), 0);         /* rsdp_paddr: no ACPI */
	CHECK_EQ(ram_u64(&r, SI + 40), MEMMAP);    /* memmap_paddr */
	CHECK_EQ(ram_u32(&r, SI + 48), 4);         /* memmap_entries */
	CHECK_EQ(ram_u32(&r, SI + 52), 0);         /* reserved */
	CHECK(strcmp(ram_str(&r, 0x12000, buf, sizeof(buf)), "console=hvc0") == 0);
	check_lists(&r);
	module_free(&mods[0]);
	module_free(&mods[1]);
	image_free(&im);
	ram_free(&r);
}

TEST(pvh_entry_state)
{
	struct ram r;
	struct image im;
	struct notes n;
	build_pvh(&im, true, ENTRY, 8, &n);
	ram_init(&r, MIB(64));
	struct run run = run_loader(linux_pvh_load, &r, &im, 0, 0, 0);
	REQUIRE(run.ok);
	check_linux_entry_state(&run.res, &r, ENTRY);
	CHECK_EQ(run.res.state.gpr[BOOT_RBX], SI);
	for (uint32_t i = 0; i < BOOT_GPRS; i++)
		if (i != BOOT_RBX)
			CHECK_EQ(run.res.state.gpr[i], 0);
	CHECK_EQ(ram_u32(&r, SI + 12), 0); /* nr_modules */
	CHECK_EQ(ram_u64(&r, SI + 16), 0); /* modlist_paddr: not present */
	CHECK_EQ(ram_u8(&r, 0x12000), 0);  /* an empty command line */
	CHECK_EQ(run.res.modules.start, run.res.modules.end);
	image_free(&im);
	ram_free(&r);
}

TEST(pvh_loads_elf32_with_4_byte_note)
{
	struct ram r;
	struct image im;
	struct notes n;
	build_pvh(&im, false, 0x1000010, 4, &n);
	ram_init(&r, MIB(64));
	CHECK(linux_pvh_has_note(im.b, im.size));
	struct run run = run_loader(linux_pvh_load, &r, &im, "x", 0, 0);
	REQUIRE(run.ok);
	CHECK(strcmp(run.res.name, "pvh ELF32") == 0);
	CHECK_EQ(run.res.entry, 0x1000010);
	check_segments_loaded(&r, &im);
	image_free(&im);
	ram_free(&r);
}

TEST(pvh_has_note_detection)
{
	struct image im;
	struct notes n;
	static const uint8_t junk[64] = {1, 2, 3};
	build_pvh(&im, true, ENTRY, 8, &n);
	CHECK(linux_pvh_has_note(im.b, im.size));
	CHECK(!linux_pvh_has_note(im.b, 40)); /* truncated */
	image_free(&im);
	n.len = 0;
	notes_add(&n, "Xen", 6, "linux", 6);
	notes_add(&n, "Xenx", 18, "\x50\x08\x00\x01", 4); /* the right type, another owner */
	notes_add(&n, "GNU", 18, "\x50\x08\x00\x01", 4);
	notes_add_raw(&n, "XenZ", 4, 18, "\x50\x08\x00\x01", 4); /* no NUL in the name */
	const struct elf_seg segs[] = {{PT_LOAD_TYPE, 0x1000000, 0x100, 0x100, 4, 0},
	                               {PT_NOTE_TYPE, 0, n.len, n.len, 4, n.b}};
	elf_build(&im, true, EM_X64, 0x1000000, segs, 2);
	CHECK(!linux_pvh_has_note(im.b, im.size));
	CHECK(!linux_pvh_has_note(junk, sizeof(junk)));
	CHECK(!linux_pvh_has_note(0, 100));
	image_free(&im);
}

TEST(pvh_modules_page_aligned_outside_kernel)
{
	struct ram r;
	struct image im;
	struct notes n;
	struct mbload_module mods[2] = {module_make(MIB(13), 1, 0), module_make(MIB(3), 2, 0)};
	build_pvh(&im, true, ENTRY, 8, &n);
	ram_init(&r, MIB(32)); /* above the kernel: [0x1200800, 32 MiB), 14 MiB - 2 KiB */
	struct run run = run_loader(linux_pvh_load, &r, &im, 0, mods, 2);
	REQUIRE(run.ok);
	CHECK_EQ(ram_u64(&r, MODLIST), 0x1300000);     /* at the top */
	CHECK_EQ(ram_u64(&r, MODLIST + 32), 0xd00000); /* past module 0 and the kernel */
	CHECK_EQ(run.res.modules.start, 0xd00000);
	CHECK_EQ(run.res.modules.end, 0x2000000);
	image_free(&im);
	ram_free(&r);
	module_free(&mods[0]);
	module_free(&mods[1]);
}
