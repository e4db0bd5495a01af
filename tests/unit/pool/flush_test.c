/*
 * Flushes: flush-all by generation (cheap, correct at once, frames reused),
 * the overflow slow path with 10^4 aliases touching only candidate tables,
 * and the audit catching deliberate corruption.
 */
#include "tests/unit/harness.h"
#include "pool/track.h"
#include "tests/unit/pool/env.h"

#define RW (POOL_PTE_P | POOL_PTE_RW | POOL_PTE_US)

static void build(struct pool *p, uint64_t base_gfn)
{
	uint16_t pml4, pdpt, pd, pt;
	pool_alloc(p, POOL_KIND_PML4_LONG, (base_gfn + 0) << 12, 0, 0, 0, &pml4, NULL);
	pool_root_set(p, 0, pml4);
	pool_alloc(p, POOL_KIND_PDPT_LONG, (base_gfn + 1) << 12, 0, pml4, 0, &pdpt, NULL);
	pool_alloc(p, POOL_KIND_PD_PAE, (base_gfn + 2) << 12, 0, pdpt, 0, &pd, NULL);
	for (uint32_t i = 0; i < 4; i++) {
		pool_alloc(p, POOL_KIND_PT_PAE, (base_gfn + 3 + i) << 12, 0, pd, i, &pt, NULL);
		for (uint32_t j = 0; j < 10; j++)
			pool_leaf_set(p, pt, j, 40 + (i + j) % 8, RW);
	}
}

TEST(flush_all_by_generation)
{
	struct tenv *t = tenv_new(64, 64);
	struct pool_config cfg = {.max_pages = 16};
	REQUIRE(tenv_init(t, &cfg) == POOL_OK);
	struct pool *p = &t->pool;
	build(p, 1);
	CHECK(tenv_audit(t));
	CHECK_EQ(p->used, 7);
	unsigned out = t->out;
	uint32_t gen = pool_generation(p);
	pool_flush_all(p);
	CHECK_EQ(pool_generation(p), gen + 1);
	CHECK_EQ(p->used, 0);
	CHECK_EQ(pool_root_get(p, 0), 0);
	CHECK(!pool_gfn_monitored(p, 4));
	CHECK_EQ(pool_lookup(p, POOL_KIND_PT_PAE, 4 << 12, 0), 0);
	CHECK(tenv_audit(t));
	/* tracking words are stale, not rewritten: flush-all touched none */
	CHECK(track_tag(t->track[40]) != TRACK_TAG_NONE);
	CHECK_EQ(pool_flush_gfn(p, 40), 0);
	/* rebuilding reuses the frames */
	build(p, 10);
	CHECK_EQ(t->out, out);
	CHECK(tenv_audit(t));
	/* many generations, across the 11-bit wrap and its sweep */
	for (unsigned i = 0; i < 2 * TRACK_GEN_PERIOD + 5; i++) {
		pool_flush_all(p);
		if (i % 397 == 0 || i + 3 > 2 * TRACK_GEN_PERIOD) {
			build(p, 1 + i % 20);
			if (!tenv_audit(t)) {
				CHECK(0);
				break;
			}
		}
	}
	CHECK(tenv_audit(t));
	CHECK_EQ(t->out, out);
	CHECK_EQ(tenv_free(t), 0);
}

TEST(ten_thousand_aliases_slow_path_touches_candidates_only)
{
	enum { ALIASES = 10000, PTS = (ALIASES + 511) / 512, BYSTANDERS = 30 };
	struct tenv *t = tenv_new(64, PTS + BYSTANDERS + 8);
	struct pool_config cfg = {.max_pages = PTS + BYSTANDERS + 4, .grow_step = 16};
	REQUIRE(tenv_init(t, &cfg) == POOL_OK);
	struct pool *p = &t->pool;
	uint16_t pt;
	/* bystanders: tables mapping other frames, some with chains */
	for (uint32_t b = 0; b < BYSTANDERS; b++) {
		REQUIRE(pool_alloc(p, POOL_KIND_PT_IDENTITY, (uint64_t)(100 + b) << 21, 0, 0, 0,
		                   &pt, NULL) == POOL_OK);
		for (uint32_t j = 0; j < 512; j++)
			REQUIRE(pool_leaf_set(p, pt, j, 1 + (j % 50), RW) == POOL_OK);
	}
	for (uint32_t n = 0; n < ALIASES; n++) {
		if (n % 512 == 0)
			REQUIRE(pool_alloc(p, POOL_KIND_PT_SPLIT_2M, (uint64_t)n << 12, 0, 0, 0,
			                   &pt, NULL) == POOL_OK);
		REQUIRE(pool_leaf_set(p, pt, n % 512, 60, RW) == POOL_OK);
	}
	CHECK(track_overflowed(t->track[60]));
	CHECK(tenv_audit(t));
	/* frames 1..50 are mapped 30 x 512 / 50 times each: they overflowed too,
	 * so their pages are candidates; flush those first */
	for (uint64_t g = 1; g <= 50; g++)
		pool_flush_gfn(p, g);
	uint64_t before = p->stats.slow_scans;
	CHECK_EQ(pool_flush_gfn(p, 60), ALIASES);
	CHECK_EQ(p->stats.slow_scans, before + 1);
	CHECK_EQ(p->stats.slow_pages_last, PTS); /* not the whole pool */
	CHECK_EQ(p->ovf_head, 0);
	CHECK_EQ(track_tag(t->track[60]), TRACK_TAG_NONE);
	CHECK(tenv_audit(t));
	/* overflow ends with the flush: the frame is tracked exactly again */
	REQUIRE(pool_leaf_set(p, pt, 0, 60, RW) == POOL_OK);
	CHECK_EQ(track_tag(t->track[60]), TRACK_TAG_SINGLE);
	/* monitoring an overflowed frame write-protects through the slow path too */
	for (uint32_t j = 1; j < 60; j++)
		REQUIRE(pool_leaf_set(p, pt, j, 61, RW) == POOL_OK);
	CHECK(track_overflowed(t->track[61]));
	uint16_t gpt;
	uint64_t wp = p->stats.write_protects;
	REQUIRE(pool_alloc(p, POOL_KIND_PT_PAE, 61 << 12, 0, 0, 0, &gpt, NULL) == POOL_OK);
	CHECK_EQ(p->stats.write_protects, wp + 59);
	CHECK_EQ(p->stats.slow_pages_last, 1);
	CHECK(tenv_audit(t));
	CHECK_EQ(tenv_free(t), 0);
}

static int audit_says(struct tenv *t, const char *words)
{
	char buf[256];
	int r = pool_audit(&t->pool, buf, sizeof(buf));
	if (r == 0 || !strstr(buf, words)) {
		printf("  audit said \"%s\", expected \"%s\"\n", buf, words);
		return 0;
	}
	return 1;
}

TEST(audit_catches_corruption)
{
	struct tenv *t = tenv_new(64, 64);
	REQUIRE(tenv_init(t, NULL) == POOL_OK);
	struct pool *p = &t->pool;
	uint16_t pd, pt;
	REQUIRE(pool_alloc(p, POOL_KIND_PD_IDENTITY, 0, 0, 0, 0, &pd, NULL) == POOL_OK);
	REQUIRE(pool_alloc(p, POOL_KIND_PT_IDENTITY, 0, 0, pd, 3, &pt, NULL) == POOL_OK);
	REQUIRE(pool_leaf_set(p, pt, 5, 9, RW) == POOL_OK);
	REQUIRE(pool_leaf_set(p, pt, 6, 10, RW) == POOL_OK);
	REQUIRE(pool_leaf_set(p, pt, 7, 10, RW) == POOL_OK);
	CHECK(tenv_audit(t));
	uint64_t saved = t->track[9];
	/* tracking entry loses its reference */
	t->track[9] = track_set_refs(saved, TRACK_TAG_NONE, 0);
	CHECK(audit_says(t, "page 2 entry 5 maps gfn 0x9 but its tracking entry has no"));
	/* tracking entry names another page */
	t->track[9] = track_set_refs(saved, TRACK_TAG_SINGLE, pd);
	CHECK(audit_says(t, "tracking names page 1"));
	t->track[9] = saved;
	CHECK(tenv_audit(t));
	/* extent slot pointing at the wrong entry */
	uint16_t x = (uint16_t)track_idx(t->track[10]);
	p->extents[x].entry[0] ^= 1;
	CHECK(audit_says(t, "extent chain"));
	p->extents[x].entry[0] ^= 1;
	CHECK(tenv_audit(t));
	/* user record names the wrong parent entry */
	uint16_t u = p->pages[pt].users;
	p->users[u].entry = 4;
	CHECK(audit_says(t, "user record"));
	p->users[u].entry = 3;
	/* a leaf mapping a host address outside guest RAM */
	uint64_t *e = pool_page_entries(p, pt);
	uint64_t keep = e[5];
	e[5] = 0x7000 | RW;
	CHECK(audit_says(t, "outside guest RAM"));
	e[5] = keep;
	/* present count off */
	p->pages[pt].present++;
	CHECK(audit_says(t, "present entries"));
	p->pages[pt].present--;
	/* a page on the free list that is in use */
	p->free_head = pt;
	CHECK(audit_says(t, "free list"));
	p->free_head = 0;
	/* age list broken */
	uint16_t tail = p->age_tail;
	p->age_tail = 0;
	CHECK(audit_says(t, "age list"));
	p->age_tail = tail;
	/* writable mapping of a monitored frame */
	p->env.track[9] |= TRACK_MON_BIT;
	CHECK(audit_says(t, "writable"));
	p->env.track[9] &= ~TRACK_MON_BIT;
	CHECK(tenv_audit(t));
	CHECK_EQ(tenv_free(t), 0);
}
