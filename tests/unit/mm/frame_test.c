/* Deterministic unit tests of the frame allocator (mm/frame.c). */
#include "mm/frame.h"
#include "mm/memmap.h"
#include "tests/unit/harness.h"

#define PAGE 0x1000ULL
#define MIB  0x100000ULL
#define GIB  0x40000000ULL

static struct mem_region R(uint64_t base, uint64_t length, uint32_t type) {
	return (struct mem_region){.base = base, .length = length, .type = type};
}

/* Sets fa up over map (malloc'd metadata, which the caller frees). */
static void *
setup(struct frame_allocator *fa, const struct mem_region *map, uint32_t n)
{
	uint64_t bytes = frame_meta_bytes(map, n);
	void *meta = malloc(bytes ? bytes : 1);
	if (!meta || frame_init(fa, map, n, meta, bytes) != FRAME_OK) {
		free(meta);
		return NULL;
	}
	return meta;
}

TEST(frame_zero_never_handed_out)
{
	struct mem_region map[] = {R(0, 4 * PAGE, MEM_USABLE)};
	struct frame_allocator fa;
	void *meta = setup(&fa, map, 1);
	REQUIRE(meta);
	struct frame_stats st = frame_stats(&fa);
	CHECK_EQ(st.total_frames, 4);
	CHECK_EQ(st.free_frames, 3);
	CHECK_EQ(st.reserved_frames, 1);
	CHECK_EQ(frame_state(&fa, 0), FRAME_STATE_RESERVED);
	CHECK_EQ(frame_alloc(&fa), 1 * PAGE);
	CHECK_EQ(frame_alloc(&fa), 2 * PAGE);
	CHECK_EQ(frame_alloc(&fa), 3 * PAGE);
	CHECK_EQ(frame_alloc(&fa), 0);
	CHECK_EQ(frame_alloc_run(&fa, 1, 1), 0);
	st = frame_stats(&fa);
	CHECK_EQ(st.free_frames, 0);
	CHECK_EQ(st.used_frames, 3);
	CHECK_EQ(st.failures, 2);
	CHECK_EQ(st.allocs, 3);
	CHECK_EQ(frame_free(&fa, 0), FRAME_ERR_RESERVED);
	/* Exhaustion recovers after a free. */
	CHECK_EQ(frame_free(&fa, 2 * PAGE), FRAME_OK);
	CHECK_EQ(frame_alloc(&fa), 2 * PAGE);
	CHECK_EQ(frame_check(&fa), 0);
	free(meta);
}

TEST(frame_init_refuses_bad_input)
{
	struct frame_allocator fa;
	uint64_t meta[1024];
	struct mem_region unsorted[] = {R(MIB, MIB, MEM_USABLE), R(0, 0x9f000, MEM_USABLE)};
	CHECK_EQ(frame_init(&fa, unsorted, 2, meta, sizeof(meta)), FRAME_ERR_BAD_MAP);
	struct mem_region overlap[] = {R(0, 2 * MIB, MEM_USABLE), R(MIB, MIB, MEM_RESERVED)};
	CHECK_EQ(frame_init(&fa, overlap, 2, meta, sizeof(meta)), FRAME_ERR_BAD_MAP);
	struct mem_region unaligned[] = {R(0x1800, MIB, MEM_USABLE)};
	CHECK_EQ(frame_init(&fa, unaligned, 1, meta, sizeof(meta)), FRAME_ERR_BAD_MAP);
	struct mem_region none[] = {R(0, MIB, MEM_RESERVED)};
	CHECK_EQ(frame_init(&fa, none, 1, meta, sizeof(meta)), FRAME_ERR_BAD_MAP);
	CHECK_EQ(frame_meta_bytes(none, 1), 0);
	struct mem_region ok[] = {R(0, 64 * MIB, MEM_USABLE)};
	uint64_t need = frame_meta_bytes(ok, 1);
	CHECK(need > 0 && need <= sizeof(meta));
	CHECK_EQ(frame_init(&fa, ok, 1, meta, need - 1), FRAME_ERR_META);
	CHECK_EQ(frame_init(&fa, ok, 1, (char *)meta + 4, need), FRAME_ERR_META);
	CHECK_EQ(frame_init(&fa, ok, 1, NULL, need), FRAME_ERR_META);
	CHECK_EQ(frame_init(&fa, ok, 1, meta, need), FRAME_OK);
	CHECK_EQ(frame_check(&fa), 0);
	CHECK(strstr(frame_strerror(FRAME_ERR_NOT_ALLOCATED), "double free") != NULL);
}

TEST(frame_bad_frees_refused_state_unchanged)
{
	struct mem_region map[] = {R(0, 0x9f000, MEM_USABLE), R(0x9f000, 0x61000, MEM_RESERVED),
	                           R(MIB, 3 * MIB, MEM_USABLE)};
	struct frame_allocator fa;
	void *meta = setup(&fa, map, 3);
	REQUIRE(meta);
	frame_reserve(&fa, 0, MIB);
	uint64_t a = frame_alloc(&fa);
	uint64_t run = frame_alloc_run(&fa, 8, 8);
	CHECK_EQ(a, MIB);
	CHECK_EQ(run, MIB + 8 * PAGE);
	struct frame_stats before = frame_stats(&fa);

	CHECK_EQ(frame_free(&fa, a + 1), FRAME_ERR_UNALIGNED);
	CHECK_EQ(frame_free(&fa, a + PAGE), FRAME_ERR_NOT_ALLOCATED); /* never allocated */
	CHECK_EQ(frame_free(&fa, 0x50000), FRAME_ERR_RESERVED);       /* first MiB */
	CHECK_EQ(frame_free(&fa, 0xa0000), FRAME_ERR_RANGE);          /* not usable memory */
	CHECK_EQ(frame_free(&fa, 8 * GIB), FRAME_ERR_RANGE);
	CHECK_EQ(frame_free(&fa, UINT64_MAX & ~0xfffULL), FRAME_ERR_RANGE);
	CHECK_EQ(frame_free_run(&fa, run, 0), FRAME_ERR_RANGE);
	CHECK_EQ(frame_free_run(&fa, run, 9), FRAME_ERR_NOT_ALLOCATED);    /* one past the run */
	CHECK_EQ(frame_free_run(&fa, 4 * MIB - PAGE, 2), FRAME_ERR_RANGE); /* past the zone */
	CHECK_EQ(frame_free_run(&fa, a, UINT64_MAX), FRAME_ERR_RANGE);

	struct frame_stats after = frame_stats(&fa);
	CHECK_EQ(after.free_frames, before.free_frames);
	CHECK_EQ(after.used_frames, before.used_frames);
	CHECK_EQ(after.frees, before.frees);
	CHECK_EQ(after.bad_frees, before.bad_frees + 10);
	for (uint64_t k = 0; k < 8; k++)
		CHECK_EQ(frame_state(&fa, run + k * PAGE), FRAME_STATE_USED);

	/* Double free: the first succeeds, the second is refused. */
	CHECK_EQ(frame_free(&fa, a), FRAME_OK);
	CHECK_EQ(frame_free(&fa, a), FRAME_ERR_NOT_ALLOCATED);
	/* A run can be given back in pieces. */
	CHECK_EQ(frame_free_run(&fa, run + 4 * PAGE, 4), FRAME_OK);
	CHECK_EQ(frame_free_run(&fa, run, 8), FRAME_ERR_NOT_ALLOCATED);
	CHECK_EQ(frame_state(&fa, run), FRAME_STATE_USED);
	CHECK_EQ(frame_free_run(&fa, run, 4), FRAME_OK);
	CHECK_EQ(frame_stats(&fa).used_frames, 0);
	CHECK_EQ(frame_check(&fa), 0);
	free(meta);
}

TEST(frame_reserve_rules)
{
	struct mem_region map[] = {R(0, 16 * MIB, MEM_USABLE), R(16 * MIB, MIB, MEM_RESERVED),
	                           R(17 * MIB, 15 * MIB, MEM_USABLE)};
	struct frame_allocator fa;
	void *meta = setup(&fa, map, 3);
	REQUIRE(meta);
	uint64_t total = frame_stats(&fa).total_frames;
	CHECK_EQ(total, 31 * 256);
	/* Unaligned: every frame touched is reserved; non-usable parts are ignored. */
	frame_reserve(&fa, 2 * MIB + 0x800, 0x1000);         /* touches 2 frames */
	frame_reserve(&fa, 16 * MIB - PAGE, MIB + 2 * PAGE); /* 1 + (hole) + 1 frames */
	frame_reserve(&fa, 2 * MIB, PAGE);                   /* again: no change */
	frame_reserve(&fa, 64 * MIB, UINT64_MAX);            /* beyond RAM, wraps: clipped */
	frame_reserve(&fa, 5 * MIB, 0);                      /* empty */
	struct frame_stats st = frame_stats(&fa);
	CHECK_EQ(st.reserved_frames, 1 + 2 + 2);
	CHECK_EQ(st.free_frames, total - 5);
	CHECK_EQ(frame_state(&fa, 2 * MIB + PAGE), FRAME_STATE_RESERVED);
	CHECK_EQ(frame_state(&fa, 2 * MIB + 2 * PAGE), FRAME_STATE_FREE);
	CHECK_EQ(frame_state(&fa, 16 * MIB), FRAME_STATE_UNMANAGED);
	CHECK_EQ(frame_state(&fa, 17 * MIB), FRAME_STATE_RESERVED);

	/* Reserving an allocated frame takes it over: counted, and no longer freeable. */
	uint64_t f = frame_alloc(&fa);
	CHECK_EQ(f, PAGE);
	frame_reserve(&fa, f, PAGE);
	st = frame_stats(&fa);
	CHECK_EQ(st.used_frames, 0);
	CHECK_EQ(st.reserve_conflicts, 1);
	CHECK_EQ(frame_free(&fa, f), FRAME_ERR_RESERVED);

	/* A run never includes a reserved frame nor crosses a non-usable hole. */
	uint64_t r = frame_alloc_run(&fa, 600, 1);
	CHECK_EQ(r, 2 * MIB + 2 * PAGE);
	uint64_t big = frame_alloc_run(&fa, 15 * 256 - 1, 1);
	CHECK_EQ(big, 17 * MIB + PAGE);
	CHECK_EQ(frame_alloc_run(&fa, 14 * 256, 1), 0);
	CHECK_EQ(frame_check(&fa), 0);
	free(meta);
}

TEST(frame_runs_aligned)
{
	struct mem_region map[] = {R(0, 64 * MIB, MEM_USABLE)};
	struct frame_allocator fa;
	void *meta = setup(&fa, map, 1);
	REQUIRE(meta);
	frame_reserve(&fa, 0, MIB);
	CHECK_EQ(frame_alloc_run(&fa, 1, 512), 2 * MIB); /* 2 MiB aligned */
	CHECK_EQ(frame_alloc_run(&fa, 512, 512), 4 * MIB);
	CHECK_EQ(frame_alloc(&fa), MIB);                  /* lowest first */
	CHECK_EQ(frame_alloc_run(&fa, 3, 0), MIB + PAGE); /* align 0 means 1 */
	CHECK_EQ(frame_alloc_run(&fa, 2, 3), 0);          /* not a power of two */
	CHECK_EQ(frame_alloc_run(&fa, 0, 1), 0);
	CHECK_EQ(frame_alloc_run(&fa, 64 * 256, 1), 0); /* more than is free */
	CHECK_EQ(frame_alloc_run(&fa, 1, 1ULL << 50), 0);
	CHECK_EQ(frame_alloc_run(&fa, 8192, 8192), 32 * MIB);
	CHECK_EQ(frame_stats(&fa).failures, 4);
	CHECK_EQ(frame_check(&fa), 0);
	free(meta);
}

TEST(frame_far_apart_regions_small_metadata)
{
	/* RAM at 1 MiB, at 4 GiB, at 1 TiB and near the 52-bit limit. */
	const uint64_t tib = 1ULL << 40, top = (1ULL << 52) - 16 * PAGE;
	struct mem_region map[] = {R(MIB, 16 * PAGE, MEM_USABLE), R(4 * GIB, 16 * PAGE, MEM_USABLE),
	                           R(tib, 16 * PAGE, MEM_USABLE), R(top, 16 * PAGE, MEM_USABLE)};
	uint64_t bytes = frame_meta_bytes(map, 4);
	CHECK(bytes <= 4 * sizeof(struct frame_zone) + 3 * sizeof(uint64_t));
	struct frame_allocator fa;
	void *meta = setup(&fa, map, 4);
	REQUIRE(meta);
	CHECK_EQ(frame_stats(&fa).total_frames, 64);
	for (int i = 0; i < 64; i++) {
		uint64_t f = frame_alloc(&fa);
		uint64_t want = (i < 16   ? MIB
		                 : i < 32 ? 4 * GIB
		                 : i < 48 ? tib
		                          : top) +
		                (uint64_t)(i % 16) * PAGE;
		CHECK_EQ(f, want);
	}
	CHECK_EQ(frame_alloc(&fa), 0);
	CHECK_EQ(frame_free_run(&fa, tib, 16), FRAME_OK);
	CHECK_EQ(frame_alloc_run(&fa, 16, 16), tib);
	CHECK_EQ(frame_free(&fa, top + 15 * PAGE), FRAME_OK);
	CHECK_EQ(frame_alloc(&fa), top + 15 * PAGE);
	CHECK_EQ(frame_check(&fa), 0);
	free(meta);

	/* A 3 GiB guest (0-3 GiB and 4-4.25 GiB): about 2 bits per frame. */
	struct mem_region big[] = {R(0, 0x9f000, MEM_USABLE), R(MIB, 3 * GIB - MIB, MEM_USABLE),
	                           R(4 * GIB, GIB / 4, MEM_USABLE)};
	uint64_t frames = 0x9f + (3 * GIB - MIB) / PAGE + GIB / 4 / PAGE;
	bytes = frame_meta_bytes(big, 3);
	CHECK(bytes >= frames / 4 && bytes < frames / 4 + frames / 200 + 256);
	meta = setup(&fa, big, 3);
	REQUIRE(meta);
	CHECK_EQ(frame_stats(&fa).total_frames, frames);
	CHECK_EQ(frame_alloc_run(&fa, 128 * MIB / PAGE, 512), 2 * MIB);
	CHECK_EQ(frame_alloc_run(&fa, GIB / PAGE, 512), 130 * MIB);
	CHECK_EQ(frame_alloc_run(&fa, 2 * GIB / PAGE, 1), 0); /* no zone has 2 GiB left */
	CHECK_EQ(frame_alloc_run(&fa, GIB / 4 / PAGE, 1), 1154 * MIB);
	CHECK_EQ(frame_alloc_run(&fa, (3072 - 1410) * MIB / PAGE, 1), 1410 * MIB);
	CHECK_EQ(frame_alloc_run(&fa, GIB / 4 / PAGE, 1), 4 * GIB); /* only RAM above 4 GiB */
	CHECK_EQ(frame_alloc_run(&fa, 1, 1), PAGE);                 /* singles still fit low */
	CHECK_EQ(frame_check(&fa), 0);
	free(meta);
}

TEST(frame_check_notices_corruption)
{
	struct mem_region map[] = {R(0, 8 * MIB, MEM_USABLE)};
	struct frame_allocator fa;
	void *meta = setup(&fa, map, 1);
	REQUIRE(meta);
	CHECK_EQ(frame_check(&fa), 0);
	fa.stats.free_frames++;
	CHECK(frame_check(&fa) != 0);
	fa.stats.free_frames--;
	fa.reserved_map[3] |= 1; /* reserved and free at once */
	CHECK(frame_check(&fa) != 0);
	fa.reserved_map[3] &= ~1ULL;
	fa.free_map.level[1][0] &= ~2ULL; /* summary bit lost */
	CHECK(frame_check(&fa) != 0);
	free(meta);
}
