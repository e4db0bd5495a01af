/*
 * ELF checks of the EFI loader (boot/efi/elf_image.c): synthetic ELF-64 and
 * ELF-32 files, every truncation of them refused, bad headers, and the
 * kernel's placement rules.
 */
#define HARNESS_MAIN
#include "boot/efi/elf_image.h"
#include "tests/unit/harness.h"

static _Alignas(8) uint8_t file[0x3000];
static char err[160];

static void put16(uint64_t off, uint16_t v)
{
	memcpy(file + off, &v, 2);
}
static void put32(uint64_t off, uint32_t v)
{
	memcpy(file + off, &v, 4);
}
static void put64(uint64_t off, uint64_t v)
{
	memcpy(file + off, &v, 8);
}

struct seg {
	uint32_t type, flags;
	uint64_t offset, filesz, paddr, memsz;
};

/* An ELF-64 x86-64 executable with the given program headers at 64; returns its size. */
static uint64_t make64(const struct seg *s, uint32_t n, uint64_t entry, uint64_t size)
{
	memset(file, 0, sizeof(file));
	memcpy(file,
	       "\x7f"
	       "ELF\x02\x01\x01",
	       7);
	put16(16, 2);  /* ET_EXEC */
	put16(18, 62); /* EM_X86_64 */
	put32(20, 1);
	put64(24, entry);
	put64(32, 64); /* e_phoff */
	put16(52, 64);
	put16(54, 56);
	put16(56, (uint16_t)n);
	for (uint32_t i = 0; i < n; i++) {
		uint64_t p = 64 + 56ULL * i;
		put32(p + 0, s[i].type);
		put32(p + 4, s[i].flags);
		put64(p + 8, s[i].offset);
		put64(p + 16, s[i].paddr);
		put64(p + 24, s[i].paddr);
		put64(p + 32, s[i].filesz);
		put64(p + 40, s[i].memsz);
	}
	return size;
}

/* An ELF-32 i386 executable like the test guests. */
static uint64_t make32(const struct seg *s, uint32_t n, uint64_t size)
{
	memset(file, 0, sizeof(file));
	memcpy(file,
	       "\x7f"
	       "ELF\x01\x01\x01",
	       7);
	put16(16, 2);
	put16(18, 3); /* EM_386 */
	put32(24, 0x100000);
	put32(28, 52); /* e_phoff */
	put16(40, 52);
	put16(42, 32);
	put16(44, (uint16_t)n);
	for (uint32_t i = 0; i < n; i++) {
		uint64_t p = 52 + 32ULL * i;
		put32(p + 0, s[i].type);
		put32(p + 4, (uint32_t)s[i].offset);
		put32(p + 8, (uint32_t)s[i].paddr);
		put32(p + 12, (uint32_t)s[i].paddr);
		put32(p + 16, (uint32_t)s[i].filesz);
		put32(p + 20, (uint32_t)s[i].memsz);
		put32(p + 24, s[i].flags);
	}
	return size;
}

/* A kernel like build/hv.elf: code, read-only data, data + BSS, plus a note. */
static const struct seg kernel[] = {
    {1, 5, 0x1000, 0x800, 0x200000, 0x800},
    {4, 4, 0x100, 0x20, 0, 0x20}, /* PT_NOTE: ignored */
    {1, 4, 0x2000, 0x400, 0x201000, 0x400},
    {1, 6, 0x2400, 0x0c00, 0x202000, 0x5000},
};

TEST(elf64_kernel_segments_read)
{
	struct elf_image img;
	uint64_t size = make64(kernel, 4, 0x200040, 0x3000);

	REQUIRE(elf_image_parse(&img, file, size, err, sizeof(err)) == 0);
	CHECK_EQ(img.elf_class, 64);
	CHECK_EQ(img.machine, 62);
	CHECK_EQ(img.entry, 0x200040);
	REQUIRE(img.segment_count == 3);
	CHECK_EQ(img.segments[0].paddr, 0x200000);
	CHECK_EQ(img.segments[0].flags, 5);
	CHECK_EQ(img.segments[1].offset, 0x2000);
	CHECK_EQ(img.segments[2].filesz, 0x0c00);
	CHECK_EQ(img.segments[2].memsz, 0x5000);
	CHECK(elf_kernel_check(&img, 0x200040, 0x100000000ULL, err, sizeof(err)) == 0);
}

TEST(elf64_every_truncation_refused)
{
	struct elf_image img;
	uint64_t size = make64(kernel, 4, 0x200040, 0x3000);

	for (uint64_t cut = 0; cut < size; cut++)
		if (elf_image_parse(&img, file, cut, err, sizeof(err)) == 0) {
			printf("  accepted a file cut to %llu of %llu bytes\n",
			       (unsigned long long)cut, (unsigned long long)size);
			CHECK(0);
			return;
		}
	CHECK(strstr(err, "truncated") != NULL);
}

TEST(elf32_guest_read_and_truncation_named)
{
	struct elf_image img;
	const struct seg guest[] = {{1, 5, 0x1000, 0x1800, 0x100000, 0x3000}};
	uint64_t size = make32(guest, 1, 0x2800);

	REQUIRE(elf_image_parse(&img, file, size, err, sizeof(err)) == 0);
	CHECK_EQ(img.elf_class, 32);
	CHECK_EQ(img.entry, 0x100000);
	REQUIRE(img.segment_count == 1);
	CHECK_EQ(img.segments[0].offset, 0x1000);
	CHECK_EQ(img.segments[0].filesz, 0x1800);
	CHECK_EQ(img.segments[0].memsz, 0x3000);
	CHECK(elf_image_parse(&img, file, 2000, err, sizeof(err)) < 0);
	CHECK(strcmp(err, "segment 0 (file bytes 0x1000+0x1800) lies beyond the file's 2000 "
	                  "bytes (truncated?)") == 0);
	CHECK(elf_image_parse(&img, file, 40, err, sizeof(err)) < 0);
	CHECK(strstr(err, "ELF header cut off at 40 bytes") != NULL);
	/* An ELF-32 guest is no kernel. */
	REQUIRE(elf_image_parse(&img, file, size, err, sizeof(err)) == 0);
	CHECK(elf_kernel_check(&img, 0x100000, 0x100000000ULL, err, sizeof(err)) < 0);
	CHECK(strstr(err, "not an x86-64 ELF-64 executable") != NULL);
}

TEST(bad_headers_refused)
{
	struct elf_image img;
	uint64_t size = make64(kernel, 4, 0x200040, 0x3000);

	file[0] = 'M';
	CHECK(elf_image_parse(&img, file, size, err, sizeof(err)) < 0);
	CHECK(strstr(err, "not an ELF file") != NULL);
	make64(kernel, 4, 0x200040, 0x3000);
	file[4] = 3;
	CHECK(elf_image_parse(&img, file, size, err, sizeof(err)) < 0);
	CHECK(strstr(err, "unknown ELF class 3") != NULL);
	make64(kernel, 4, 0x200040, 0x3000);
	file[5] = 2;
	CHECK(elf_image_parse(&img, file, size, err, sizeof(err)) < 0);
	CHECK(strstr(err, "not little-endian") != NULL);
	make64(kernel, 4, 0x200040, 0x3000);
	put16(54, 40);
	CHECK(elf_image_parse(&img, file, size, err, sizeof(err)) < 0);
	CHECK(strstr(err, "program header size 40 below 56") != NULL);
	make64(kernel, 4, 0x200040, 0x3000);
	put64(32, UINT64_MAX - 8); /* e_phoff that wraps */
	CHECK(elf_image_parse(&img, file, size, err, sizeof(err)) < 0);
	CHECK(strstr(err, "program headers") != NULL);
}

TEST(bad_segments_refused)
{
	struct elf_image img;
	struct seg s[ELF_MAX_SEGMENTS + 1];

	const struct seg big_file[] = {{1, 5, 0x1000, 0x2000, 0x200000, 0x1000}};
	make64(big_file, 1, 0x200000, 0x3000);
	CHECK(elf_image_parse(&img, file, 0x3000, err, sizeof(err)) < 0);
	CHECK(strstr(err, "file size 0x2000 above memory size 0x1000") != NULL);

	const struct seg wraps[] = {{1, 5, 0x1000, 0x10, UINT64_MAX - 0x100, 0x1000}};
	make64(wraps, 1, 0x200000, 0x3000);
	CHECK(elf_image_parse(&img, file, 0x3000, err, sizeof(err)) < 0);
	CHECK(strstr(err, "wraps") != NULL);

	const struct seg huge_offset[] = {{1, 5, UINT64_MAX - 4, 0x10, 0x200000, 0x10}};
	make64(huge_offset, 1, 0x200000, 0x3000);
	CHECK(elf_image_parse(&img, file, 0x3000, err, sizeof(err)) < 0);
	CHECK(strstr(err, "beyond the file") != NULL);

	const struct seg note_only[] = {{4, 4, 0x100, 0x20, 0, 0x20}};
	make64(note_only, 1, 0x200000, 0x3000);
	CHECK(elf_image_parse(&img, file, 0x3000, err, sizeof(err)) < 0);
	CHECK(strcmp(err, "no PT_LOAD segment") == 0);

	for (uint32_t i = 0; i <= ELF_MAX_SEGMENTS; i++)
		s[i] = (struct seg){1, 4, 0x1000, 0x10, 0x200000 + 0x1000ULL * i, 0x10};
	make64(s, ELF_MAX_SEGMENTS + 1, 0x200000, 0x3000);
	CHECK(elf_image_parse(&img, file, 0x3000, err, sizeof(err)) < 0);
	CHECK(strstr(err, "more than 16 PT_LOAD segments") != NULL);
}

TEST(kernel_placement_rules)
{
	struct elf_image img;

	/* Data starting in the page the code ends in cannot be allocated by itself. */
	const struct seg shared[] = {{1, 5, 0x1000, 0x800, 0x200000, 0x800},
	                             {1, 6, 0x1800, 0x100, 0x200800, 0x100}};
	make64(shared, 2, 0x200000, 0x3000);
	REQUIRE(elf_image_parse(&img, file, 0x3000, err, sizeof(err)) == 0);
	CHECK(elf_kernel_check(&img, 0x200000, 0x100000000ULL, err, sizeof(err)) < 0);
	CHECK(strstr(err, "kernel segment 1 at 0x200800 shares a page") != NULL);

	/* Descending addresses are refused the same way. */
	const struct seg descending[] = {{1, 5, 0x1000, 0x800, 0x300000, 0x800},
	                                 {1, 6, 0x1800, 0x100, 0x200000, 0x100}};
	make64(descending, 2, 0x300000, 0x3000);
	REQUIRE(elf_image_parse(&img, file, 0x3000, err, sizeof(err)) == 0);
	CHECK(elf_kernel_check(&img, 0x300000, 0x100000000ULL, err, sizeof(err)) < 0);

	make64(kernel, 4, 0x200040, 0x3000);
	REQUIRE(elf_image_parse(&img, file, 0x3000, err, sizeof(err)) == 0);
	/* The entry must be loaded code: not data, not BSS, not past the code. */
	CHECK(elf_kernel_check(&img, 0x202000, 0x100000000ULL, err, sizeof(err)) < 0);
	CHECK(strstr(err, "hv_efi_entry 0x202000 is not in an executable segment") != NULL);
	CHECK(elf_kernel_check(&img, 0x200800, 0x100000000ULL, err, sizeof(err)) < 0);
	CHECK(elf_kernel_check(&img, 0x2007ff, 0x100000000ULL, err, sizeof(err)) == 0);
	/* Everything below the identity-mapped limit. */
	CHECK(elf_kernel_check(&img, 0x200040, 0x206000, err, sizeof(err)) < 0);
	CHECK(strstr(err, "kernel segment 2 at 0x202000+0x5000 above 0x206000") != NULL);
	CHECK(elf_kernel_check(&img, 0x200040, 0x207000, err, sizeof(err)) == 0);
}
