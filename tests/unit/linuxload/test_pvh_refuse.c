/* The PVH loader's refusals: each reason exactly, and no guest RAM written. */
#include <stdlib.h>
#include <string.h>

#include "tests/unit/harness.h"
#include "tests/unit/linuxload/util.h"
#include "vmx/load/linux_boot.h"

#define EM_386 3u
#define EM_X64 62u

/* One PT_LOAD at paddr and a PT_NOTE with the PVH entry (data at 0x1000 and 0x1000+filesz). */
static void build_one(struct image *im, uint64_t paddr, uint64_t filesz, uint64_t memsz,
                      uint64_t entry, uint32_t descsz, struct notes *n)
{
	notes_pvh(n, entry, descsz);
	const struct elf_seg segs[] = {{PT_LOAD_TYPE, paddr, filesz, memsz, 0x1000, 0},
	                               {PT_NOTE_TYPE, 0, n->len, n->len, 4, n->b}};
	elf_build(im, true, EM_X64, paddr, segs, 2);
}

static void refused_image(const struct image *im, uint64_t ram_bytes, const char *cmdline,
                          const struct mbload_module *mods, uint32_t nmods, const char *want)
{
	struct ram r;
	ram_init(&r, ram_bytes);
	struct run run = run_loader(linux_pvh_load, &r, im, cmdline, mods, nmods);
	check_refused(&run, &r, want);
	ram_free(&r);
}

static void refused_one(uint64_t paddr, uint64_t filesz, uint64_t memsz, uint64_t entry,
                        uint32_t descsz, const char *want)
{
	struct image im;
	struct notes n;
	build_one(&im, paddr, filesz, memsz, entry, descsz, &n);
	refused_image(&im, MIB(64), 0, 0, 0, want);
	image_free(&im);
}

TEST(pvh_refuses_elf_without_the_note)
{
	struct image im;
	struct notes n = {.len = 0};
	notes_add(&n, "GNU", 3, "0123456789abcdefghij", 20);
	notes_add(&n, "Xen", 6, "linux", 6);
	const struct elf_seg with_notes[] = {{PT_LOAD_TYPE, 0x1000000, 0x100, 0x100, 4, 0},
	                                     {PT_NOTE_TYPE, 0, n.len, n.len, 4, n.b}};
	elf_build(&im, true, EM_X64, 0x1000000, with_notes, 2);
	refused_image(&im, MIB(64), 0, 0, 0, "no PVH entry note (Xen ELF note 18)");
	image_free(&im);
	elf_build(&im, true, EM_X64, 0x1000000, with_notes, 1); /* no PT_NOTE at all */
	refused_image(&im, MIB(64), 0, 0, 0, "no PVH entry note (Xen ELF note 18)");
	image_free(&im);
}

TEST(pvh_refuses_segment_outside_ram)
{
	refused_one(0x3f00000, 0x100, 0x200000, 0x3f00010, 8,
	            "ELF segment 0 at [0x3f00000, +0x200000) outside guest RAM (67108864 bytes)");
	refused_one(0x1000000, 0x100, UINT64_MAX - 0x100, 0x1000010, 8,
	            "ELF segment 0 at [0x1000000, +0xfffffffffffffeff) outside guest RAM "
	            "(67108864 bytes)");
	refused_one(0x80000, 0x100, 0x100, 0x80010, 8,
	            "ELF segment 0 at 0x80000 is below 1 MiB (the loader's area and the PC hole "
	            "are there)");
}

TEST(pvh_refuses_truncated_elf)
{
	struct image im;
	struct notes n;
	build_one(&im, 0x1000000, 0x3000, 0x3000, 0x1000010, 8, &n);
	uint64_t whole = im.size;
	im.size = 3;
	refused_image(&im, MIB(64), 0, 0, 0, "not an ELF file (no \\x7fELF magic)");
	im.size = 40;
	refused_image(&im, MIB(64), 0, 0, 0, "truncated: ELF header needs 64 bytes, image has 40");
	im.size = 100;
	refused_image(&im, MIB(64), 0, 0, 0,
	              "truncated: ELF program headers [0x40, +2 x 56) pass the image end (0x64)");
	im.size = 0x4010; /* the notes are at 0x4000 */
	refused_image(
	    &im, MIB(64), 0, 0, 0,
	    "truncated: ELF note segment 1 [0x4000, +0x54) passes the image end (0x4010)");
	im.size = whole;
	image_free(&im);
	notes_pvh(&n, 0x1000010, 8); /* the notes first, so the segment is what is cut */
	const struct elf_seg segs[] = {{PT_NOTE_TYPE, 0, n.len, n.len, 4, n.b},
	                               {PT_LOAD_TYPE, 0x1000000, 0x3000, 0x3000, 0x1000, 0}};
	elf_build(&im, true, EM_X64, 0, segs, 2);
	im.size = 0x2000;
	refused_image(&im, MIB(64), 0, 0, 0,
	              "truncated: ELF segment 1's bytes [0x1060, +0x3000) pass the image end "
	              "(0x2000)");
	image_free(&im);
}

TEST(pvh_refuses_bad_entry)
{
	refused_one(0x1000000, 0x100, 0x1000, 0x1100000, 8,
	            "PVH entry 0x1100000 is not inside a loaded segment");
	refused_one(0x1000000, 0x100, 0x1000, 0x1000010, 2,
	            "PVH entry note holds 2 bytes, want 4 or 8");
	refused_one(0x1000000, 0x100, 0x1000, 0x100000000ull, 8,
	            "PVH entry 0x100000000 is above 4 GiB");
}

TEST(pvh_refuses_bad_segments)
{
	struct image im;
	struct notes n;
	refused_one(0x1000000, 0x3000, 0x2000, 0x1000010, 8,
	            "ELF segment 0: p_filesz 0x3000 above p_memsz 0x2000");
	notes_pvh(&n, 0x1000010, 8);
	const struct elf_seg overlap[] = {{PT_LOAD_TYPE, 0x1000000, 0x3000, 0x5000, 0x1000, 0},
	                                  {PT_LOAD_TYPE, 0x1004000, 0x100, 0x100, 0x1000, 0},
	                                  {PT_NOTE_TYPE, 0, n.len, n.len, 4, n.b}};
	elf_build(&im, true, EM_X64, 0, overlap, 3);
	refused_image(&im, MIB(64), 0, 0, 0, "ELF segments 0 and 1 overlap");
	image_free(&im);
	elf_build(&im, true, EM_X64, 0, overlap + 2, 1); /* only the note */
	refused_image(&im, MIB(64), 0, 0, 0, "ELF has no loadable segment");
	image_free(&im);
}

TEST(pvh_refuses_malformed_headers)
{
	struct image im;
	struct notes n;
	build_one(&im, 0x1000000, 0x100, 0x100, 0x1000010, 8, &n);
	im.b[18] = EM_386; /* ELF64 for i386 */
	refused_image(&im, MIB(64), 0, 0, 0,
	              "ELF class 2 machine 3: want ELF32 i386 (1, 3) or ELF64 x86-64 (2, 62)");
	im.b[18] = EM_X64;
	im.b[5] = 2;
	refused_image(&im, MIB(64), 0, 0, 0, "ELF data encoding 2: want little-endian (1)");
	im.b[5] = 1;
	im.b[16] = 1; /* ET_REL */
	refused_image(&im, MIB(64), 0, 0, 0, "ELF type 1 is not an executable");
	im.b[16] = 2;
	im.b[54] = 40; /* e_phentsize */
	refused_image(&im, MIB(64), 0, 0, 0, "ELF e_phentsize 40, want at least 56");
	image_free(&im);
}

TEST(pvh_refuses_note_overrunning_its_segment)
{
	struct image im;
	uint8_t note[20] = {0};
	put32(note, 0x100); /* namesz far past the segment */
	put32(note + 4, 4);
	put32(note + 8, 18);
	const struct elf_seg segs[] = {{PT_LOAD_TYPE, 0x1000000, 0x100, 0x100, 4, 0},
	                               {PT_NOTE_TYPE, 0, sizeof(note), sizeof(note), 4, note}};
	elf_build(&im, true, EM_X64, 0x1000000, segs, 2);
	refused_image(&im, MIB(64), 0, 0, 0,
	              "ELF note at file offset 0x1100 overruns its PT_NOTE segment");
	image_free(&im);
}

TEST(pvh_refuses_modules_and_strings_that_do_not_fit)
{
	struct image im;
	struct notes n;
	struct mbload_module mods[33];
	build_one(&im, 0x1000000, 0x3000, 0x200800, 0x1000010, 8, &n);
	for (uint32_t i = 0; i < 33; i++)
		mods[i] = (struct mbload_module){(const uint8_t *)"m", 1, 0};
	refused_image(&im, MIB(64), 0, mods, 33, "33 modules, the PVH loader takes at most 32");
	struct mbload_module big = module_make(MIB(20), 1, 0);
	refused_image(&im, MIB(32), 0, &big, 1,
	              "module 0 of 20971520 bytes does not fit below 0x2000000 outside the "
	              "kernel's [0x1000000, 0x1200800)");
	module_free(&big);
	char *line = malloc(0xe001);
	REQUIRE(line);
	memset(line, 'y', 0xe000);
	line[0xe000] = 0;
	refused_image(&im, MIB(64), line, 0, 0,
	              "command lines need 57345 bytes from 0x12000, the loader's area ends at "
	              "0x20000");
	free(line);
	refused_image(&im, MIB(1), 0, 0, 0,
	              "guest RAM of 1024 KiB is outside [2048 KiB, 3145728 KiB], what the memory "
	              "map describes");
	image_free(&im);
}
