/* The bzImage loader: placement, the zero page, the entry state. */
#include <stdlib.h>
#include <string.h>

#include "tests/unit/harness.h"
#include "tests/unit/linuxload/util.h"
#include "vmx/load/linux_boot.h"
#include "vmx/load/linux_params.h"

#define ZP      0x10000u
#define CMDLINE "console=ttyS0 root=/dev/vda"

static struct run load_bz(struct ram *r, const struct bz_spec *s, const char *cmdline,
                          const struct mbload_module *mods, uint32_t n, struct image *im)
{
	bz_build(im, s);
	return run_loader(linux_bzimage_load, r, im, cmdline, mods, n);
}

TEST(bz_loads_kernel_and_initrd_high)
{
	struct ram r;
	struct image im;
	struct bz_spec s = bz_default();
	struct mbload_module initrd = module_make(MIB(3), 9, 0);
	ram_init(&r, MIB(64));
	struct run run = load_bz(&r, &s, CMDLINE, &initrd, 1, &im);
	REQUIRE(run.ok);
	CHECK_EQ(run.res.kind, LOAD_LINUX_BZIMAGE);
	CHECK(strcmp(run.res.name, "linux boot protocol 2.15") == 0);
	CHECK_EQ(run.res.entry, 0x1000000);
	CHECK_EQ(run.res.kernel.start, 0x1000000); /* pref_address */
	CHECK_EQ(run.res.kernel.end, 0x1400000);   /* + init_size */
	CHECK_EQ(run.res.modules.start, MIB(64) - MIB(3));
	CHECK_EQ(run.res.modules.end, MIB(64));
	CHECK_EQ(run.res.info.start, 0x10000);
	CHECK_EQ(run.res.info.end, 0x12000 + sizeof(CMDLINE));
	CHECK(ram_equals(&r, 0x1000000, im.b + bz_setup_bytes(&s), bz_kernel_bytes(&s)));
	CHECK(ram_equals(&r, MIB(61), initrd.data, initrd.size));
	const struct load_range keep[] = {{ZP, ZP + 0x1000},
	                                  {0x11000, 0x11020},
	                                  {0x12000, 0x12000 + sizeof(CMDLINE)},
	                                  {0x1000000, 0x1000000 + bz_kernel_bytes(&s)},
	                                  {MIB(61), MIB(64)}};
	CHECK_EQ(ram_touched_outside(&r, keep, 5), UINT64_MAX);
	module_free(&initrd);
	image_free(&im);
	ram_free(&r);
}

/* Offsets the loader writes in the setup header; every other header byte is the file's. */
static bool loader_field(uint32_t off)
{
	static const uint32_t fields[][2] = {
	    {BP_VID_MODE, 2},       {BP_TYPE_OF_LOADER, 1},   {BP_LOADFLAGS, 1},
	    {BP_CODE32_START, 4},   {BP_RAMDISK_IMAGE, 4},    {BP_RAMDISK_SIZE, 4},
	    {BP_EXT_LOADER_VER, 1}, {BP_EXT_LOADER_TYPE, 1},  {BP_CMD_LINE_PTR, 4},
	    {BP_SETUP_DATA, 8},     {BP_HARDWARE_SUBARCH, 4},
	};
	for (uint32_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (off >= fields[i][0] && off < fields[i][0] + fields[i][1])
			return true;
	return false;
}

static void check_header_copy(uint32_t hdr_end)
{
	struct ram r;
	struct image im;
	struct bz_spec s = bz_default();
	s.hdr_end = hdr_end;
	ram_init(&r, MIB(64));
	struct run run = load_bz(&r, &s, CMDLINE, 0, 0, &im);
	REQUIRE(run.ok);
	uint32_t differ = 0;
	for (uint32_t off = BP_SETUP_SECTS; off < hdr_end; off++)
		if (!loader_field(off) && ram_u8(&r, ZP + off) != im.b[off])
			differ++;
	CHECK_EQ(differ, 0);
	CHECK(ram_all(&r, ZP + hdr_end, 0x2d0 - hdr_end, 0)); /* the file goes on; no copy */
	CHECK(im.b[hdr_end] != 0);
	image_free(&im);
	ram_free(&r);
}

TEST(bz_setup_header_copied_byte_for_byte)
{
	check_header_copy(0x26c); /* protocol 2.15's header end */
}

TEST(bz_setup_header_copy_stops_at_its_end)
{
	check_header_copy(0x264); /* shortest accepted: up to init_size */
}

TEST(bz_zero_page_loader_fields)
{
	struct ram r;
	struct image im;
	struct bz_spec s = bz_default();
	struct mbload_module initrd = module_make(0x300000, 1, 0);
	char buf[64];
	ram_init(&r, MIB(64));
	struct run run = load_bz(&r, &s, CMDLINE, &initrd, 1, &im);
	REQUIRE(run.ok);
	CHECK_EQ(ram_u16(&r, ZP + 0x1fa), 0xffff);    /* vid_mode: normal */
	CHECK_EQ(ram_u8(&r, ZP + 0x210), 0xff);       /* type_of_loader: undefined */
	CHECK_EQ(ram_u8(&r, ZP + 0x211), 0x01);       /* loadflags: LOADED_HIGH only */
	CHECK_EQ(ram_u32(&r, ZP + 0x214), 0x1000000); /* code32_start */
	CHECK_EQ(ram_u32(&r, ZP + 0x218), 0x3d00000); /* ramdisk_image */
	CHECK_EQ(ram_u32(&r, ZP + 0x21c), 0x300000);  /* ramdisk_size */
	CHECK_EQ(ram_u16(&r, ZP + 0x226), 0);         /* ext_loader_ver, ext_loader_type */
	CHECK_EQ(ram_u32(&r, ZP + 0x228), 0x12000);   /* cmd_line_ptr */
	CHECK_EQ(ram_u32(&r, ZP + 0x23c), 0);         /* hardware_subarch: PC */
	CHECK_EQ(ram_u64(&r, ZP + 0x250), 0);         /* setup_data: none */
	CHECK_EQ(ram_u16(&r, ZP + 0x206), 0x020f);    /* version, as in the file */
	CHECK_EQ(ram_u32(&r, ZP + 0x0c0), 0);         /* ext_ramdisk_image */
	CHECK_EQ(ram_u32(&r, ZP + 0x0c4), 0);         /* ext_ramdisk_size */
	CHECK_EQ(ram_u32(&r, ZP + 0x0c8), 0);         /* ext_cmd_line_ptr */
	CHECK(strcmp(ram_str(&r, 0x12000, buf, sizeof(buf)), CMDLINE) == 0);
	CHECK(ram_all(&r, ZP, 0x1e8, 0));                 /* screen_info .. scratch: zero */
	CHECK(ram_all(&r, ZP + 0x1e9, 0x1f1 - 0x1e9, 0)); /* sentinel 0x1ef among them */
	module_free(&initrd);
	image_free(&im);
	ram_free(&r);
}

TEST(bz_zero_page_e820_table)
{
	struct ram r;
	struct image im;
	struct bz_spec s = bz_default();
	ram_init(&r, MIB(64));
	struct run run = load_bz(&r, &s, CMDLINE, 0, 0, &im);
	REQUIRE(run.ok);
	static const uint64_t want[4][3] = {
	    {0, 0x9fc00, 1}, {0x9fc00, 0x400, 2}, {0xf0000, 0x10000, 2}, {0x100000, MIB(63), 1}};
	CHECK_EQ(ram_u8(&r, ZP + 0x1e8), 4); /* e820_entries */
	for (uint32_t i = 0; i < 4; i++) {
		uint64_t e = ZP + 0x2d0 + 20 * i;
		CHECK_EQ(ram_u64(&r, e), want[i][0]);
		CHECK_EQ(ram_u64(&r, e + 8), want[i][1]);
		CHECK_EQ(ram_u32(&r, e + 16), want[i][2]);
	}
	CHECK(ram_all(&r, ZP + 0x2d0 + 80, 0x1000 - 0x2d0 - 80, 0)); /* rest of the page */
	image_free(&im);
	ram_free(&r);
}

TEST(bz_entry_state_32bit_protocol)
{
	struct ram r;
	struct image im;
	struct bz_spec s = bz_default();
	ram_init(&r, MIB(64));
	struct run run = load_bz(&r, &s, CMDLINE, 0, 0, &im);
	REQUIRE(run.ok);
	check_linux_entry_state(&run.res, &r, 0x1000000);
	CHECK_EQ(run.res.state.gpr[BOOT_RSI], ZP); /* the zero page */
	for (uint32_t i = 0; i < BOOT_GPRS; i++)
		if (i != BOOT_RSI)
			CHECK_EQ(run.res.state.gpr[i], 0);    /* EBP, EDI, EBX and the rest */
	CHECK_EQ(run.res.modules.start, run.res.modules.end); /* no initrd */
	CHECK_EQ(ram_u32(&r, ZP + 0x218), 0);
	CHECK_EQ(ram_u32(&r, ZP + 0x21c), 0);
	image_free(&im);
	ram_free(&r);
}

TEST(bz_initrd_below_initrd_addr_max)
{
	struct ram r;
	struct image im;
	struct bz_spec s = bz_default();
	struct mbload_module initrd = module_make(0x100005, 4, 0);
	s.initrd_addr_max = 0x37ffffff;
	ram_init(&r, (uint64_t)3 << 30);
	struct run run = load_bz(&r, &s, CMDLINE, &initrd, 1, &im);
	REQUIRE(run.ok);
	CHECK_EQ(run.res.modules.start, 0x37eff000); /* page aligned, ends below 0x38000000 */
	CHECK_EQ(run.res.modules.end, 0x37fff005);
	CHECK_EQ(ram_u32(&r, ZP + 0x218), 0x37eff000);
	CHECK_EQ(ram_u32(&r, ZP + 0x21c), 0x100005);
	CHECK(ram_equals(&r, 0x37eff000, initrd.data, initrd.size));
	module_free(&initrd);
	image_free(&im);
	ram_free(&r);
}

TEST(bz_initrd_capped_by_ram_in_a_3gib_guest)
{
	struct ram r;
	struct image im;
	struct bz_spec s = bz_default();
	struct mbload_module initrd = module_make(0x2000, 4, 0);
	ram_init(&r, (uint64_t)3 << 30);
	struct run run = load_bz(&r, &s, 0, &initrd, 1, &im);
	REQUIRE(run.ok);
	CHECK_EQ(run.res.modules.start, 0x80000000u - 0x2000); /* initrd_addr_max 0x7fffffff */
	image_free(&im);
	module_free(&initrd);
	ram_free(&r);
}

TEST(bz_initrd_capped_by_ram_below_initrd_addr_max)
{
	struct ram r;
	struct image im;
	struct bz_spec s = bz_default();
	struct mbload_module initrd = module_make(0x3000, 4, 0);
	s.initrd_addr_max = MIB(64) + 0x1fff; /* two pages past the end of RAM */
	ram_init(&r, MIB(64));
	struct run run = load_bz(&r, &s, 0, &initrd, 1, &im);
	REQUIRE(run.ok);
	CHECK_EQ(run.res.modules.start, MIB(64) - 0x3000);
	CHECK_EQ(run.res.modules.end, MIB(64));
	image_free(&im);
	module_free(&initrd);
	ram_free(&r);
}

TEST(bz_initrd_goes_below_the_kernel_when_above_is_full)
{
	struct ram r;
	struct image im;
	struct bz_spec s = bz_default();
	struct mbload_module initrd = module_make(MIB(5), 2, 0);
	ram_init(&r, MIB(24)); /* 4 MiB free above the kernel's [16 MiB, 20 MiB) */
	struct run run = load_bz(&r, &s, CMDLINE, &initrd, 1, &im);
	REQUIRE(run.ok);
	CHECK_EQ(run.res.modules.start, 0xb00000);
	CHECK_EQ(run.res.modules.end, 0x1000000);
	CHECK(ram_equals(&r, 0xb00000, initrd.data, initrd.size));
	module_free(&initrd);
	image_free(&im);
	ram_free(&r);
}

TEST(bz_initrd_never_overlaps_init_size_area)
{
	struct ram r;
	struct image im;
	struct bz_spec s = bz_default();
	struct mbload_module initrd = module_make(MIB(1), 2, 0);
	s.initrd_addr_max = 0x12fffff; /* the limit falls inside [16 MiB, 20 MiB) */
	ram_init(&r, MIB(64));
	struct run run = load_bz(&r, &s, CMDLINE, &initrd, 1, &im);
	REQUIRE(run.ok);
	CHECK_EQ(run.res.modules.start, 0xf00000);
	CHECK_EQ(run.res.modules.end, 0x1000000);
	module_free(&initrd);
	image_free(&im);
	ram_free(&r);
}

TEST(bz_relocatable_without_pref_address_loads_aligned_above_1mib)
{
	struct ram r;
	struct image im;
	struct bz_spec s = bz_default();
	s.pref_address = 0;
	ram_init(&r, MIB(64));
	struct run run = load_bz(&r, &s, CMDLINE, 0, 0, &im);
	REQUIRE(run.ok);
	CHECK_EQ(run.res.entry, 0x200000); /* 1 MiB rounded up to kernel_alignment */
	CHECK_EQ(run.res.kernel.start, 0x200000);
	CHECK_EQ(run.res.kernel.end, 0x600000);
	CHECK_EQ(ram_u32(&r, ZP + 0x214), 0x200000);
	image_free(&im);
	s.pref_address = 0x1234567;
	s.kernel_alignment = 0x1000;
	run = load_bz(&r, &s, CMDLINE, 0, 0, &im);
	REQUIRE(run.ok);
	CHECK_EQ(run.res.entry, 0x1235000); /* pref_address rounded up to the alignment */
	image_free(&im);
	ram_free(&r);
}

TEST(bz_non_relocatable_loads_at_1mib)
{
	struct ram r;
	struct image im;
	struct bz_spec s = bz_default();
	s.relocatable = 0;
	ram_init(&r, MIB(64));
	struct run run = load_bz(&r, &s, CMDLINE, 0, 0, &im);
	REQUIRE(run.ok);
	CHECK_EQ(run.res.entry, 0x100000);
	CHECK_EQ(run.res.kernel.start, 0x100000); /* as loaded */
	CHECK_EQ(run.res.kernel.end, 0x1400000);  /* where it runs: pref_address + init_size */
	CHECK(ram_equals(&r, 0x100000, im.b + bz_setup_bytes(&s), bz_kernel_bytes(&s)));
	check_linux_entry_state(&run.res, &r, 0x100000);
	image_free(&im);
	ram_free(&r);
}

TEST(bz_setup_sects_zero_means_four)
{
	struct ram r;
	struct image im;
	struct bz_spec s = bz_default();
	s.setup_sects = 0;
	ram_init(&r, MIB(64));
	struct run run = load_bz(&r, &s, CMDLINE, 0, 0, &im);
	REQUIRE(run.ok);
	CHECK_EQ(bz_setup_bytes(&s), 5 * 512);
	CHECK(ram_equals(&r, 0x1000000, im.b + 5 * 512, bz_kernel_bytes(&s)));
	image_free(&im);
	ram_free(&r);
}

TEST(bz_command_line_limits)
{
	struct ram r;
	struct image im;
	struct bz_spec s = bz_default();
	char *line = malloc(0xe001);
	char buf[0x900];
	REQUIRE(line);
	memset(line, 'x', 0xe000);
	line[2047] = 0;
	ram_init(&r, MIB(64));
	struct run run = load_bz(&r, &s, line, 0, 0, &im); /* 2047: exactly cmdline_size */
	CHECK(run.ok);
	CHECK_EQ(strlen(ram_str(&r, 0x12000, buf, sizeof(buf))), 2047);
	image_free(&im);
	ram_free(&r);
	line[2047] = 'x';
	line[2048] = 0;
	ram_init(&r, MIB(64));
	run = load_bz(&r, &s, line, 0, 0, &im);
	check_refused(&run, &r,
	              "command line of 2048 bytes is longer than the kernel's 2047 (cmdline_size)");
	image_free(&im);
	ram_free(&r);
	s.cmdline_size = 0x100000; /* the kernel would take more than the loader's area */
	line[2048] = 'x';
	line[0xe000] = 0;
	ram_init(&r, MIB(64));
	run = load_bz(&r, &s, line, 0, 0, &im);
	check_refused(&run, &r,
	              "command lines need 57345 bytes from 0x12000, the loader's area ends at "
	              "0x20000");
	free(line);
	image_free(&im);
	ram_free(&r);
}

TEST(bz_empty_command_line)
{
	struct ram r;
	struct image im;
	struct bz_spec s = bz_default();
	ram_init(&r, MIB(64));
	struct run run = load_bz(&r, &s, 0, 0, 0, &im);
	REQUIRE(run.ok);
	CHECK_EQ(ram_u32(&r, ZP + 0x228), 0x12000);
	CHECK_EQ(ram_u8(&r, 0x12000), 0);
	CHECK_EQ(run.res.info.end, 0x12001);
	image_free(&im);
	ram_free(&r);
}
