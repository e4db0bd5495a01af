/*
 * Randomized test of the frame allocator against a model with one byte per
 * frame: alloc, alloc_run, free, free_run and bad frees, in phases that drive
 * it into exhaustion and back; every result and every counter is compared
 * after every operation, and the full audit runs regularly.
 */
#include "mm/frame.h"
#include "mm/memmap.h"
#include "tests/unit/harness.h"

#define PAGE 0x1000ULL
#define MIB  0x100000ULL
#define GIB  0x40000000ULL

enum { M_FREE, M_USED, M_RESERVED };

/* A map with holes, non-usable regions, unaligned reservations and RAM above 4 GiB. */
static const struct mem_region map[] = {
    {0, 0x9f000, MEM_USABLE, 0},
    {0x9f000, 0x61000, MEM_RESERVED, 0},
    {MIB, 7 * MIB, MEM_USABLE, 0},
    {8 * MIB, 64 * 1024, MEM_ACPI_RECLAIM, 0},
    {8 * MIB + 64 * 1024, 8 * MIB - 64 * 1024, MEM_USABLE, 0},
    {4 * GIB, 4 * MIB, MEM_USABLE, 0},
    {4 * GIB + 4 * MIB, 4 * MIB, MEM_BAD, 0},
    {4 * GIB + 8 * MIB, 2 * MIB + 5 * PAGE, MEM_USABLE, 0},
};
#define NMAP (sizeof(map) / sizeof(map[0]))

struct model {
	uint64_t pfn[8192]; /* managed frame numbers, ascending */
	uint8_t state[8192];
	uint64_t n;
	uint64_t free, used, reserved, high;
};

struct allocation {
	uint64_t phys, count;
};

static struct model m;
static struct allocation live[8192];
static uint64_t nlive;
static uint64_t rng;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static int64_t model_index(uint64_t pfn)
{
	uint64_t lo = 0, hi = m.n;
	while (lo < hi) {
		uint64_t mid = (lo + hi) / 2;
		if (m.pfn[mid] < pfn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m.n && m.pfn[lo] == pfn ? (int64_t)lo : -1;
}

static void model_init(void)
{
	memset(&m, 0, sizeof(m));
	for (unsigned i = 0; i < NMAP; i++)
		if (map[i].type == MEM_USABLE)
			for (uint64_t p = map[i].base / PAGE;
			     p < (map[i].base + map[i].length) / PAGE; p++)
				m.pfn[m.n++] = p;
	m.free = m.n;
}

static void model_reserve(uint64_t base, uint64_t length)
{
	for (uint64_t p = base / PAGE; p <= (base + length - 1) / PAGE; p++) {
		int64_t i = model_index(p);
		if (i < 0 || m.state[i] == M_RESERVED)
			continue;
		if (m.state[i] == M_FREE)
			m.free--;
		else
			m.used--;
		m.state[i] = M_RESERVED;
		m.reserved++;
	}
}

/* Lowest run of count free frames, physically contiguous and aligned; -1 if none. */
static int64_t model_find_run(uint64_t count, uint64_t align)
{
	for (uint64_t i = 0; i + count <= m.n; i++) {
		if (m.pfn[i] % align)
			continue;
		if (m.pfn[i + count - 1] - m.pfn[i] != count - 1)
			continue;
		uint64_t k = 0;
		while (k < count && m.state[i + k] == M_FREE)
			k++;
		if (k == count)
			return (int64_t)i;
	}
	return -1;
}

static void model_set(uint64_t i, uint64_t count, uint8_t state)
{
	for (uint64_t k = 0; k < count; k++)
		m.state[i + k] = state;
	if (state == M_USED) {
		m.free -= count;
		m.used += count;
		if (m.used > m.high)
			m.high = m.used;
	} else {
		m.free += count;
		m.used -= count;
	}
}

static int counters_match(const struct frame_allocator *fa)
{
	struct frame_stats st = frame_stats(fa);
	return st.total_frames == m.n && st.free_frames == m.free && st.used_frames == m.used &&
	       st.reserved_frames == m.reserved && st.high_watermark == m.high;
}

static int do_alloc_run(struct frame_allocator *fa, uint64_t count, uint64_t align)
{
	uint64_t got =
	    count == 1 && align == 1 ? frame_alloc(fa) : frame_alloc_run(fa, count, align);
	int64_t want = model_find_run(count, align);
	if (want < 0)
		return got == 0;
	if (got != m.pfn[want] * PAGE)
		return 0;
	model_set((uint64_t)want, count, M_USED);
	live[nlive++] = (struct allocation){got, count};
	return 1;
}

static int do_free(struct frame_allocator *fa)
{
	if (nlive == 0)
		return 1;
	uint64_t k = rnd() % nlive;
	struct allocation a = live[k];
	int rc = a.count == 1 ? frame_free(fa, a.phys) : frame_free_run(fa, a.phys, a.count);
	if (rc != FRAME_OK)
		return 0;
	model_set((uint64_t)model_index(a.phys / PAGE), a.count, M_FREE);
	live[k] = live[--nlive];
	return 1;
}

/* A free that must be refused, leaving every counter but bad_frees as it was. */
static int do_bad_free(struct frame_allocator *fa)
{
	uint64_t i = rnd() % m.n, phys = m.pfn[i] * PAGE;
	int want, rc;
	switch (rnd() % 4) {
	case 0: /* double free, never allocated, or reserved */
		if (m.state[i] == M_USED)
			return 1;
		want = m.state[i] == M_FREE ? FRAME_ERR_NOT_ALLOCATED : FRAME_ERR_RESERVED;
		rc = frame_free(fa, phys);
		break;
	case 1:
		want = FRAME_ERR_UNALIGNED;
		rc = frame_free(fa, phys + 1 + rnd() % (PAGE - 1));
		break;
	case 2: /* not usable memory */
		want = FRAME_ERR_RANGE;
		rc = frame_free(fa, (rnd() % 2 ? 0xa0000 : 4 * GIB + 5 * MIB));
		break;
	default: /* a run that goes one frame past a live allocation */
		if (nlive == 0)
			return 1;
		{
			struct allocation a = live[rnd() % nlive];
			int64_t last = model_index(a.phys / PAGE + a.count);
			if (last < 0)
				want = FRAME_ERR_RANGE;
			else if (m.state[last] == M_USED)
				return 1;
			else
				want = m.state[last] == M_FREE ? FRAME_ERR_NOT_ALLOCATED
				                               : FRAME_ERR_RESERVED;
			rc = frame_free_run(fa, a.phys, a.count + 1);
		}
	}
	return rc == want;
}

static const uint64_t aligns[] = {1, 1, 2, 8, 16, 64, 512};

static void run_seed(uint64_t seed, int ops)
{
	struct frame_allocator fa;
	uint64_t bytes = frame_meta_bytes(map, NMAP);
	void *meta = malloc(bytes);
	uint64_t exhausted = 0, refused = 0;

	REQUIRE(meta);
	rng = seed;
	nlive = 0;
	model_init();
	REQUIRE(frame_init(&fa, map, NMAP, meta, bytes) == FRAME_OK);
	model_reserve(0, PAGE);
	const struct mem_range reserve[] = {
	    {0, MIB}, {2 * MIB, 0x80000}, {8 * MIB + 0x12345, 1}, {4 * GIB - PAGE, 3 * PAGE}};
	for (unsigned i = 0; i < 4; i++) {
		frame_reserve(&fa, reserve[i].base, reserve[i].length);
		model_reserve(reserve[i].base, reserve[i].length);
	}
	REQUIRE(counters_match(&fa));

	for (int op = 0; op < ops; op++) {
		/* Phases of 3000 ops: allocation-heavy, then free-heavy. */
		int alloc_bias = (op / 3000) % 2 == 0 ? 75 : 30;
		uint64_t r = rnd() % 100, before_bad = frame_stats(&fa).bad_frees;
		int ok;
		if (r < (uint64_t)alloc_bias * 2 / 3) {
			ok = do_alloc_run(&fa, 1, 1);
			exhausted += m.free == 0;
		} else if (r < (uint64_t)alloc_bias) {
			ok = do_alloc_run(&fa, 1 + rnd() % (rnd() % 4 ? 16 : 300),
			                  aligns[rnd() % 7]);
		} else if (r < 95) {
			ok = do_free(&fa);
		} else {
			ok = do_bad_free(&fa);
			refused += frame_stats(&fa).bad_frees - before_bad;
		}
		if (!ok || !counters_match(&fa)) {
			printf("  seed %llu op %d: mismatch (ok=%d)\n", (unsigned long long)seed,
			       op, ok);
			CHECK(0);
			break;
		}
		if (op % 500 == 0)
			CHECK_EQ(frame_check(&fa), 0);
	}
	/* Never handed out twice, never a reserved or unusable frame: the states agree. */
	for (uint64_t i = 0; i < m.n; i++) {
		enum frame_state s = frame_state(&fa, m.pfn[i] * PAGE);
		enum frame_state want = m.state[i] == M_FREE   ? FRAME_STATE_FREE
		                        : m.state[i] == M_USED ? FRAME_STATE_USED
		                                               : FRAME_STATE_RESERVED;
		if (s != want) {
			CHECK_EQ(s, want);
			break;
		}
	}
	CHECK_EQ(frame_check(&fa), 0);
	CHECK(exhausted > 0); /* the sequence did reach exhaustion... */
	CHECK(refused > 50);  /* ...and tried bad frees */
	/* Everything back: all frees succeed and the allocator is whole again. */
	while (nlive) {
		if (!do_free(&fa)) {
			CHECK(0);
			break;
		}
	}
	CHECK_EQ(frame_stats(&fa).free_frames, m.n - m.reserved);
	CHECK_EQ(frame_stats(&fa).used_frames, 0);
	CHECK_EQ(frame_check(&fa), 0);
	free(meta);
}

TEST(frame_random_seed_1)
{
	run_seed(1, 30000);
}

TEST(frame_random_seed_2)
{
	run_seed(0xdeadbeefcafeULL, 30000);
}

TEST(frame_random_seed_3)
{
	run_seed(424242, 30000);
}

TEST(frame_random_seed_4)
{
	run_seed(0x123456789ULL, 30000);
}
