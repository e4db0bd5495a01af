/*
 * Tracking entry: one 64-bit word per guest frame (pool.md, "Tracking entry").
 *
 *   bit  0       MON   the frame is a monitored guest page table
 *   bits 1..11   GEN   pool generation (low 11 bits) the word was last valid in
 *   bits 12..47  HPA   host address of the frame backing this guest frame
 *   bits 48..61  IDX   tag 1: the pool page holding the one reference;
 *                      tag 3: head extent of the chain, or 0x3FFF = overflow
 *   bits 62..63  TAG   0 = no reference, 1 = exactly one (page, entry), 3 = several
 *
 * A word whose GEN differs from the pool's is stale: pool_flush_all() made it
 * "no reference, not monitored" without touching it; track_get() normalises.
 * With tag 1 the entry index is not stored: the one entry of that page mapping
 * the host address is found by scanning the page (512 compares), which buys
 * 11 generation bits (a full sweep only every 2048 flush-alls).
 */
#ifndef POOL_TRACK_H
#define POOL_TRACK_H

#include <stdint.h>

#define TRACK_MON_BIT   ((uint64_t)1 << 0)
#define TRACK_GEN_SHIFT 1u
#define TRACK_GEN_BITS  11u
#define TRACK_GEN_MASK  ((((uint64_t)1 << TRACK_GEN_BITS) - 1) << TRACK_GEN_SHIFT)
#define TRACK_HPA_SHIFT 12u
#define TRACK_HPA_MASK  0x0000FFFFFFFFF000ull
#define TRACK_IDX_SHIFT 48u
#define TRACK_IDX_BITS  14u
#define TRACK_IDX_MASK  ((((uint64_t)1 << TRACK_IDX_BITS) - 1) << TRACK_IDX_SHIFT)
#define TRACK_TAG_SHIFT 62u
#define TRACK_TAG_MASK  ((uint64_t)3 << TRACK_TAG_SHIFT)

#define TRACK_TAG_NONE     0u
#define TRACK_TAG_SINGLE   1u
#define TRACK_TAG_EXTENTS  3u
#define TRACK_IDX_OVERFLOW 0x3FFFu
#define TRACK_GEN_PERIOD   (1u << TRACK_GEN_BITS)

_Static_assert(TRACK_GEN_SHIFT + TRACK_GEN_BITS == TRACK_HPA_SHIFT, "GEN below HPA");
_Static_assert((TRACK_MON_BIT & TRACK_GEN_MASK) == 0, "MON and GEN disjoint");
_Static_assert(TRACK_HPA_MASK == (((uint64_t)1 << 48) - ((uint64_t)1 << TRACK_HPA_SHIFT)),
               "HPA is bits 12..47");
_Static_assert(TRACK_IDX_SHIFT + TRACK_IDX_BITS == TRACK_TAG_SHIFT, "IDX below TAG");
_Static_assert((TRACK_MON_BIT | TRACK_GEN_MASK | TRACK_HPA_MASK | TRACK_IDX_MASK |
                TRACK_TAG_MASK) == ~(uint64_t)0,
               "the fields cover the word");
_Static_assert(TRACK_IDX_OVERFLOW == (1u << TRACK_IDX_BITS) - 1, "overflow is all ones");

static inline uint64_t track_hpa(uint64_t t)
{
	return t & TRACK_HPA_MASK;
}

static inline unsigned track_tag(uint64_t t)
{
	return (unsigned)((t & TRACK_TAG_MASK) >> TRACK_TAG_SHIFT);
}

static inline unsigned track_idx(uint64_t t)
{
	return (unsigned)((t & TRACK_IDX_MASK) >> TRACK_IDX_SHIFT);
}

static inline unsigned track_gen(uint64_t t)
{
	return (unsigned)((t & TRACK_GEN_MASK) >> TRACK_GEN_SHIFT);
}

static inline int track_monitored(uint64_t t)
{
	return (t & TRACK_MON_BIT) != 0;
}

static inline int track_overflowed(uint64_t t)
{
	return track_tag(t) == TRACK_TAG_EXTENTS && track_idx(t) == TRACK_IDX_OVERFLOW;
}

static inline uint64_t track_set_refs(uint64_t t, unsigned tag, unsigned idx)
{
	t &= ~(TRACK_TAG_MASK | TRACK_IDX_MASK);
	return t | ((uint64_t)tag << TRACK_TAG_SHIFT) |
	       (((uint64_t)idx << TRACK_IDX_SHIFT) & TRACK_IDX_MASK);
}

static inline uint64_t track_set_monitored(uint64_t t, int on)
{
	return on ? (t | TRACK_MON_BIT) : (t & ~TRACK_MON_BIT);
}

/* A fresh word for this generation: host address only. */
static inline uint64_t track_fresh(uint64_t t, uint32_t generation)
{
	uint64_t gen = (uint64_t)(generation % TRACK_GEN_PERIOD) << TRACK_GEN_SHIFT;
	return track_hpa(t) | gen;
}

static inline int track_current(uint64_t t, uint32_t generation)
{
	return track_gen(t) == generation % TRACK_GEN_PERIOD;
}

#endif
