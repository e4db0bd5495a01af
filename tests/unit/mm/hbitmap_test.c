/* Unit tests of the hierarchical bitmap (mm/hbitmap.c) against a byte-per-bit model. */
#include "mm/hbitmap.h"
#include "tests/unit/harness.h"

TEST(hbitmap_geometry)
{
	CHECK_EQ(hbitmap_words(1), 1);
	CHECK_EQ(hbitmap_words(64), 1);
	CHECK_EQ(hbitmap_words(65), 2 + 1);
	CHECK_EQ(hbitmap_words(4096), 64 + 1);
	CHECK_EQ(hbitmap_words(4097), 65 + 2 + 1);
	/* 2^40 bits: 2^34 + 2^28 + 2^22 + 2^16 + 2^10 + 16 + 1 words. */
	CHECK_EQ(hbitmap_words(1ULL << 40),
	         (1ULL << 34) + (1ULL << 28) + (1ULL << 22) + (1ULL << 16) + (1ULL << 10) + 16 + 1);
}

static uint64_t model_next_set(const uint8_t *m, uint64_t n, uint64_t from)
{
	for (uint64_t i = from; i < n; i++)
		if (m[i])
			return i;
	return UINT64_MAX;
}

static void check_against(struct hbitmap *hb, const uint8_t *m, uint64_t n, uint64_t from)
{
	uint64_t got = UINT64_MAX, want = model_next_set(m, n, from);
	if (!hbitmap_next_set(hb, from, &got))
		got = UINT64_MAX;
	CHECK_EQ(got, want);
}

TEST(hbitmap_random_against_model)
{
	const uint64_t sizes[] = {1, 63, 64, 65, 4095, 4097, 300001};
	uint64_t s = 77;

	for (unsigned k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		uint64_t n = sizes[k];
		uint64_t *words = calloc(hbitmap_words(n), sizeof(uint64_t));
		uint8_t *m = calloc(n, 1);
		struct hbitmap hb;
		REQUIRE(words && m);
		hbitmap_init(&hb, n, words);
		CHECK(!hbitmap_next_set(&hb, 0, &(uint64_t){0}));
		hbitmap_fill(&hb);
		memset(m, 1, n);
		CHECK(hbitmap_consistent(&hb));
		CHECK_EQ(hbitmap_count(&hb), n);
		/* Clear most bits, so that next_set has to climb the levels. */
		for (uint64_t i = 0; i < n; i++) {
			s = s * 6364136223846793005ULL + 1442695040888963407ULL;
			if ((s >> 33) % 1000 != 0) {
				hbitmap_clear(&hb, i);
				m[i] = 0;
			}
		}
		for (int op = 0; op < 3000; op++) {
			s = s * 6364136223846793005ULL + 1442695040888963407ULL;
			uint64_t bit = (s >> 20) % n;
			if ((s >> 10) % 2) {
				hbitmap_set(&hb, bit);
				m[bit] = 1;
			} else {
				hbitmap_clear(&hb, bit);
				m[bit] = 0;
			}
			CHECK_EQ(hbitmap_test(&hb, bit), m[bit]);
			check_against(&hb, m, n, (s >> 40) % n);
			if (op % 8 == 0)
				check_against(&hb, m, n, 0);
			uint64_t from = (s >> 30) % n, lim = from + (s >> 50) % 200, c = 0;
			uint64_t want = UINT64_MAX;
			for (uint64_t i = from; i < lim && i < n; i++)
				if (!m[i]) {
					want = i;
					break;
				}
			if (!hbitmap_next_clear(&hb, from, lim, &c))
				c = UINT64_MAX;
			CHECK_EQ(c, want);
		}
		CHECK(hbitmap_consistent(&hb));
		uint64_t count = 0;
		for (uint64_t i = 0; i < n; i++)
			count += m[i];
		CHECK_EQ(hbitmap_count(&hb), count);
		/* A corrupted summary word is noticed by the audit. */
		if (hb.levels > 1) {
			hb.level[1][0] ^= 1;
			CHECK(!hbitmap_consistent(&hb));
			hb.level[1][0] ^= 1;
		}
		free(words);
		free(m);
	}
}
