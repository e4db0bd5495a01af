/* Hierarchical bitmap: see mm/hbitmap.h. */
#include "mm/hbitmap.h"

static uint64_t words_for(uint64_t bits)
{
	return bits / 64 + (bits % 64 != 0);
}

/* Words per level; returns the number of levels (the top one has a single word). */
static uint32_t geometry(uint64_t nbits, uint64_t words[HBITMAP_MAX_LEVELS])
{
	uint32_t levels = 0;
	uint64_t bits = nbits;

	do {
		words[levels] = words_for(bits ? bits : 1);
		bits = words[levels];
		levels++;
	} while (bits > 1 && levels < HBITMAP_MAX_LEVELS);
	return levels;
}

uint64_t hbitmap_words(uint64_t nbits)
{
	uint64_t words[HBITMAP_MAX_LEVELS];
	uint32_t levels = geometry(nbits, words);
	uint64_t total = 0;

	for (uint32_t k = 0; k < levels; k++)
		total += words[k];
	return total;
}

void hbitmap_init(struct hbitmap *hb, uint64_t nbits, uint64_t *words)
{
	uint64_t total = 0;

	hb->nbits = nbits;
	hb->levels = geometry(nbits, hb->level_words);
	for (uint32_t k = 0; k < hb->levels; k++) {
		hb->level[k] = words + total;
		total += hb->level_words[k];
	}
	__builtin_memset(words, 0, total * sizeof(uint64_t));
}

/* Sets the first n bits of level k (whole words of ones, then a partial word). */
static void fill_level(struct hbitmap *hb, uint32_t k, uint64_t n)
{
	uint64_t full = n / 64;

	for (uint64_t w = 0; w < full; w++)
		hb->level[k][w] = ~0ULL;
	if (n % 64)
		hb->level[k][full] = (1ULL << (n % 64)) - 1;
}

void hbitmap_fill(struct hbitmap *hb)
{
	uint64_t n = hb->nbits;

	for (uint32_t k = 0; k < hb->levels; k++) {
		fill_level(hb, k, n);
		n = words_for(n);
	}
}

void hbitmap_set(struct hbitmap *hb, uint64_t bit)
{
	for (uint32_t k = 0; k < hb->levels; k++) {
		uint64_t *word = &hb->level[k][bit / 64];
		bool was_zero = *word == 0;
		*word |= 1ULL << (bit % 64);
		if (!was_zero)
			return;
		bit /= 64;
	}
}

void hbitmap_clear(struct hbitmap *hb, uint64_t bit)
{
	for (uint32_t k = 0; k < hb->levels; k++) {
		uint64_t *word = &hb->level[k][bit / 64];
		*word &= ~(1ULL << (bit % 64));
		if (*word != 0)
			return;
		bit /= 64;
	}
}

/* From a set bit at level k, follows the lowest set bits down to level 0. */
static uint64_t descend(const struct hbitmap *hb, uint32_t k, uint64_t pos)
{
	while (k > 0) {
		k--;
		pos = pos * 64 + (uint64_t)__builtin_ctzll(hb->level[k][pos]);
	}
	return pos;
}

bool hbitmap_next_set(const struct hbitmap *hb, uint64_t from, uint64_t *found)
{
	uint64_t pos = from;

	if (from >= hb->nbits)
		return false;
	for (uint32_t k = 0; k < hb->levels; k++) {
		uint64_t w = pos / 64;
		if (w >= hb->level_words[k])
			return false;
		uint64_t word = hb->level[k][w] & (~0ULL << (pos % 64));
		if (word) {
			*found = descend(hb, k, w * 64 + (uint64_t)__builtin_ctzll(word));
			return true;
		}
		/* Nothing left in this word: continue with the next word's summary bit. */
		pos = w + 1;
	}
	return false;
}

bool hbitmap_next_clear(const struct hbitmap *hb, uint64_t from, uint64_t limit, uint64_t *found)
{
	if (limit > hb->nbits)
		limit = hb->nbits;
	while (from < limit) {
		uint64_t w = from / 64;
		uint64_t word = ~hb->level[0][w] & (~0ULL << (from % 64));
		if (word) {
			uint64_t bit = w * 64 + (uint64_t)__builtin_ctzll(word);
			if (bit >= limit)
				return false;
			*found = bit;
			return true;
		}
		from = (w + 1) * 64;
	}
	return false;
}

uint64_t hbitmap_count(const struct hbitmap *hb)
{
	uint64_t n = 0;
	for (uint64_t w = 0; w < hb->level_words[0]; w++)
		n += (uint64_t)__builtin_popcountll(hb->level[0][w]);
	return n;
}

/* Bits of the last word of level k that lie past the n valid ones. */
static uint64_t tail_mask(uint64_t n)
{
	return n % 64 ? ~((1ULL << (n % 64)) - 1) : 0;
}

bool hbitmap_consistent(const struct hbitmap *hb)
{
	uint64_t n = hb->nbits;

	for (uint32_t k = 0; k < hb->levels; k++) {
		uint64_t words = hb->level_words[k];
		if (hb->level[k][words - 1] & tail_mask(n))
			return false;
		if (k + 1 < hb->levels) {
			for (uint64_t w = 0; w < words; w++) {
				bool summary = (hb->level[k + 1][w / 64] >> (w % 64)) & 1;
				if (summary != (hb->level[k][w] != 0))
					return false;
			}
		}
		n = words;
	}
	return true;
}
