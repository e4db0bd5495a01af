/*
 * Random corruption of good images: byte changes (mostly in the headers) and truncations.
 * The loader must never write outside guest RAM (the fake RAM counts such writes), never
 * crash under ASan/UBSan, and either load the image with a well-formed result or refuse it
 * with a reason.
 */
#include "tests/unit/harness.h"

#include "tests/unit/mbload/check.h"

#define FUZZ_ROUNDS 100000
#define FUZZ_RAM    (4ull << 20)

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static uint64_t rnd_below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

enum { GOOD_KINDS = 6 };

static void good_image(struct img *im, int kind)
{
	static const struct seg_spec segs[] = {
	    {0, 0x100000, 0x100000, 0x1800, 0x2000},
	    {0, 0x103000, 0x103000, 0x300, 0x1000},
	};
	struct hdrbuf h;
	switch (kind) {
	case 0:
	case 1:
		hdr_mb1(&h, 3, 0);
		img_elf(im, kind, segs, 2, 0x100020, &h);
		break;
	case 2:
		hdr_mb1(&h, 3 | (1u << 16),
		        (const uint32_t[]){0x200040, 0x200000, 0x201000, 0x203000, 0x200100});
		img_flat(im, 0x1800, 0x40, &h);
		break;
	case 3:
	case 4:
		hdr_mb2_begin(&h);
		hdr_mb2_tag(&h, 1, 0, (const uint32_t[]){1, 3, 4, 6}, 4);
		hdr_mb2_tag(&h, 5, 1, (const uint32_t[]){0, 0, 32}, 3);
		hdr_mb2_tag(&h, 3, 0, (const uint32_t[]){0x100040}, 1);
		hdr_mb2_end(&h);
		img_elf(im, kind == 4, segs, 2, 0x100020, &h);
		break;
	default:
		hdr_mb2_begin(&h);
		hdr_mb2_tag(&h, 2, 0, (const uint32_t[]){0x200048, 0x200000, 0x201000, 0x202000},
		            4);
		hdr_mb2_tag(&h, 3, 0, (const uint32_t[]){0x200100}, 1);
		hdr_mb2_end(&h);
		img_flat(im, 0x1800, 0x48, &h);
		break;
	}
}

static void corrupt(struct img *im)
{
	static const uint8_t special[] = {0, 0xff, 0x7f, 0x80, 1, 0x10, 0x40};
	uint32_t changes = 1 + (uint32_t)rnd_below(8);
	for (uint32_t i = 0; i < changes && im->size; i++) {
		uint64_t hot = im->hdr_off + rnd_below(96);
		uint64_t pos = rnd_below(3) == 0 ? rnd_below(im->size)
		               : rnd_below(2)    ? rnd_below(128 < im->size ? 128 : im->size)
		                                 : hot;
		if (pos >= im->size)
			continue;
		switch (rnd_below(3)) {
		case 0:
			im->b[pos] ^= (uint8_t)(1u << rnd_below(8));
			break;
		case 1:
			im->b[pos] = special[rnd_below(sizeof(special))];
			break;
		default:
			im->b[pos] = (uint8_t)rnd();
		}
	}
	if (rnd_below(4) == 0)
		im->size = rnd_below(im->size + 1);
}

static void check_loaded(const struct fake_mem *f, const struct mbload_result *r)
{
	struct seen_info s;
	CHECK(r->eax == MBLOAD_MB1_BOOT_MAGIC || r->eax == MBLOAD_MB2_BOOT_MAGIC);
	CHECK_EQ(r->ebx, MBLOAD_INFO_GPA);
	CHECK(r->info_end <= MBLOAD_INFO_END);
	CHECK(r->image_start >= MBLOAD_KERNEL_MIN && r->image_end <= f->mem.ram_bytes);
	CHECK(r->entry >= r->image_start && r->entry < r->image_end);
	CHECK(r->modules_end <= f->mem.ram_bytes);
	if (r->version == 2)
		read_mb2_info(f, r->ebx, &s);
	else
		read_mb1_info(f, r->ebx, &s);
	check_pc_layout(&s, f->mem.ram_bytes);
}

TEST(random_corruption)
{
	struct img good[GOOD_KINDS];
	struct fake_mem f;
	static uint8_t mod_data[0x10000];
	uint64_t loaded = 0, refused = 0;
	for (int k = 0; k < GOOD_KINDS; k++)
		good_image(&good[k], k);
	fake_mem_init(&f, FUZZ_RAM, FUZZ_RAM);
	for (uint32_t round = 0; round < FUZZ_ROUNDS && !harness_current_failed; round++) {
		struct img im;
		struct mbload_result res;
		struct mbload_module mods[2];
		char why[WHY_LEN];
		img_copy(&im, &good[round % GOOD_KINDS]);
		if (round >= GOOD_KINDS) /* the first round of each kind stays intact */
			corrupt(&im);
		uint32_t nmods = (uint32_t)rnd_below(3);
		for (uint32_t i = 0; i < nmods; i++)
			mods[i] = (struct mbload_module){mod_data, rnd_below(sizeof(mod_data)),
			                                 i ? "second" : 0};
		memset(why, 0, sizeof(why));
		struct mbload_request req = {im.b, im.size, "fuzz", mods, nmods};
		bool ok = mbload(&f.mem, &req, &res, why, sizeof(why));
		CHECK_EQ(f.bad_writes, 0);
		CHECK_EQ(f.unbacked, 0);
		if (ok) {
			loaded++;
			check_loaded(&f, &res);
		} else {
			refused++;
			CHECK(strlen(why) > 10);
		}
		if (round < GOOD_KINDS)
			CHECK(ok);
		if (harness_current_failed)
			printf("  round %u kind %u: %s\n", round, round % GOOD_KINDS,
			       ok ? "loaded" : why);
		img_free(&im);
	}
	printf("  %llu loaded, %llu refused\n", (unsigned long long)loaded,
	       (unsigned long long)refused);
	CHECK(loaded > FUZZ_ROUNDS / 20);
	CHECK(refused > FUZZ_ROUNDS / 4);
	fake_mem_free(&f);
	for (int k = 0; k < GOOD_KINDS; k++)
		img_free(&good[k]);
}
