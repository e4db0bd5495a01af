/* Physical frame allocator: see mm/frame.h for the layout and costs. */
#include "mm/frame.h"

#include <stdbool.h>
#include <stddef.h>

/* 2^52 bytes is the architectural limit of physical addresses (SDM Vol. 3A, 4.1.4). */
#define FRAME_MAX_FRAMES (1ULL << (52 - FRAME_SHIFT))

static uint64_t words_for(uint64_t bits)
{
	return bits / 64 + (bits % 64 != 0);
}

/* The whole frames inside a usable region: [*first, *first + *count). */
static bool region_frames(const struct mem_region *r, uint64_t *first, uint64_t *count)
{
	if (r->type != MEM_USABLE || r->length == 0 || r->length > UINT64_MAX - r->base)
		return false;
	uint64_t lo = (r->base + FRAME_SIZE - 1) >> FRAME_SHIFT;
	uint64_t hi = (r->base + r->length) >> FRAME_SHIFT;
	if (r->base > UINT64_MAX - (FRAME_SIZE - 1) || lo >= hi)
		return false;
	*first = lo;
	*count = hi - lo;
	return true;
}

/* Counts zones and frames; false if the total is absurd for x86-64. */
static bool count_frames(const struct mem_region *map, uint32_t n, uint32_t *zones,
                         uint64_t *frames)
{
	*zones = 0;
	*frames = 0;
	for (uint32_t i = 0; i < n; i++) {
		uint64_t first, count;
		if (!region_frames(&map[i], &first, &count))
			continue;
		if (count > FRAME_MAX_FRAMES - *frames)
			return false;
		*frames += count;
		(*zones)++;
	}
	return true;
}

uint64_t frame_meta_bytes(const struct mem_region *map, uint32_t n)
{
	uint32_t zones;
	uint64_t frames;

	if (!map || !count_frames(map, n, &zones, &frames) || frames == 0)
		return 0;
	return zones * sizeof(struct frame_zone) +
	       (words_for(frames) + hbitmap_words(frames)) * sizeof(uint64_t);
}

/* Sorted, non-overlapping, usable regions page aligned: what memmap_normalize() makes. */
static bool map_is_normalized(const struct mem_region *map, uint32_t n)
{
	uint64_t prev_end = 0;

	for (uint32_t i = 0; i < n; i++) {
		const struct mem_region *r = &map[i];
		if (r->length == 0 || r->length > UINT64_MAX - r->base || r->base < prev_end)
			return false;
		if (r->type == MEM_USABLE && ((r->base | r->length) & (FRAME_SIZE - 1)))
			return false;
		prev_end = r->base + r->length;
	}
	return true;
}

static void fill_zones(struct frame_allocator *fa, const struct mem_region *map, uint32_t n)
{
	uint64_t index = 0;
	uint32_t z = 0;

	for (uint32_t i = 0; i < n; i++) {
		uint64_t first, count;
		if (!region_frames(&map[i], &first, &count))
			continue;
		fa->zones[z++] = (struct frame_zone){first, count, index};
		index += count;
	}
}

int frame_init(struct frame_allocator *fa, const struct mem_region *map, uint32_t n, void *meta,
               uint64_t meta_bytes)
{
	uint32_t zones;
	uint64_t frames;

	__builtin_memset(fa, 0, sizeof(*fa));
	if (!map || !map_is_normalized(map, n) || !count_frames(map, n, &zones, &frames) ||
	    frames == 0)
		return FRAME_ERR_BAD_MAP;
	if (!meta || ((uintptr_t)meta & 7) || meta_bytes < frame_meta_bytes(map, n))
		return FRAME_ERR_META;

	fa->zones = meta;
	fa->zone_count = zones;
	fa->frames = frames;
	fa->reserved_map = (uint64_t *)(fa->zones + zones);
	__builtin_memset(fa->reserved_map, 0, words_for(frames) * sizeof(uint64_t));
	hbitmap_init(&fa->free_map, frames, fa->reserved_map + words_for(frames));
	hbitmap_fill(&fa->free_map);
	fill_zones(fa, map, n);

	fa->stats.total_frames = frames;
	fa->stats.free_frames = frames;
	frame_reserve(fa, 0, FRAME_SIZE);
	return FRAME_OK;
}

/* The zone holding frame number pfn, or NULL: binary search over zones sorted by address. */
static const struct frame_zone *zone_of_frame(const struct frame_allocator *fa, uint64_t pfn)
{
	uint32_t lo = 0, hi = fa->zone_count;

	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (fa->zones[mid].first_frame <= pfn)
			lo = mid;
		else
			hi = mid;
	}
	if (fa->zone_count == 0)
		return NULL;
	const struct frame_zone *z = &fa->zones[lo];
	if (pfn < z->first_frame || pfn - z->first_frame >= z->frames)
		return NULL;
	return z;
}

/* The zone holding an index of the index space (which must be < fa->frames). */
static const struct frame_zone *zone_of_index(const struct frame_allocator *fa, uint64_t index)
{
	uint32_t lo = 0, hi = fa->zone_count;

	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (fa->zones[mid].first_index <= index)
			lo = mid;
		else
			hi = mid;
	}
	return &fa->zones[lo];
}

static uint64_t index_to_phys(const struct frame_allocator *fa, uint64_t index)
{
	const struct frame_zone *z = zone_of_index(fa, index);
	return (z->first_frame + (index - z->first_index)) << FRAME_SHIFT;
}

static bool is_reserved(const struct frame_allocator *fa, uint64_t index)
{
	return (fa->reserved_map[index / 64] >> (index % 64)) & 1;
}

static void set_reserved(struct frame_allocator *fa, uint64_t index)
{
	fa->reserved_map[index / 64] |= 1ULL << (index % 64);
}

/* Reserves one index: a free frame leaves the free count, an allocated one the used count. */
static void reserve_index(struct frame_allocator *fa, uint64_t index)
{
	if (is_reserved(fa, index))
		return;
	if (hbitmap_test(&fa->free_map, index)) {
		hbitmap_clear(&fa->free_map, index);
		fa->stats.free_frames--;
	} else {
		fa->stats.used_frames--;
		fa->stats.reserve_conflicts++;
	}
	set_reserved(fa, index);
	fa->stats.reserved_frames++;
}

void frame_reserve(struct frame_allocator *fa, uint64_t base, uint64_t length)
{
	if (length == 0)
		return;
	uint64_t first = base >> FRAME_SHIFT;
	uint64_t last =
	    (length - 1 > UINT64_MAX - base ? UINT64_MAX : base + length - 1) >> FRAME_SHIFT;

	for (uint32_t i = 0; i < fa->zone_count; i++) {
		const struct frame_zone *z = &fa->zones[i];
		uint64_t z_last = z->first_frame + z->frames - 1;
		uint64_t lo = first > z->first_frame ? first : z->first_frame;
		uint64_t hi = last < z_last ? last : z_last;
		for (uint64_t pfn = lo; lo <= hi && pfn <= hi; pfn++)
			reserve_index(fa, z->first_index + (pfn - z->first_frame));
	}
}

static void note_alloc(struct frame_allocator *fa, uint64_t count)
{
	fa->stats.free_frames -= count;
	fa->stats.used_frames += count;
	fa->stats.allocs++;
	if (fa->stats.used_frames > fa->stats.high_watermark)
		fa->stats.high_watermark = fa->stats.used_frames;
}

uint64_t frame_alloc(struct frame_allocator *fa)
{
	uint64_t index;

	if (!hbitmap_next_set(&fa->free_map, 0, &index)) {
		fa->stats.failures++;
		return 0;
	}
	hbitmap_clear(&fa->free_map, index);
	note_alloc(fa, 1);
	return index_to_phys(fa, index);
}

static uint64_t align_up(uint64_t v, uint64_t align)
{
	return (v + align - 1) & ~(align - 1);
}

/*
 * The lowest aligned run of count free frames inside one zone, as an index.
 * Each miss jumps past the used frame that broke the candidate run to the next
 * free frame (found through the summary words), so used stretches are skipped.
 */
static bool run_in_zone(const struct frame_allocator *fa, const struct frame_zone *z,
                        uint64_t count, uint64_t align, uint64_t *found)
{
	uint64_t end = z->first_frame + z->frames;
	uint64_t pfn = align_up(z->first_frame, align);

	while (pfn >= z->first_frame && pfn < end && end - pfn >= count) {
		uint64_t index = z->first_index + (pfn - z->first_frame), used, next_free;
		if (!hbitmap_next_clear(&fa->free_map, index, index + count, &used)) {
			*found = index;
			return true;
		}
		if (!hbitmap_next_set(&fa->free_map, used, &next_free) ||
		    next_free >= z->first_index + z->frames)
			return false;
		pfn = align_up(z->first_frame + (next_free - z->first_index), align);
	}
	return false;
}

uint64_t frame_alloc_run(struct frame_allocator *fa, uint64_t count, uint64_t align_frames)
{
	uint64_t index;

	if (align_frames == 0)
		align_frames = 1;
	if (count == 0 || count > fa->stats.free_frames || (align_frames & (align_frames - 1)) ||
	    align_frames > FRAME_MAX_FRAMES)
		goto fail;
	for (uint32_t i = 0; i < fa->zone_count; i++) {
		if (!run_in_zone(fa, &fa->zones[i], count, align_frames, &index))
			continue;
		for (uint64_t k = 0; k < count; k++)
			hbitmap_clear(&fa->free_map, index + k);
		note_alloc(fa, count);
		return index_to_phys(fa, index);
	}
fail:
	fa->stats.failures++;
	return 0;
}

/* Checks that every frame of the run is allocated; the index of the first in *index. */
static int check_free_run(const struct frame_allocator *fa, uint64_t phys, uint64_t count,
                          uint64_t *index)
{
	if (phys & (FRAME_SIZE - 1))
		return FRAME_ERR_UNALIGNED;
	const struct frame_zone *z = zone_of_frame(fa, phys >> FRAME_SHIFT);
	if (!z || count == 0)
		return FRAME_ERR_RANGE;
	uint64_t offset = (phys >> FRAME_SHIFT) - z->first_frame;
	if (count > z->frames - offset)
		return FRAME_ERR_RANGE;
	*index = z->first_index + offset;
	for (uint64_t k = 0; k < count; k++) {
		if (is_reserved(fa, *index + k))
			return FRAME_ERR_RESERVED;
		if (hbitmap_test(&fa->free_map, *index + k))
			return FRAME_ERR_NOT_ALLOCATED;
	}
	return FRAME_OK;
}

int frame_free_run(struct frame_allocator *fa, uint64_t phys, uint64_t count)
{
	uint64_t index = 0;
	int error = check_free_run(fa, phys, count, &index);

	if (error != FRAME_OK) {
		fa->stats.bad_frees++;
		return error;
	}
	for (uint64_t k = 0; k < count; k++)
		hbitmap_set(&fa->free_map, index + k);
	fa->stats.free_frames += count;
	fa->stats.used_frames -= count;
	fa->stats.frees++;
	return FRAME_OK;
}

int frame_free(struct frame_allocator *fa, uint64_t phys)
{
	return frame_free_run(fa, phys, 1);
}

struct frame_stats frame_stats(const struct frame_allocator *fa)
{
	return fa->stats;
}

enum frame_state frame_state(const struct frame_allocator *fa, uint64_t phys)
{
	const struct frame_zone *z = zone_of_frame(fa, phys >> FRAME_SHIFT);
	if (!z)
		return FRAME_STATE_UNMANAGED;
	uint64_t index = z->first_index + ((phys >> FRAME_SHIFT) - z->first_frame);
	if (is_reserved(fa, index))
		return FRAME_STATE_RESERVED;
	return hbitmap_test(&fa->free_map, index) ? FRAME_STATE_FREE : FRAME_STATE_USED;
}

const char *frame_strerror(int error)
{
	switch (error) {
	case FRAME_OK:
		return "ok";
	case FRAME_ERR_UNALIGNED:
		return "address not 4 KiB aligned";
	case FRAME_ERR_RANGE:
		return "address or count outside managed memory";
	case FRAME_ERR_NOT_ALLOCATED:
		return "frame not allocated (double free?)";
	case FRAME_ERR_RESERVED:
		return "frame is reserved";
	case FRAME_ERR_BAD_MAP:
		return "memory map not normalized or without usable memory";
	case FRAME_ERR_META:
		return "metadata missing, misaligned or too small";
	default:
		return "unknown error";
	}
}

/* Zones sorted, non-overlapping, and numbered consecutively in the index space. */
static bool zones_consistent(const struct frame_allocator *fa)
{
	uint64_t index = 0;

	for (uint32_t i = 0; i < fa->zone_count; i++) {
		const struct frame_zone *z = &fa->zones[i];
		if (z->frames == 0 || z->first_index != index)
			return false;
		if (i > 0 &&
		    z->first_frame < fa->zones[i - 1].first_frame + fa->zones[i - 1].frames)
			return false;
		index += z->frames;
	}
	return index == fa->frames;
}

/* Counts reserved bits; -1 if one is also free or lies past the last frame. */
static int64_t count_reserved(const struct frame_allocator *fa)
{
	uint64_t words = words_for(fa->frames), n = 0;

	for (uint64_t w = 0; w < words; w++) {
		uint64_t r = fa->reserved_map[w];
		if (r & fa->free_map.level[0][w])
			return -1;
		if (w == words - 1 && fa->frames % 64 && (r >> (fa->frames % 64)))
			return -1;
		n += (uint64_t)__builtin_popcountll(r);
	}
	return (int64_t)n;
}

int frame_check(const struct frame_allocator *fa)
{
	const struct frame_stats *s = &fa->stats;

	if (!zones_consistent(fa))
		return -1;
	if (!hbitmap_consistent(&fa->free_map))
		return -2;
	int64_t reserved = count_reserved(fa);
	if (reserved < 0)
		return -3;
	if (hbitmap_count(&fa->free_map) != s->free_frames ||
	    (uint64_t)reserved != s->reserved_frames)
		return -4;
	if (s->total_frames != fa->frames ||
	    s->free_frames + s->used_frames + s->reserved_frames != s->total_frames)
		return -5;
	if (s->high_watermark < s->used_frames)
		return -6;
	return 0;
}
