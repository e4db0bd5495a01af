/*
 * The physical frame allocator: hands out and takes back 4 KiB frames and
 * contiguous, aligned runs of them.
 *
 * Layout: every usable region of the (normalized) memory map is a zone; the
 * zones' frames are numbered one after the other in an "index space" that has
 * no holes, so the metadata costs 2 bits per usable frame (plus 1/63 for
 * summary words and 24 bytes per zone) however far apart the regions lie: RAM
 * above 4 GiB or a PCI hole costs nothing. Two bitmaps over the index space:
 *   - free: a hierarchical bitmap (mm/hbitmap.h), bit set = frame is free;
 *   - reserved: a flat bitmap, bit set = frame is reserved (frame_reserve()).
 * A frame that is neither free nor reserved is allocated.
 *
 * Costs (n = usable frames, z = zones <= map entries, L = ceil(log64 n)):
 *   frame_alloc      O(L + log z): the lowest free frame, via summary words;
 *   frame_free       O(L + log z) (binary search of the zone, then bit updates);
 *   frame_alloc_run  scans: O(z + n / 64 + k * L + count) at worst, k being the
 *                    number of used stretches skipped (the word scans of successive
 *                    candidates do not overlap); fast when free memory is unfragmented;
 *   frame_free_run   O(log z + count * L).
 * First fit, lowest address first. Not thread-safe: callers serialize.
 */
#ifndef MM_FRAME_H
#define MM_FRAME_H

#include <stdint.h>

#include "boot/bootinfo.h"
#include "mm/hbitmap.h"

#define FRAME_SHIFT 12
#define FRAME_SIZE  (1ULL << FRAME_SHIFT)

/* Errors of frame_init() and the frees; frame_strerror() names them. */
enum frame_error {
	FRAME_OK = 0,
	FRAME_ERR_UNALIGNED = -1,     /* address not 4 KiB aligned */
	FRAME_ERR_RANGE = -2,         /* not managed memory, or count 0 or past a zone */
	FRAME_ERR_NOT_ALLOCATED = -3, /* free: double free or never allocated */
	FRAME_ERR_RESERVED = -4,      /* free: the frame is reserved */
	FRAME_ERR_BAD_MAP = -5,       /* init: map not normalized or no usable frame */
	FRAME_ERR_META = -6,          /* init: metadata missing, misaligned or too small */
};

enum frame_state {
	FRAME_STATE_UNMANAGED = 0, /* not in a usable region */
	FRAME_STATE_FREE,
	FRAME_STATE_USED,
	FRAME_STATE_RESERVED,
};

/* One usable region: frames [first_frame, first_frame + frames) at index first_index. */
struct frame_zone {
	uint64_t first_frame;
	uint64_t frames;
	uint64_t first_index;
};

/* The metadata packs zones before the bitmap words, which must stay 8-byte aligned. */
_Static_assert(sizeof(struct frame_zone) % sizeof(uint64_t) == 0, "frame_zone size");

struct frame_stats {
	uint64_t total_frames;      /* usable frames managed */
	uint64_t free_frames;       /* free now */
	uint64_t used_frames;       /* handed out and not yet freed */
	uint64_t reserved_frames;   /* reserved (frame 0, kernel, modules, ...) */
	uint64_t high_watermark;    /* the most frames ever used at once */
	uint64_t allocs;            /* successful allocation calls (a run counts once) */
	uint64_t frees;             /* successful free calls */
	uint64_t failures;          /* allocation calls that returned 0 */
	uint64_t bad_frees;         /* refused free calls */
	uint64_t reserve_conflicts; /* allocated frames that frame_reserve() took over */
};

struct frame_allocator {
	struct frame_zone *zones;
	uint32_t zone_count;
	uint64_t frames; /* size of the index space = stats.total_frames */
	struct hbitmap free_map;
	uint64_t *reserved_map;
	struct frame_stats stats;
};

/* Bytes of metadata frame_init() needs for this map (0 if it has no usable page). */
uint64_t frame_meta_bytes(const struct mem_region *map, uint32_t n);

/*
 * Sets the allocator up over the usable regions of a normalized map (see
 * memmap_normalize()); every usable frame starts free except frame 0, which is
 * reserved so that 0 can mean failure. meta must be 8-byte aligned and hold
 * frame_meta_bytes() bytes; if it lies in managed memory, the caller reserves
 * it with frame_reserve(). Returns FRAME_OK or a negative enum frame_error.
 */
int frame_init(struct frame_allocator *fa, const struct mem_region *map, uint32_t n, void *meta,
               uint64_t meta_bytes);

/*
 * Marks every frame touching [base, base + length) reserved: never handed out,
 * refused by the frees, counted in stats.reserved_frames. Parts outside usable memory
 * are ignored. A frame that was allocated is taken over (counted in
 * stats.reserve_conflicts): reserve before allocating.
 */
void frame_reserve(struct frame_allocator *fa, uint64_t base, uint64_t length);

/* One free frame (its physical address), or 0 when none is left. */
uint64_t frame_alloc(struct frame_allocator *fa);

/*
 * count contiguous free frames whose first frame number is a multiple of
 * align_frames (a power of two; 0 means 1); the address of the first, or 0.
 */
uint64_t frame_alloc_run(struct frame_allocator *fa, uint64_t count, uint64_t align_frames);

/*
 * Frees one frame, or a run of count frames starting at phys (which need not
 * come from a single frame_alloc_run()). Either every frame is freed or, on
 * error, nothing changes but stats.bad_frees. Returns FRAME_OK or an error.
 */
int frame_free(struct frame_allocator *fa, uint64_t phys);
int frame_free_run(struct frame_allocator *fa, uint64_t phys, uint64_t count);

/* A copy of the counters. */
struct frame_stats frame_stats(const struct frame_allocator *fa);

/* What the allocator thinks of the frame holding phys. */
enum frame_state frame_state(const struct frame_allocator *fa, uint64_t phys);

/* "ok", "unaligned address", ... */
const char *frame_strerror(int error);

/*
 * Audits every invariant (summary words, no frame both free and reserved,
 * counters against a recount): O(n / 64). Returns 0, or a negative number
 * naming the first broken invariant (see frame_check() in mm/frame.c).
 */
int frame_check(const struct frame_allocator *fa);

#endif
