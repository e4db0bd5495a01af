/* Bad images: each refused with its reason, nothing written outside guest RAM. */
#include "tests/unit/harness.h"

#include "tests/unit/mbload/check.h"

#define MB1_FLAGS 0x3u

static const struct seg_spec one_seg[] = {{0, 0x100000, 0x100000, 0x2000, 0x3000}};

static void mb1_elf(struct img *im, int is64, const struct seg_spec *segs, uint32_t n,
                    uint64_t entry)
{
	struct hdrbuf h;
	hdr_mb1(&h, MB1_FLAGS, 0);
	img_elf(im, is64, segs, n, entry, &h);
}

static void mb2_elf(struct img *im, const struct hdrbuf *h)
{
	img_elf(im, 0, one_seg, 1, 0x100000, h);
}

TEST(refuse_no_header)
{
	struct img im;
	img_elf(&im, 0, one_seg, 1, 0x100000, 0);
	expect_refused(&im, "no multiboot header");
	img_free(&im);
	/* A header just past the first 8 KiB is not found either. */
	struct hdrbuf h;
	struct img flat;
	hdr_mb1(&h, MB1_FLAGS | (1u << 16), (const uint32_t[]){0x102000, 0x100000, 0, 0, 0x102000});
	img_flat(&flat, 0x4000, 0x2000, &h);
	expect_refused(&flat, "no multiboot header");
	img_free(&flat);
	/* An empty file. */
	img_flat(&flat, 0, 0, 0);
	expect_refused(&flat, "no multiboot header");
	img_free(&flat);
}

TEST(refuse_bad_checksum_mb1)
{
	struct img im;
	mb1_elf(&im, 0, one_seg, 1, 0x100000);
	im.b[IMG_DATA_OFF + 8] ^= 1;
	expect_refused(&im, "multiboot1 header at 0x1000: bad checksum");
	img_free(&im);
}

TEST(refuse_bad_checksum_mb2)
{
	struct hdrbuf h;
	struct img im;
	hdr_mb2_begin(&h);
	hdr_mb2_end(&h);
	mb2_elf(&im, &h);
	im.b[IMG_DATA_OFF + 12] ^= 0x80;
	expect_refused(&im, "multiboot2 header at 0x1000: bad checksum");
	img_free(&im);
}

TEST(refuse_outside_ram)
{
	struct seg_spec above[] = {{0, 0xf00000, 0xf00000, 0x1000, 0x200000}};
	struct seg_spec wrap[] = {{0, 0xfffffffffffff000ull, 0, 0x100, 0x2000}};
	struct img im;
	mb1_elf(&im, 0, above, 1, 0xf00000);
	expect_refused(&im, "segment 0 at [0xf00000, +0x200000) outside guest RAM (0x1000000");
	img_free(&im);
	mb1_elf(&im, 1, wrap, 1, 0x100000);
	expect_refused(&im, "outside guest RAM");
	img_free(&im);
	/* Fits 16 MiB, not 2 MiB. */
	mb1_elf(&im, 0, (const struct seg_spec[]){{0, 0x100000, 0x100000, 0x100, 0x180000}}, 1,
	        0x100000);
	expect_refused_ram(&im, 2u << 20, "outside guest RAM");
	img_free(&im);
}

TEST(refuse_below_1mib)
{
	struct seg_spec low[] = {{0, 0x9000, 0x9000, 0x100, 0x100}};
	struct img im;
	mb1_elf(&im, 0, low, 1, 0x9000);
	expect_refused(&im, "segment 0 at [0x9000, +0x100) below 1 MiB");
	img_free(&im);
}

TEST(refuse_overlap)
{
	struct seg_spec segs[] = {
	    {0, 0x100000, 0x100000, 0x1000, 0x3000},
	    {0, 0x104000, 0x104000, 0x100, 0x100},
	    {0, 0x102800, 0x102800, 0x100, 0x100},
	};
	struct img im;
	mb1_elf(&im, 0, segs, 3, 0x100000);
	expect_refused(&im, "segments 0 and 2 overlap at 0x102800");
	img_free(&im);
}

TEST(refuse_truncated_segment)
{
	struct img im;
	mb1_elf(&im, 0, one_seg, 1, 0x100000);
	im.size = IMG_DATA_OFF + 0x100; /* the header survives, the segment does not */
	expect_refused(&im, "truncated: ELF segment 0 file bytes [0x1000, +0x2000) past the "
	                    "image end (0x1100)");
	im.size = IMG_DATA_OFF + 0x1fff;
	expect_refused(&im, "truncated: ELF segment 0");
	img_free(&im);
}

TEST(refuse_truncated_elf_header)
{
	/* Realistic: a cut inside the ELF header loses the multiboot header too. */
	struct img im;
	mb1_elf(&im, 0, one_seg, 1, 0x100000);
	im.size = 40;
	expect_refused(&im, "no multiboot header");
	img_free(&im);
	/* A multiboot header inside the ELF header fields (e_shoff .. e_phentsize), cut at 44:
	 * the ELF header's own check speaks. */
	struct hdrbuf h;
	hdr_mb1(&h, MB1_FLAGS, 0);
	mb1_elf(&im, 0, one_seg, 1, 0x100000);
	memcpy(im.b + 32, h.b, h.len);
	im.size = 44;
	expect_refused(&im, "truncated: ELF header needs 52 bytes, image has 44");
	img_free(&im);
	mb1_elf(&im, 1, one_seg, 1, 0x100000);
	memcpy(im.b + 40, h.b, h.len);
	im.size = 56;
	expect_refused(&im, "truncated: ELF header needs 64 bytes, image has 56");
	img_free(&im);
	/* Cut inside e_ident: not ELF at all. */
	mb1_elf(&im, 0, one_seg, 1, 0x100000);
	memcpy(im.b + 4, h.b, h.len);
	im.size = 16;
	expect_refused(&im, "not ELF");
	img_free(&im);
}

/* Program headers after the segment bytes (as some linkers do), then a cut inside them. */
TEST(refuse_truncated_program_headers)
{
	struct seg_spec segs[] = {
	    {0, 0x100000, 0x100000, 0x100, 0x100},
	    {0, 0x200000, 0x200000, 0x100, 0x100},
	};
	for (int is64 = 0; is64 < 2; is64++) {
		struct img im, big;
		uint32_t phsize = is64 ? 56 : 32;
		mb1_elf(&im, is64, segs, 2, 0x100000);
		big = im;
		big.b = calloc(1, im.size + 2 * phsize);
		REQUIRE(big.b);
		memcpy(big.b, im.b, im.size);
		memcpy(big.b + im.size, im.b + 64, 2 * phsize);
		if (is64)
			put64le(big.b + 32, im.size);
		else
			put32le(big.b + 28, (uint32_t)im.size);
		big.size = im.size + 2 * phsize;
		struct fake_mem f;
		struct mbload_result res;
		char why[WHY_LEN];
		fake_mem_init(&f, RAM_16M, RAM_16M);
		CHECK(load_img(&f, &big, "", 0, 0, &res, why)); /* whole: loads */
		fake_mem_free(&f);
		big.size = im.size + phsize + 10;
		expect_refused(&big, "truncated: ELF program headers");
		big.size = im.size + 3;
		expect_refused(&big, "truncated: ELF program headers");
		free(big.b);
		img_free(&im);
	}
}

TEST(refuse_elf_class_machine)
{
	struct img im;
	mb1_elf(&im, 0, one_seg, 1, 0x100000);
	im.b[18] = 62; /* ELF32 claiming x86-64 */
	expect_refused(&im, "ELF class 1 machine 62: want ELF32 i386");
	im.b[18] = 3;
	im.b[4] = 2; /* ELF64 claiming i386 */
	expect_refused(&im, "ELF class 2 machine 3");
	im.b[4] = 1;
	im.b[5] = 2; /* big-endian */
	expect_refused(&im, "ELF data encoding 2");
	im.b[5] = 1;
	im.b[16] = 1; /* ET_REL */
	expect_refused(&im, "ELF type 1 is not an executable");
	img_free(&im);
}

TEST(refuse_elf_fields)
{
	struct seg_spec big_file[] = {{0, 0x100000, 0x100000, 0x2000, 0x1000}};
	struct seg_spec note_only[] = {{PT_NOTE_T, 0x100000, 0x100000, 0x100, 0x100}};
	struct img im;
	mb1_elf(&im, 0, big_file, 1, 0x100000);
	expect_refused(&im, "ELF segment 0: p_filesz 0x2000 above p_memsz 0x1000");
	img_free(&im);
	mb1_elf(&im, 0, note_only, 1, 0x100000);
	expect_refused(&im, "ELF has no loadable segment");
	img_free(&im);
	mb1_elf(&im, 0, one_seg, 1, 0x100000);
	put16le(im.b + 42, 16);
	expect_refused(&im, "ELF e_phentsize 16, want at least 32");
	img_free(&im);
	/* Not ELF and no a.out fields. */
	struct hdrbuf h;
	hdr_mb1(&h, MB1_FLAGS, 0);
	img_flat(&im, 0x1000, 0x100, &h);
	expect_refused(&im, "multiboot1 header without a.out address fields and the image is "
	                    "not ELF");
	img_free(&im);
}

TEST(refuse_entry)
{
	struct img im;
	mb1_elf(&im, 1, one_seg, 1, 0x100000000ull);
	expect_refused(&im, "entry point 0x100000000 above 4 GiB");
	img_free(&im);
	mb1_elf(&im, 0, one_seg, 1, 0x200000);
	expect_refused(&im, "entry point 0x200000 is not inside the loaded image");
	img_free(&im);
}

TEST(refuse_mb1_flags)
{
	struct hdrbuf h;
	struct img im;
	hdr_mb1(&h, MB1_FLAGS | (1u << 3), 0);
	img_elf(&im, 0, one_seg, 1, 0x100000, &h);
	expect_refused(&im, "multiboot1 header flags 0xb: required bits 0x8 not supported");
	img_free(&im);
	/* Bits above 15 are optional: ignored. */
	hdr_mb1(&h, MB1_FLAGS | (1u << 20), 0);
	img_elf(&im, 0, one_seg, 1, 0x100000, &h);
	struct fake_mem f;
	struct mbload_result res;
	char why[WHY_LEN];
	fake_mem_init(&f, RAM_16M, RAM_16M);
	CHECK(load_img(&f, &im, "", 0, 0, &res, why));
	fake_mem_free(&f);
	img_free(&im);
}

static void aout_refused(uint64_t file_size, uint64_t hdr_off, const uint32_t k[5],
                         const char *want)
{
	struct hdrbuf h;
	struct img im;
	hdr_mb1(&h, MB1_FLAGS | (1u << 16), k);
	img_flat(&im, file_size, hdr_off, &h);
	expect_refused(&im, want);
	img_free(&im);
}

TEST(refuse_aout_inconsistent)
{
	aout_refused(0x3000, 0x40, (const uint32_t[]){0x200040, 0x200080, 0, 0, 0x200100},
	             "a.out kludge: load_addr 0x200080 above header_addr 0x200040");
	aout_refused(0x3000, 0x40, (const uint32_t[]){0x200040, 0x1fff00, 0, 0, 0x200100},
	             "a.out kludge: header_addr - load_addr = 0x140 but the header is at file "
	             "offset 0x40");
	aout_refused(0x3000, 0x40, (const uint32_t[]){0x200040, 0x200000, 0x200000, 0, 0x200000},
	             "a.out kludge: load_end_addr 0x200000 not above load_addr 0x200000");
	aout_refused(0x3000, 0x40, (const uint32_t[]){0x200040, 0x200000, 0x203001, 0, 0x200100},
	             "truncated: a.out kludge loads file bytes [0x0, +0x3001) past the image "
	             "end (0x3000)");
	aout_refused(0x3000, 0x40,
	             (const uint32_t[]){0x200040, 0x200000, 0x202000, 0x201000, 0x200100},
	             "a.out kludge: bss_end_addr 0x201000 below the end of the loaded bytes "
	             "0x202000");
	aout_refused(0x3000, 0x40, (const uint32_t[]){0x200040, 0x200000, 0, 0x204000, 0x204000},
	             "entry point 0x204000 is not inside the loaded image");
	aout_refused(0x3000, 0x40, (const uint32_t[]){0x40, 0x0, 0, 0, 0x100},
	             "segment 0 at [0x0, +0x3000) below 1 MiB");
	aout_refused(0x3000, 0x40, (const uint32_t[]){0xfff040, 0xfff000, 0, 0x1003000, 0xfff100},
	             "outside guest RAM");
	/* The kludge fields cut off by the end of the file. */
	struct hdrbuf h;
	struct img im;
	hdr_mb1(&h, MB1_FLAGS | (1u << 16), (const uint32_t[]){0x200040, 0x200000, 0, 0, 0x200040});
	img_flat(&im, 0x60, 0x40, &h);
	im.size = 0x40 + 20;
	expect_refused(&im, "truncated: multiboot1 header at 0x40 with the a.out kludge needs "
	                    "32 bytes");
	img_free(&im);
}

static void mb2_refused(void (*tags)(struct hdrbuf *), const char *want)
{
	struct hdrbuf h;
	struct img im;
	hdr_mb2_begin(&h);
	tags(&h);
	hdr_mb2_end(&h);
	mb2_elf(&im, &h);
	expect_refused(&im, want);
	img_free(&im);
}

static void tag_request_fb(struct hdrbuf *h)
{
	hdr_mb2_tag(h, 1, 0, (const uint32_t[]){1, 6, 8}, 3);
}

static void tag_request_fb_optional(struct hdrbuf *h)
{
	hdr_mb2_tag(h, 1, 1, (const uint32_t[]){1, 6, 8, 21}, 4);
	hdr_mb2_tag(h, 42, 1, 0, 0);
}

static void tag_efi_bs(struct hdrbuf *h)
{
	hdr_mb2_tag(h, 7, 0, 0, 0);
}

static void tag_efi64_entry(struct hdrbuf *h)
{
	hdr_mb2_tag(h, 9, 0, (const uint32_t[]){0x100000}, 1);
}

static void tag_unknown(struct hdrbuf *h)
{
	hdr_mb2_tag(h, 42, 0, 0, 0);
}

static void tag_address_no_entry(struct hdrbuf *h)
{
	hdr_mb2_tag(h, 2, 0, (const uint32_t[]){0x100000, 0x100000, 0, 0}, 4);
}

static void tag_short_entry(struct hdrbuf *h)
{
	hdr_mb2_tag(h, 3, 0, 0, 0);
}

TEST(refuse_mb2_tags)
{
	mb2_refused(tag_request_fb, "multiboot2 information request for tag type 8 is not "
	                            "supported (request not optional)");
	mb2_refused(tag_efi_bs, "multiboot2 header tag type 7 (EFI) is not supported");
	mb2_refused(tag_efi64_entry, "multiboot2 header tag type 9 (EFI) is not supported");
	mb2_refused(tag_unknown, "multiboot2 header tag type 42 is not supported");
	mb2_refused(tag_address_no_entry, "multiboot2 address tag without an entry address tag");
	mb2_refused(tag_short_entry, "multiboot2 header tag type 3 has size 8, needs 12");

	/* Optional requests and tags that cannot be met are ignored. */
	struct hdrbuf h;
	struct img im;
	struct fake_mem f;
	struct mbload_result res;
	char why[WHY_LEN];
	hdr_mb2_begin(&h);
	tag_request_fb_optional(&h);
	hdr_mb2_end(&h);
	mb2_elf(&im, &h);
	fake_mem_init(&f, RAM_16M, RAM_16M);
	CHECK(load_img(&f, &im, "", 0, 0, &res, why));
	CHECK_EQ(res.version, 2);
	fake_mem_free(&f);
	img_free(&im);
}

TEST(refuse_mb2_header_fields)
{
	struct hdrbuf h;
	struct img im;
	/* Architecture 4 (MIPS), checksum kept right. */
	hdr_mb2_begin(&h);
	hdr_mb2_end(&h);
	put32le(h.b + 4, 4);
	put32le(h.b + 12, -(0xe85250d6u + 4 + h.len));
	mb2_elf(&im, &h);
	expect_refused(&im, "multiboot2 header at 0x1000: architecture 4, want 0 (i386)");
	img_free(&im);
	/* A tag whose size runs past header_length. */
	hdr_mb2_begin(&h);
	hdr_mb2_tag(&h, 4, 0, (const uint32_t[]){0}, 1);
	hdr_mb2_end(&h);
	put32le(h.b + 16 + 4, 0x100);
	mb2_elf(&im, &h);
	expect_refused(&im, "multiboot2 header tag at 0x1010 (type 4) has size 256, outside the "
	                    "header");
	img_free(&im);
	/* No end tag: header_length stops before it. */
	hdr_mb2_begin(&h);
	hdr_mb2_tag(&h, 4, 0, (const uint32_t[]){0}, 1);
	hdr_mb2_end(&h);
	put32le(h.b + 8, 32);
	put32le(h.b + 12, -(0xe85250d6u + 32));
	mb2_elf(&im, &h);
	expect_refused(&im, "multiboot2 header at 0x1000 has no end tag");
	img_free(&im);
	/* header_length past the end of the file. */
	hdr_mb2_begin(&h);
	hdr_mb2_end(&h);
	img_flat(&im, 0x60, 0x40, &h);
	im.size = 0x50;
	expect_refused(&im, "truncated: multiboot2 header at 0x40 of 24 bytes ends past the image "
	                    "end (0x50)");
	img_free(&im);
}

TEST(refuse_ram_size)
{
	struct img im;
	mb1_elf(&im, 0, one_seg, 1, 0x100000);
	expect_refused_ram(&im, 1u << 20, "below the loader's minimum");
	expect_refused_ram(&im, (3ull << 30) + 0x1000,
	                   "guest RAM of 3072 MiB is above the 3072 "
	                   "MiB the loader describes");
	img_free(&im);
}

TEST(refuse_modules)
{
	struct img im;
	struct fake_mem f;
	struct mbload_result res;
	char why[WHY_LEN];
	static const uint8_t data[0x1000];
	struct mbload_module mods[MBLOAD_MAX_MODULES + 1];
	for (uint32_t i = 0; i <= MBLOAD_MAX_MODULES; i++)
		mods[i] = (struct mbload_module){data, sizeof(data), "m"};
	mb1_elf(&im, 0, one_seg, 1, 0x100000);
	fake_mem_init(&f, RAM_16M, RAM_16M);
	struct mbload_request req = {im.b, im.size, "", mods, MBLOAD_MAX_MODULES + 1};
	CHECK(!mbload(&f.mem, &req, &res, why, sizeof(why)));
	CHECK(strstr(why, "33 modules, the loader takes at most 32"));
	/* A module larger than what is left of RAM. */
	struct mbload_module huge = {data, 15ull << 20, "huge"};
	req = (struct mbload_request){im.b, im.size, "", &huge, 1};
	CHECK(!mbload(&f.mem, &req, &res, why, sizeof(why)));
	CHECK(strstr(why, "module 0 (0xf00000 bytes) does not fit in guest RAM after 0x103000"));
	CHECK_EQ(f.bad_writes, 0);
	fake_mem_free(&f);
	img_free(&im);
}

TEST(refuse_info_overflow)
{
	static char cmd[0xa0000];
	struct img im;
	memset(cmd, 'x', sizeof(cmd) - 1);
	mb1_elf(&im, 0, one_seg, 1, 0x100000);
	struct fake_mem f;
	struct mbload_result res;
	char why[WHY_LEN];
	fake_mem_init(&f, RAM_16M, RAM_16M);
	struct mbload_request req = {im.b, im.size, cmd, 0, 0};
	CHECK(!mbload(&f.mem, &req, &res, why, sizeof(why)));
	CHECK(strstr(why, "boot information does not fit in [0x8000, 0x9f000)"));
	CHECK_EQ(f.bad_writes, 0);
	/* Nothing at or above 0x9f000 was touched. */
	for (uint64_t a = 0x9f000; a < 0x100000; a++)
		if (f.bytes[a] != FAKE_FILL) {
			CHECK(!"write above the info area");
			break;
		}
	fake_mem_free(&f);
	img_free(&im);
}

TEST(reason_buffer_small)
{
	struct img im;
	char why[8];
	struct fake_mem f;
	struct mbload_result res;
	img_elf(&im, 0, one_seg, 1, 0x100000, 0);
	fake_mem_init(&f, RAM_16M, RAM_16M);
	struct mbload_request req = {im.b, im.size, "", 0, 0};
	memset(why, 'z', sizeof(why));
	CHECK(!mbload(&f.mem, &req, &res, why, sizeof(why)));
	CHECK(strcmp(why, "no mult") == 0);
	CHECK(!mbload(&f.mem, &req, &res, 0, 0));
	fake_mem_free(&f);
	img_free(&im);
}
