/*
 * Exhaustion paths: pool maximum -> LRU eviction, everything locked, frame
 * source failing, user records running out, growth steps, and fault injection
 * at every frame-source call of a scripted workload.
 */
#include "tests/unit/harness.h"
#include "tests/unit/pool/env.h"

#define RW (POOL_PTE_P | POOL_PTE_RW | POOL_PTE_US)

TEST(growth_in_steps)
{
	struct tenv *t = tenv_new(64, 64);
	struct pool_config cfg = {.max_pages = 10, .grow_step = 4};
	REQUIRE(tenv_init(t, &cfg) == POOL_OK);
	uint16_t a;
	CHECK_EQ(t->out, 0);
	REQUIRE(pool_alloc(&t->pool, POOL_KIND_PT_IDENTITY, 0, 0, 0, 0, &a, NULL) == POOL_OK);
	CHECK_EQ(t->out, 4);
	for (uint64_t i = 1; i < 10; i++)
		REQUIRE(pool_alloc(&t->pool, POOL_KIND_PT_IDENTITY, i << 21, 0, 0, 0, &a, NULL) ==
		        POOL_OK);
	CHECK_EQ(t->out, 10); /* 4 + 4 + 2: never beyond the maximum */
	CHECK_EQ(t->pool.grown, 10);
	CHECK_EQ(t->pool.stats.evictions, 0);
	CHECK(tenv_audit(t));
	CHECK_EQ(tenv_free(t), 0);
}

TEST(pool_maximum_evicts_lru)
{
	struct tenv *t = tenv_new(64, 64);
	struct pool_config cfg = {.max_pages = 4, .grow_step = 4};
	REQUIRE(tenv_init(t, &cfg) == POOL_OK);
	struct pool *p = &t->pool;
	uint16_t idx[5];
	for (uint64_t i = 0; i < 4; i++)
		REQUIRE(pool_alloc(p, POOL_KIND_PT_PAE, (i + 1) << 12, 0, 0, 0, &idx[i], NULL) ==
		        POOL_OK);
	pool_touch(p, idx[0]); /* idx[1] is now the oldest */
	REQUIRE(pool_leaf_set(p, idx[1], 0, 40, RW) == POOL_OK);
	REQUIRE(pool_alloc(p, POOL_KIND_PT_PAE, 5 << 12, 0, 0, 0, &idx[4], NULL) == POOL_OK);
	CHECK_EQ(idx[4], idx[1]); /* its slot was reused */
	CHECK_EQ(p->stats.evictions, 1);
	CHECK_EQ(pool_lookup(p, POOL_KIND_PT_PAE, 2 << 12, 0), 0);
	CHECK(!pool_gfn_monitored(p, 2));
	CHECK(pool_gfn_monitored(p, 5));
	CHECK_EQ(t->track[40] >> 62, 0);           /* its reference was dropped */
	CHECK_EQ(pool_page_present(p, idx[4]), 0); /* and the page zeroed */
	CHECK(tenv_audit(t));
	CHECK_EQ(tenv_free(t), 0);
}

TEST(all_locked_fails)
{
	struct tenv *t = tenv_new(64, 64);
	struct pool_config cfg = {.max_pages = 3};
	REQUIRE(tenv_init(t, &cfg) == POOL_OK);
	struct pool *p = &t->pool;
	uint16_t a;
	for (uint64_t i = 0; i < 3; i++) {
		REQUIRE(pool_alloc(p, POOL_KIND_PT_PAE, i << 12, 0, 0, 0, &a, NULL) == POOL_OK);
		pool_lock(p, a);
	}
	CHECK_EQ(pool_alloc(p, POOL_KIND_PT_PAE, 9 << 12, 0, 0, 0, &a, NULL), POOL_ERR_ALL_LOCKED);
	CHECK_EQ(p->stats.alloc_failures, 1);
	/* a hit still works */
	CHECK_EQ(pool_alloc(p, POOL_KIND_PT_PAE, 1 << 12, 0, 0, 0, &a, NULL), POOL_OK);
	pool_unlock(p, a);
	CHECK_EQ(pool_alloc(p, POOL_KIND_PT_PAE, 9 << 12, 0, 0, 0, &a, NULL), POOL_OK);
	CHECK_EQ(p->stats.evictions, 1);
	CHECK(tenv_audit(t));
	CHECK_EQ(tenv_free(t), 0);
}

TEST(frame_source_exhausted)
{
	struct tenv *t = tenv_new(64, 64);
	struct pool_config cfg = {.max_pages = 10, .grow_step = 1};
	REQUIRE(tenv_init(t, &cfg) == POOL_OK);
	struct pool *p = &t->pool;
	uint16_t a, b;
	t->fail_from = 3;
	REQUIRE(pool_alloc(p, POOL_KIND_PT_PAE, 1 << 12, 0, 0, 0, &a, NULL) == POOL_OK);
	REQUIRE(pool_alloc(p, POOL_KIND_PT_PAE, 2 << 12, 0, 0, 0, &b, NULL) == POOL_OK);
	pool_lock(p, a);
	/* no frame: the unlocked page is evicted instead */
	REQUIRE(pool_alloc(p, POOL_KIND_PT_PAE, 3 << 12, 0, 0, 0, &b, NULL) == POOL_OK);
	CHECK_EQ(p->stats.evictions, 1);
	pool_lock(p, b);
	CHECK_EQ(pool_alloc(p, POOL_KIND_PT_PAE, 4 << 12, 0, 0, 0, &b, NULL), POOL_ERR_NO_FRAME);
	CHECK(p->stats.frame_failures >= 2);
	CHECK(tenv_audit(t));
	CHECK_EQ(tenv_free(t), 0);
}

TEST(user_records_exhausted)
{
	struct tenv *t = tenv_new(64, 64);
	struct pool_config cfg = {.max_pages = 16, .users = 2};
	REQUIRE(tenv_init(t, &cfg) == POOL_OK);
	struct pool *p = &t->pool;
	uint16_t root, c1, c2, c3;
	REQUIRE(pool_alloc(p, POOL_KIND_PD_IDENTITY, 0, 0, 0, 0, &root, NULL) == POOL_OK);
	pool_lock(p, root);
	REQUIRE(pool_alloc(p, POOL_KIND_PT_IDENTITY, 0, 0, root, 0, &c1, NULL) == POOL_OK);
	REQUIRE(pool_alloc(p, POOL_KIND_PT_IDENTITY, 1 << 21, 0, root, 1, &c2, NULL) == POOL_OK);
	CHECK_EQ(p->users_used, 2);
	/* third link: evicts the oldest unlocked page (c1) to free its record */
	REQUIRE(pool_alloc(p, POOL_KIND_PT_IDENTITY, 2 << 21, 0, root, 2, &c3, NULL) == POOL_OK);
	CHECK_EQ(p->stats.user_evictions, 1);
	CHECK_EQ(pool_lookup(p, POOL_KIND_PT_IDENTITY, 0, 0), 0);
	CHECK_EQ(pool_page_entries(p, root)[0], 0);
	CHECK(tenv_audit(t));
	/* everything locked: no user record can be freed */
	uint16_t c4;
	pool_lock(p, c2);
	pool_lock(p, c3);
	REQUIRE(pool_alloc(p, POOL_KIND_PT_IDENTITY, 3 << 21, 0, 0, 0, &c4, NULL) == POOL_OK);
	pool_lock(p, c4);
	CHECK_EQ(pool_link(p, root, 3, c4, RW), POOL_ERR_NO_USER);
	CHECK_EQ(p->stats.user_failures, 1);
	CHECK_EQ(pool_page_entries(p, root)[3], 0);
	CHECK(tenv_audit(t));
	CHECK_EQ(tenv_free(t), 0);
}

/*
 * A scripted workload: a long-mode hierarchy with shared PTs, aliased leaves,
 * monitored writes, frame and page flushes, flush-all. Any step may fail for
 * want of frames; none may break an invariant or leak a frame.
 */
static int workload(struct tenv *t)
{
	struct pool *p = &t->pool;
	uint16_t pml4, pdpt, pd, pt;
	int failures = 0;

	for (int round = 0; round < 3; round++) {
		if (pool_alloc(p, POOL_KIND_PML4_LONG, 1 << 12, 0, 0, 0, &pml4, NULL)) {
			failures++;
			continue;
		}
		pool_root_set(p, 0, pml4);
		for (uint32_t i = 0; i < 3; i++) {
			if (pool_alloc(p, POOL_KIND_PDPT_LONG, (2 + i) << 12, 0, pml4, i, &pdpt,
			               NULL)) {
				failures++;
				continue;
			}
			pool_lock(p, pdpt);
			for (uint32_t j = 0; j < 3; j++) {
				if (pool_alloc(p, POOL_KIND_PD_PAE, (5 + j) << 12, i, pdpt, j, &pd,
				               NULL)) {
					failures++;
					continue;
				}
				pool_lock(p, pd);
				for (uint32_t k = 0; k < 4; k++) {
					if (pool_alloc(p, POOL_KIND_PT_PAE, (8 + (j + k) % 6) << 12,
					               0, pd, k, &pt, NULL)) {
						failures++;
						continue;
					}
					for (uint32_t l = 0; l < 8; l++)
						pool_leaf_set(p, pt, l * 3 + i, 20 + (l + k) % 5,
						              RW);
					pool_leaf_set(p, pt, 300, 9, RW);
				}
				pool_unlock(p, pd);
				if (!tenv_audit(t))
					return -1;
			}
			pool_unlock(p, pdpt);
			pool_guest_write(p, (8 << 12) + 8 * i, 8, 0);
			pool_guest_write(p, (5 << 12) + 8 * i, 4, 0x1234);
			pool_flush_gfn(p, 20 + i);
			if (!tenv_audit(t))
				return -1;
		}
		pool_page_flush(p, pool_lookup(p, POOL_KIND_PD_PAE, 6 << 12, 1));
		if (round == 1)
			pool_flush_all(p);
		if (!tenv_audit(t))
			return -1;
	}
	return failures;
}

TEST(fault_injection_every_call)
{
	/* reference run without faults */
	struct tenv *t = tenv_new(64, 64);
	struct pool_config cfg = {.max_pages = 24, .grow_step = 3, .users = 40, .extents = 12};
	REQUIRE(tenv_init(t, &cfg) == POOL_OK);
	CHECK_EQ(workload(t), 0);
	unsigned calls = t->calls;
	CHECK(calls >= 8);
	CHECK_EQ(tenv_free(t), 0);

	for (unsigned n = 1; n <= 50; n++) {
		for (int persistent = 0; persistent < 2; persistent++) {
			t = tenv_new(64, 64);
			REQUIRE(tenv_init(t, &cfg) == POOL_OK);
			if (persistent)
				t->fail_from = n;
			else
				t->fail_at = n;
			int r = workload(t);
			if (r < 0)
				printf("  fault at call %u (persistent %d) broke an invariant\n", n,
				       persistent);
			CHECK(r >= 0);
			CHECK(tenv_audit(t));
			int leaked = tenv_free(t);
			if (leaked)
				printf("  fault at call %u leaked %d frames\n", n, leaked);
			CHECK_EQ(leaked, 0);
		}
	}
}
