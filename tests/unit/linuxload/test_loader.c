/* The dispatcher's choice for each image kind, the memory map, the message formatter. */
#define HARNESS_MAIN
#include "tests/unit/harness.h"

#include "tests/unit/linuxload/util.h"
#include "vmx/load/e820.h"
#include "vmx/load/linux_boot.h"
#include "vmx/load/linux_text.h"

#define EM_386 3u
#define EM_X64 62u

/* An ELF whose first PT_LOAD at 1 MiB starts with a multiboot1 header; a PVH note if asked. */
static void build_mb_elf(struct image *im, bool is64, bool pvh, bool bad_checksum)
{
	static uint8_t bytes[0x1000];
	static struct notes n;
	mb1_header(bytes, bad_checksum);
	notes_pvh(&n, 0x100010, 8);
	const struct elf_seg segs[] = {{PT_LOAD_TYPE, 0x100000, sizeof(bytes), 0x2000, 4, bytes},
	                               {PT_NOTE_TYPE, 0, n.len, n.len, 4, n.b}};
	elf_build(im, is64, is64 ? EM_X64 : EM_386, 0x100010, segs, pvh ? 2 : 1);
}

static struct run dispatch(struct ram *r, const struct image *im)
{
	return run_loader(load_image, r, im, "quiet", 0, 0);
}

TEST(dispatch_bzimage_to_the_boot_protocol)
{
	struct ram r;
	struct image im;
	struct bz_spec s = bz_default();
	bz_build(&im, &s);
	ram_init(&r, MIB(64));
	struct run run = dispatch(&r, &im);
	REQUIRE(run.ok);
	CHECK_EQ(run.res.kind, LOAD_LINUX_BZIMAGE);
	CHECK(strcmp(run.res.name, "linux boot protocol 2.15") == 0);
	CHECK_EQ(run.res.state.gpr[BOOT_RSI], 0x10000);
	image_free(&im);
	ram_free(&r);
}

TEST(dispatch_hdrs_without_boot_flag_is_not_a_bzimage)
{
	struct ram r;
	struct image im;
	struct bz_spec s = bz_default();
	s.no_boot_flag = true;
	bz_build(&im, &s);
	ram_init(&r, MIB(64));
	struct run run = dispatch(&r, &im);
	check_refused_with(&run, "no multiboot header");
	image_free(&im);
	ram_free(&r);
}

TEST(dispatch_pvh_elf)
{
	struct ram r;
	struct image im;
	struct notes n;
	notes_pvh(&n, 0x1000850, 8);
	const struct elf_seg segs[] = {{PT_LOAD_TYPE, 0x1000000, 0x1000, 0x1000, 4, 0},
	                               {PT_NOTE_TYPE, 0, n.len, n.len, 4, n.b}};
	elf_build(&im, true, EM_X64, 0x1000000, segs, 2);
	ram_init(&r, MIB(64));
	struct run run = dispatch(&r, &im);
	REQUIRE(run.ok);
	CHECK_EQ(run.res.kind, LOAD_LINUX_PVH);
	CHECK(strcmp(run.res.name, "pvh ELF64") == 0);
	CHECK_EQ(run.res.entry, 0x1000850);
	CHECK_EQ(run.res.state.gpr[BOOT_RBX], 0x10000);
	image_free(&im);
	ram_free(&r);
}

static void check_multiboot1(const struct run *run, const char *name)
{
	const struct boot_state *s = &run->res.state;
	CHECK_EQ(run->res.kind, LOAD_MULTIBOOT);
	CHECK(strcmp(run->res.name, name) == 0);
	CHECK_EQ(run->res.entry, 0x100010);
	CHECK_EQ(s->rip, 0x100010);
	CHECK_EQ(s->cs.selector, 0x08);
	CHECK_EQ(s->cs.access, 0xc09b);
	CHECK_EQ(s->ds.selector, 0x10);
	CHECK_EQ(s->ss.selector, 0x10);
	CHECK_EQ(s->gpr[BOOT_RAX], 0x2badb002);
	CHECK_EQ(s->gpr[BOOT_RBX], 0x8000);
	CHECK_EQ(run->res.kernel.start, 0x100000);
	CHECK_EQ(run->res.kernel.end, 0x102000);
	CHECK_EQ(run->res.info.start, 0x8000);
}

TEST(dispatch_multiboot_elf32)
{
	struct ram r;
	struct image im;
	build_mb_elf(&im, false, false, false);
	ram_init(&r, MIB(64));
	struct run run = dispatch(&r, &im);
	REQUIRE(run.ok);
	check_multiboot1(&run, "multiboot1 ELF32");
	image_free(&im);
	ram_free(&r);
}

TEST(dispatch_multiboot2_elf32)
{
	struct ram r;
	struct image im;
	static uint8_t bytes[0x100];
	uint32_t magic = 0xe85250d6u, length = 24;
	put32(bytes, magic);
	put32(bytes + 4, 0); /* architecture: i386 */
	put32(bytes + 8, length);
	put32(bytes + 12, 0u - magic - length);
	put32(bytes + 16, 0); /* end tag: type 0, flags 0 */
	put32(bytes + 20, 8); /* its size */
	const struct elf_seg segs[] = {{PT_LOAD_TYPE, 0x100000, sizeof(bytes), 0x1000, 4, bytes}};
	elf_build(&im, false, EM_386, 0x100020, segs, 1);
	ram_init(&r, MIB(64));
	struct run run = dispatch(&r, &im);
	REQUIRE(run.ok);
	CHECK_EQ(run.res.kind, LOAD_MULTIBOOT);
	CHECK(strcmp(run.res.name, "multiboot2 ELF32") == 0);
	CHECK_EQ(run.res.state.gpr[BOOT_RAX], 0x36d76289);
	CHECK_EQ(run.res.state.rip, 0x100020);
	image_free(&im);
	ram_free(&r);
}

TEST(dispatch_prefers_multiboot_over_pvh)
{
	struct ram r;
	struct image im;
	build_mb_elf(&im, true, true, false);
	ram_init(&r, MIB(64));
	CHECK(linux_pvh_has_note(im.b, im.size));
	struct run run = dispatch(&r, &im);
	REQUIRE(run.ok);
	check_multiboot1(&run, "multiboot1 ELF64");
	image_free(&im);
	ram_free(&r);
}

TEST(dispatch_damaged_multiboot_header_goes_to_pvh_if_noted)
{
	struct ram r;
	struct image im;
	build_mb_elf(&im, true, true, true);
	ram_init(&r, MIB(64));
	struct run run = dispatch(&r, &im);
	REQUIRE(run.ok);
	CHECK_EQ(run.res.kind, LOAD_LINUX_PVH);
	image_free(&im);
	ram_free(&r);
}

TEST(dispatch_refusals)
{
	struct ram r;
	struct image im;
	build_mb_elf(&im, true, false, true); /* damaged header, no note: multiboot's reason */
	ram_init(&r, MIB(64));
	struct run run = dispatch(&r, &im);
	check_refused(&run, &r, "multiboot1 header at 0x1000: bad checksum");
	image_free(&im);
	const struct elf_seg plain[] = {{PT_LOAD_TYPE, 0x100000, 0x100, 0x100, 4, 0}};
	elf_build(&im, true, EM_X64, 0x100000, plain, 1);
	run = dispatch(&r, &im);
	check_refused(&run, &r,
	              "ELF image with neither a multiboot header nor a PVH entry note (Xen ELF "
	              "note 18)");
	image_free(&im);
	uint8_t junk[100] = {0};
	im = (struct image){junk, sizeof(junk), {0}};
	run = dispatch(&r, &im);
	check_refused_with(&run, "no multiboot header");
	run = run_loader(load_image, &r, 0, 0, 0, 0); /* no image at all */
	check_refused_with(&run, "no multiboot header");
	CHECK_EQ(r.writes, 0);
	ram_free(&r);
}

TEST(e820_guest_map_layout)
{
	struct e820_entry map[5];
	CHECK_EQ(e820_guest_map(MIB(64), map, 5), 4);
	CHECK_EQ(map[0].addr, 0);
	CHECK_EQ(map[0].size, 0x9fc00);
	CHECK_EQ(map[0].type, 1);
	CHECK_EQ(map[1].addr, 0x9fc00);
	CHECK_EQ(map[1].size, 0x400);
	CHECK_EQ(map[1].type, 2);
	CHECK_EQ(map[2].addr, 0xf0000);
	CHECK_EQ(map[2].size, 0x10000);
	CHECK_EQ(map[2].type, 2);
	CHECK_EQ(map[3].addr, 0x100000);
	CHECK_EQ(map[3].size, MIB(63));
	CHECK_EQ(map[3].type, 1);
	CHECK_EQ(e820_guest_map(MIB(64), map, 3), 0);
	CHECK_EQ(e820_guest_map(MIB(2), map, 4), 4);
	CHECK_EQ(e820_guest_map(MIB(2) - 1, map, 4), 0);
	CHECK_EQ(e820_guest_map((uint64_t)3 << 30, map, 4), 4);
	CHECK_EQ(e820_guest_map(((uint64_t)3 << 30) + 1, map, 4), 0);
}

/* The multiboot loader's v1 memory map (Multiboot 0.6.96 §3.3) says the same. */
TEST(e820_agrees_with_the_multiboot_map)
{
	struct ram r;
	struct image im;
	struct e820_entry map[4];
	build_mb_elf(&im, false, false, false);
	ram_init(&r, MIB(48));
	struct run run = dispatch(&r, &im);
	REQUIRE(run.ok);
	uint64_t mbi = run.res.state.gpr[BOOT_RBX];
	REQUIRE(ram_u32(&r, mbi) & (1u << 6)); /* mmap_* valid */
	uint32_t len = ram_u32(&r, mbi + 44), at = ram_u32(&r, mbi + 48);
	REQUIRE(e820_guest_map(MIB(48), map, 4) == 4);
	CHECK_EQ(len, 4 * 24);
	for (uint32_t i = 0; i < 4 && i * 24 < len; i++) {
		CHECK_EQ(ram_u64(&r, at + 24 * i + 4), map[i].addr);
		CHECK_EQ(ram_u64(&r, at + 24 * i + 12), map[i].size);
		CHECK_EQ(ram_u32(&r, at + 24 * i + 20), map[i].type);
	}
	image_free(&im);
	ram_free(&r);
}

TEST(text_format_conversions)
{
	char buf[80];
	CHECK_EQ(linux_format(buf, sizeof(buf), "%s=%u/0x%x %lu 0x%lx 100%%", "a", 42u, 0xbeefu,
	                      (uint64_t)18446744073709551615ull, (uint64_t)0x123456789abull),
	         51);
	CHECK(strcmp(buf, "a=42/0xbeef 18446744073709551615 0x123456789ab 100%") == 0);
	CHECK_EQ(linux_format(buf, 5, "%s", "abcdefgh"), 4); /* cut, NUL-terminated */
	CHECK(strcmp(buf, "abcd") == 0);
	buf[0] = 'z';
	CHECK_EQ(linux_format(buf, 0, "x"), 0); /* no room: untouched */
	CHECK_EQ(buf[0], 'z');
	CHECK_EQ(linux_format(0, 10, "x"), 0);
}
