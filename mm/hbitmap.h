/*
 * A hierarchical bitmap: level 0 holds one bit per item; bit i of a word at
 * level k + 1 says "word i of level k is not zero". The top level is a single
 * word, so finding a set bit (the lowest, or the next one after a position)
 * costs one word per level: O(log64 n). Setting or clearing a bit touches
 * the levels above only when a word turns zero or non-zero.
 *
 * The words live in memory the caller provides (hbitmap_words() of them).
 * Bits at positions >= nbits are never set.
 */
#ifndef MM_HBITMAP_H
#define MM_HBITMAP_H

#include <stdbool.h>
#include <stdint.h>

/* 64^10 is far beyond 2^52 frames, the most x86-64 physical memory can hold. */
#define HBITMAP_MAX_LEVELS 10

struct hbitmap {
	uint64_t nbits;
	uint32_t levels;
	uint64_t *level[HBITMAP_MAX_LEVELS];
	uint64_t level_words[HBITMAP_MAX_LEVELS];
};

/* Number of 64-bit words a bitmap of nbits bits needs, all levels together. */
uint64_t hbitmap_words(uint64_t nbits);

/* Lays the bitmap out in words[] (hbitmap_words(nbits) of them) with every bit clear. */
void hbitmap_init(struct hbitmap *hb, uint64_t nbits, uint64_t *words);

/* Sets every bit in [0, nbits). */
void hbitmap_fill(struct hbitmap *hb);

static inline bool hbitmap_test(const struct hbitmap *hb, uint64_t bit)
{
	return (hb->level[0][bit / 64] >> (bit % 64)) & 1;
}

void hbitmap_set(struct hbitmap *hb, uint64_t bit);
void hbitmap_clear(struct hbitmap *hb, uint64_t bit);

/* The lowest set bit at or after from, in O(levels); false if none. */
bool hbitmap_next_set(const struct hbitmap *hb, uint64_t from, uint64_t *found);

/* The lowest clear bit in [from, limit), scanning words: O((limit - from) / 64). */
bool hbitmap_next_clear(const struct hbitmap *hb, uint64_t from, uint64_t limit, uint64_t *found);

/* Number of set bits at level 0 (a scan, for audits). */
uint64_t hbitmap_count(const struct hbitmap *hb);

/* Checks that every summary bit matches the level below and no bit past nbits is set. */
bool hbitmap_consistent(const struct hbitmap *hb);

#endif
