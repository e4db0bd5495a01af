/*
 * Pool unit tests: init, tracking layout, alloc/cache, leaf references and
 * extents, links and user records, accessors, statistics printer.
 */
#define HARNESS_MAIN
#include "tests/unit/harness.h"

#include <stdarg.h>

#include "pool/track.h"
#include "tests/unit/pool/env.h"

#define RW   (POOL_PTE_P | POOL_PTE_RW | POOL_PTE_US)
#define LINK (POOL_PTE_P | POOL_PTE_RW | POOL_PTE_US)

TEST(init_refuses_bad_host_addresses)
{
	struct tenv *t = tenv_new(8, 8);
	uint64_t good = t->track[3];

	t->track[3] = 1ull << 48;
	CHECK_EQ(tenv_init(t, NULL), POOL_ERR_HOST_ADDR);
	free(t->meta);
	t->track[3] = good | 0x10;
	CHECK_EQ(tenv_init(t, NULL), POOL_ERR_HOST_ADDR);
	free(t->meta);
	t->track[3] = 0;
	CHECK_EQ(tenv_init(t, NULL), POOL_ERR_HOST_ADDR);
	free(t->meta);
	t->track[3] = t->track[5];
	CHECK_EQ(tenv_init(t, NULL), POOL_ERR_DUP_HOST);
	free(t->meta);
	t->track[3] = good;
	CHECK_EQ(tenv_init(t, NULL), POOL_OK);
	char small[16];
	struct pool p2;
	CHECK_EQ(pool_init(&p2, NULL, &t->env, small, sizeof(small)), POOL_ERR_META);
	CHECK(tenv_audit(t));
	CHECK_EQ(tenv_free(t), 0);
}

TEST(default_config)
{
	struct tenv *t = tenv_new(64, 8);
	REQUIRE(tenv_init(t, NULL) == POOL_OK);
	CHECK_EQ(t->pool.cfg.max_pages, 65);
	CHECK_EQ(t->pool.cfg.grow_step, 65);
	CHECK_EQ(t->pool.cfg.users, 130);
	CHECK_EQ(t->pool.cfg.extents, 130);
	CHECK_EQ(tenv_free(t), 0);
	struct pool_config big = {0};
	struct pool_config c;
	(void)c;
	/* a huge guest caps at 16383 pages, 512 per growth */
	size_t sz = pool_meta_size(&big, 1ull << 22);
	CHECK(sz > 16383 * sizeof(struct pool_page));
}

TEST(track_layout_round_trip)
{
	uint64_t t = 0x0000ABCDE1234000ull;
	t = track_set_refs(t, TRACK_TAG_SINGLE, 0x1234);
	CHECK_EQ(track_hpa(t), 0x0000ABCDE1234000ull);
	CHECK_EQ(track_tag(t), 1);
	CHECK_EQ(track_idx(t), 0x1234);
	t = track_set_refs(t, TRACK_TAG_EXTENTS, TRACK_IDX_OVERFLOW);
	CHECK(track_overflowed(t));
	CHECK_EQ(t >> 48, 0xFFFF);
	t = track_set_monitored(t, 1);
	CHECK(track_monitored(t));
	CHECK_EQ(track_hpa(t), 0x0000ABCDE1234000ull);
	uint64_t f = track_fresh(t, 2049);
	CHECK_EQ(f, 0x0000ABCDE1234000ull | (1u << TRACK_GEN_SHIFT));
	CHECK(track_current(f, 1));
	CHECK(!track_current(f, 2));
	/* link entries are address | flags only (legal as PAE PDEs too) */
	uint64_t l = pool_link_make(0x123456000ull, POOL_PTE_P | POOL_PTE_NX | POOL_PTE_PS);
	CHECK_EQ(l, 0x123456000ull | POOL_PTE_P | POOL_PTE_NX);
}

TEST(alloc_miss_hit_and_key)
{
	struct tenv *t = tenv_new(64, 64);
	REQUIRE(tenv_init(t, NULL) == POOL_OK);
	struct pool *p = &t->pool;
	uint16_t a, b, c, d;
	bool created;

	REQUIRE(pool_alloc(p, POOL_KIND_PT_PAE, 5 << 12, 7, 0, 0, &a, &created) == POOL_OK);
	CHECK(created);
	CHECK(a != 0);
	CHECK_EQ(pool_page_kind(p, a), POOL_KIND_PT_PAE);
	CHECK_EQ(pool_page_gfn(p, a), 5);
	CHECK_EQ(pool_page_ctx(p, a), 7);
	CHECK_EQ(pool_page_present(p, a), 0);
	uint64_t *e = pool_page_entries(p, a);
	REQUIRE(e != NULL);
	CHECK_EQ(tenv_ptr(t, pool_page_hpa(p, a)), (void *)e);
	REQUIRE(pool_alloc(p, POOL_KIND_PT_PAE, 5 << 12, 7, 0, 0, &b, &created) == POOL_OK);
	CHECK(!created);
	CHECK_EQ(a, b);
	CHECK_EQ(pool_lookup(p, POOL_KIND_PT_PAE, 5 << 12, 7), a);
	/* other context key, other kind: other pages */
	REQUIRE(pool_alloc(p, POOL_KIND_PT_PAE, 5 << 12, 8, 0, 0, &c, &created) == POOL_OK);
	CHECK(created && c != a);
	REQUIRE(pool_alloc(p, POOL_KIND_PD_PAE, 5 << 12, 7, 0, 0, &d, &created) == POOL_OK);
	CHECK(created && d != a && d != c);
	CHECK_EQ(p->stats.allocs, 4);
	CHECK_EQ(p->stats.hits, 1);
	CHECK_EQ(p->stats.misses, 3);
	CHECK_EQ(p->used, 3);
	CHECK_EQ(p->stats.pages_high, 3);
	CHECK(pool_gfn_monitored(p, 5));
	/* bad inputs */
	CHECK_EQ(pool_alloc(p, POOL_KIND_NONE, 0, 0, 0, 0, &a, NULL), POOL_ERR_INVAL);
	CHECK_EQ(pool_alloc(p, POOL_KIND_PT_PAE, 0x1008, 0, 0, 0, &a, NULL), POOL_ERR_INVAL);
	CHECK_EQ(pool_alloc(p, POOL_KIND_PT_PAE, 64 << 12, 0, 0, 0, &a, NULL), POOL_ERR_NOT_RAM);
	/* identity kinds may key on any address and are not monitored */
	CHECK_EQ(pool_alloc(p, POOL_KIND_PT_IDENTITY, 1ull << 40, 0, 0, 0, &a, NULL), POOL_OK);
	CHECK(!pool_gfn_monitored(p, 9));
	CHECK_EQ(pool_alloc(p, POOL_KIND_PDPT_PAE, (6 << 12) | 0x20, 0, 0, 0, &a, NULL), POOL_OK);
	CHECK(tenv_audit(t));
	CHECK_EQ(tenv_free(t), 0);
}

TEST(kind_mismatch_counted)
{
	struct tenv *t = tenv_new(64, 64);
	struct pool_config cfg = {.max_pages = 32};
	REQUIRE(tenv_init(t, &cfg) == POOL_OK);
	struct pool *p = &t->pool;
	uint16_t a;
	/* 64 buckets, 30 keys on the same gfn: some share a bucket */
	for (uint32_t ctx = 0; ctx < 30; ctx++)
		REQUIRE(pool_alloc(p, POOL_KIND_PT_PAE, 3 << 12, ctx, 0, 0, &a, NULL) == POOL_OK);
	for (uint32_t ctx = 0; ctx < 30; ctx++)
		REQUIRE(pool_alloc(p, POOL_KIND_PT_PAE, 3 << 12, ctx, 0, 0, &a, NULL) == POOL_OK);
	CHECK_EQ(p->stats.hits, 30);
	CHECK_EQ(p->stats.evictions, 0);
	CHECK(p->stats.kind_mismatches > 0);
	CHECK(p->stats.chain_high >= 2);
	CHECK(tenv_audit(t));
	CHECK_EQ(tenv_free(t), 0);
}

TEST(leaf_single_reference)
{
	struct tenv *t = tenv_new(64, 64);
	REQUIRE(tenv_init(t, NULL) == POOL_OK);
	struct pool *p = &t->pool;
	uint16_t pt;
	REQUIRE(pool_alloc(p, POOL_KIND_PT_SPLIT_2M, 0, 0, 0, 0, &pt, NULL) == POOL_OK);
	REQUIRE(pool_leaf_set(p, pt, 17, 9, RW | POOL_PTE_NX) == POOL_OK);
	uint64_t e = pool_page_entries(p, pt)[17];
	CHECK_EQ(e, t->track[9] & TRACK_HPA_MASK ? (pool_gfn_hpa(p, 9) | RW | POOL_PTE_NX) : 0);
	CHECK_EQ(track_tag(t->track[9]), TRACK_TAG_SINGLE);
	CHECK_EQ(track_idx(t->track[9]), pt);
	CHECK_EQ(pool_leaf_gfn(p, pt, 17), 9);
	CHECK_EQ(pool_page_present(p, pt), 1);
	CHECK(tenv_audit(t));
	/* flags update keeps the reference */
	REQUIRE(pool_leaf_update(p, pt, 17, POOL_PTE_P) == POOL_OK);
	CHECK_EQ(pool_page_entries(p, pt)[17], pool_gfn_hpa(p, 9) | POOL_PTE_P);
	CHECK_EQ(pool_leaf_update(p, pt, 18, POOL_PTE_P), POOL_ERR_INVAL);
	/* remap the entry to another frame moves the reference */
	REQUIRE(pool_leaf_set(p, pt, 17, 10, RW) == POOL_OK);
	CHECK_EQ(track_tag(t->track[9]), TRACK_TAG_NONE);
	CHECK_EQ(track_tag(t->track[10]), TRACK_TAG_SINGLE);
	CHECK(tenv_audit(t));
	pool_entry_clear(p, pt, 17);
	CHECK_EQ(track_tag(t->track[10]), TRACK_TAG_NONE);
	CHECK_EQ(pool_page_entries(p, pt)[17], 0);
	CHECK_EQ(pool_page_present(p, pt), 0);
	/* bad inputs */
	CHECK_EQ(pool_leaf_set(p, pt, 1, 64, RW), POOL_ERR_NOT_RAM);
	CHECK_EQ(pool_page_entries(p, pt)[1], 0);
	CHECK_EQ(pool_leaf_set(p, pt, 512, 1, RW), POOL_ERR_INVAL);
	CHECK_EQ(pool_leaf_set(p, pt, 1, 1, POOL_PTE_RW), POOL_ERR_INVAL);
	CHECK_EQ(pool_leaf_set(p, pt, 1, 1, RW | 0x1000), POOL_ERR_INVAL);
	uint16_t pd;
	REQUIRE(pool_alloc(p, POOL_KIND_PD_IDENTITY, 0, 0, 0, 0, &pd, NULL) == POOL_OK);
	CHECK_EQ(pool_leaf_set(p, pd, 1, 1, RW), POOL_ERR_INVAL);
	CHECK(tenv_audit(t));
	CHECK_EQ(tenv_free(t), 0);
}

TEST(extents_collect_and_collapse)
{
	struct tenv *t = tenv_new(64, 64);
	REQUIRE(tenv_init(t, NULL) == POOL_OK);
	struct pool *p = &t->pool;
	uint16_t a, b;
	REQUIRE(pool_alloc(p, POOL_KIND_PT_IDENTITY, 0, 0, 0, 0, &a, NULL) == POOL_OK);
	REQUIRE(pool_alloc(p, POOL_KIND_PT_IDENTITY, 1 << 21, 0, 0, 0, &b, NULL) == POOL_OK);
	REQUIRE(pool_leaf_set(p, a, 3, 20, RW) == POOL_OK);
	REQUIRE(pool_leaf_set(p, a, 4, 20, RW) == POOL_OK); /* same page, second entry */
	CHECK_EQ(track_tag(t->track[20]), TRACK_TAG_EXTENTS);
	CHECK_EQ(p->extents_used, 1);
	for (uint32_t i = 0; i < 5; i++)
		REQUIRE(pool_leaf_set(p, b, i, 20, RW) == POOL_OK);
	CHECK_EQ(p->extents_used, 3); /* 7 references, 3 per extent */
	CHECK(tenv_audit(t));
	for (uint32_t i = 0; i < 5; i++)
		pool_entry_clear(p, b, i);
	CHECK(tenv_audit(t));
	pool_entry_clear(p, a, 3);
	CHECK_EQ(track_tag(t->track[20]), TRACK_TAG_SINGLE);
	CHECK_EQ(track_idx(t->track[20]), a);
	CHECK_EQ(p->extents_used, 0);
	CHECK(tenv_audit(t));
	/* flush of the frame through the chain */
	for (uint32_t i = 0; i < 7; i++)
		REQUIRE(pool_leaf_set(p, b, 100 + i, 20, RW) == POOL_OK);
	CHECK_EQ(pool_flush_gfn(p, 20), 8);
	CHECK_EQ(track_tag(t->track[20]), TRACK_TAG_NONE);
	CHECK_EQ(pool_page_present(p, a) + pool_page_present(p, b), 0);
	CHECK_EQ(p->extents_used, 0);
	CHECK_EQ(p->stats.slow_scans, 0);
	CHECK(tenv_audit(t));
	CHECK_EQ(tenv_free(t), 0);
}

TEST(chain_limit_overflows)
{
	struct tenv *t = tenv_new(64, 64);
	REQUIRE(tenv_init(t, NULL) == POOL_OK);
	struct pool *p = &t->pool;
	uint16_t a, other;
	REQUIRE(pool_alloc(p, POOL_KIND_PT_IDENTITY, 0, 0, 0, 0, &a, NULL) == POOL_OK);
	REQUIRE(pool_alloc(p, POOL_KIND_PT_IDENTITY, 1 << 21, 0, 0, 0, &other, NULL) == POOL_OK);
	REQUIRE(pool_leaf_set(p, other, 0, 1, RW) == POOL_OK);
	for (uint32_t i = 0; i < 45; i++)
		REQUIRE(pool_leaf_set(p, a, i, 2, RW) == POOL_OK);
	CHECK_EQ(p->extents_used, 15);
	CHECK(!track_overflowed(t->track[2]));
	CHECK(tenv_audit(t));
	REQUIRE(pool_leaf_set(p, a, 45, 2, RW) == POOL_OK);
	CHECK(track_overflowed(t->track[2]));
	CHECK_EQ(p->extents_used, 0);
	CHECK_EQ(p->stats.chain_full, 1);
	CHECK_EQ(p->stats.overflows, 1);
	CHECK_EQ(p->pages[a].ovf_refs, 46);
	CHECK(tenv_audit(t));
	pool_entry_clear(p, a, 0);
	CHECK_EQ(p->pages[a].ovf_refs, 45);
	CHECK(tenv_audit(t));
	CHECK_EQ(pool_flush_gfn(p, 2), 45);
	CHECK_EQ(p->stats.slow_scans, 1);
	CHECK_EQ(p->stats.slow_pages_last, 1); /* `other` was not examined */
	CHECK_EQ(track_tag(t->track[2]), TRACK_TAG_NONE);
	CHECK_EQ(pool_page_present(p, other), 1);
	CHECK(tenv_audit(t));
	CHECK_EQ(tenv_free(t), 0);
}

TEST(extents_exhausted_overflow)
{
	struct tenv *t = tenv_new(64, 64);
	struct pool_config cfg = {.extents = 1};
	REQUIRE(tenv_init(t, &cfg) == POOL_OK);
	struct pool *p = &t->pool;
	uint16_t a;
	REQUIRE(pool_alloc(p, POOL_KIND_PT_IDENTITY, 0, 0, 0, 0, &a, NULL) == POOL_OK);
	REQUIRE(pool_leaf_set(p, a, 0, 1, RW) == POOL_OK);
	REQUIRE(pool_leaf_set(p, a, 1, 1, RW) == POOL_OK); /* takes the only extent */
	REQUIRE(pool_leaf_set(p, a, 2, 2, RW) == POOL_OK);
	REQUIRE(pool_leaf_set(p, a, 3, 2, RW) == POOL_OK); /* none left */
	CHECK(track_overflowed(t->track[2]));
	CHECK_EQ(p->stats.extent_failures, 1);
	CHECK_EQ(p->pages[a].ovf_refs, 2);
	CHECK(tenv_audit(t));
	/* once the chain of gfn 1 is gone, gfn 3 can use the extent */
	CHECK_EQ(pool_flush_gfn(p, 1), 2);
	REQUIRE(pool_leaf_set(p, a, 4, 3, RW) == POOL_OK);
	REQUIRE(pool_leaf_set(p, a, 5, 3, RW) == POOL_OK);
	CHECK_EQ(track_tag(t->track[3]), TRACK_TAG_EXTENTS);
	CHECK(!track_overflowed(t->track[3]));
	CHECK_EQ(pool_flush_gfn(p, 2), 2);
	CHECK(tenv_audit(t));
	CHECK_EQ(tenv_free(t), 0);
}

TEST(links_and_user_records)
{
	struct tenv *t = tenv_new(64, 64);
	REQUIRE(tenv_init(t, NULL) == POOL_OK);
	struct pool *p = &t->pool;
	uint16_t pml4, pdpt, pd, pt, pt2;
	REQUIRE(pool_alloc(p, POOL_KIND_PML4_LONG, 1 << 12, 0, 0, 0, &pml4, NULL) == POOL_OK);
	REQUIRE(pool_alloc(p, POOL_KIND_PDPT_LONG, 2 << 12, 0, pml4, 3, &pdpt, NULL) == POOL_OK);
	REQUIRE(pool_alloc(p, POOL_KIND_PD_PAE, 3 << 12, 0, pdpt, 4, &pd, NULL) == POOL_OK);
	REQUIRE(pool_alloc(p, POOL_KIND_PT_PAE, 4 << 12, 0, pd, 5, &pt, NULL) == POOL_OK);
	uint64_t e = pool_page_entries(p, pml4)[3];
	CHECK_EQ(pool_pte_addr(e), pool_page_hpa(p, pdpt));
	CHECK_EQ(pool_entry_child(p, e), pdpt);
	CHECK_EQ(e & ~POOL_PTE_ADDR_MASK, POOL_PTE_P | POOL_PTE_RW | POOL_PTE_US | POOL_PTE_A);
	CHECK(e & POOL_PTE_P);
	CHECK_EQ(p->users_used, 3);
	/* the same PT under a second PD entry: hit plus a second user record */
	REQUIRE(pool_alloc(p, POOL_KIND_PT_PAE, 4 << 12, 0, pd, 6, &pt2, NULL) == POOL_OK);
	CHECK_EQ(pt2, pt);
	CHECK_EQ(p->users_used, 4);
	/* re-link of the same child only updates flags */
	REQUIRE(pool_link(p, pd, 6, pt, POOL_PTE_P | POOL_PTE_NX) == POOL_OK);
	CHECK_EQ(p->users_used, 4);
	CHECK(pool_page_entries(p, pd)[6] & POOL_PTE_NX);
	/* wrong levels and flags */
	CHECK_EQ(pool_link(p, pml4, 0, pt, LINK), POOL_ERR_INVAL);
	CHECK_EQ(pool_link(p, pd, 0, pt, LINK | POOL_PTE_PS), POOL_ERR_INVAL);
	CHECK_EQ(pool_alloc(p, POOL_KIND_PT_PAE, 5 << 12, 0, pml4, 0, &pt2, NULL), POOL_ERR_INVAL);
	REQUIRE(pool_leaf_set(p, pt, 0, 30, RW) == POOL_OK);
	CHECK(tenv_audit(t));
	/* flushing the PT clears both parent entries and its leaf */
	CHECK(pool_page_flush(p, pt));
	CHECK_EQ(pool_page_entries(p, pd)[5], 0);
	CHECK_EQ(pool_page_entries(p, pd)[6], 0);
	CHECK_EQ(pool_page_present(p, pd), 0);
	CHECK_EQ(track_tag(t->track[30]), TRACK_TAG_NONE);
	CHECK_EQ(p->users_used, 2);
	CHECK(!pool_page_in_use(p, pt));
	CHECK(!pool_gfn_monitored(p, 4));
	CHECK(tenv_audit(t));
	/* flushing the PML4 drops the user record on its child, which stays cached */
	CHECK(pool_page_flush(p, pml4));
	CHECK_EQ(p->pages[pdpt].users, 0);
	CHECK(pool_page_in_use(p, pdpt));
	CHECK_EQ(p->users_used, 1);
	CHECK_EQ(p->stats.frees[POOL_FLUSH_EXPLICIT], 2);
	CHECK(tenv_audit(t));
	/* unlink by clearing the entry */
	pool_entry_clear(p, pdpt, 4);
	CHECK_EQ(p->users_used, 0);
	CHECK(tenv_audit(t));
	CHECK_EQ(tenv_free(t), 0);
}

TEST(locked_page_cleared_in_place)
{
	struct tenv *t = tenv_new(64, 64);
	REQUIRE(tenv_init(t, NULL) == POOL_OK);
	struct pool *p = &t->pool;
	uint16_t root, pd;
	REQUIRE(pool_alloc(p, POOL_KIND_PML4_IDENTITY, 0, 0, 0, 0, &root, NULL) == POOL_OK);
	REQUIRE(pool_root_set(p, 0, root) == POOL_OK);
	CHECK_EQ(pool_root_get(p, 0), root);
	REQUIRE(pool_alloc(p, POOL_KIND_PDPT_IDENTITY, 0, 0, root, 0, &pd, NULL) == POOL_OK);
	CHECK(!pool_page_flush(p, root));
	CHECK(pool_page_in_use(p, root));
	CHECK_EQ(pool_page_present(p, root), 0);
	CHECK_EQ(p->stats.locked_clears, 1);
	CHECK_EQ(pool_root_set(p, 9, root), POOL_ERR_INVAL);
	REQUIRE(pool_root_set(p, 0, 0) == POOL_OK);
	CHECK_EQ(p->pages[root].lock, 0);
	CHECK(pool_page_flush(p, root));
	CHECK(tenv_audit(t));
	CHECK_EQ(tenv_free(t), 0);
}

static char printed[4096];
static size_t printed_len;

static int capture(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(printed + printed_len, sizeof(printed) - printed_len, fmt, ap);
	va_end(ap);
	if (n > 0)
		printed_len += (size_t)n;
	return n;
}

TEST(stats_printer)
{
	struct tenv *t = tenv_new(64, 80);
	REQUIRE(tenv_init(t, NULL) == POOL_OK);
	uint16_t a;
	REQUIRE(pool_alloc(&t->pool, POOL_KIND_PT_PAE, 0, 0, 0, 0, &a, NULL) == POOL_OK);
	printed_len = 0;
	pool_stats_print(&t->pool, capture);
	CHECK(strncmp(printed, "pool: stats pages 1/65/65 high 1 allocs 1 hits 0 misses 1 ", 58) ==
	      0);
	CHECK(strstr(printed, "rule fork 0\n") != NULL);
	CHECK(strstr(printed, "slow-path runs 0") != NULL);
	CHECK_EQ(tenv_free(t), 0);
}

TEST(alloc_with_pae_pdpte_link_flags)
{
	struct tenv *t = tenv_new(64, 80);
	REQUIRE(tenv_init(t, NULL) == POOL_OK);
	struct pool *p = &t->pool;
	uint16_t root, pd, again;
	REQUIRE(pool_alloc(p, POOL_KIND_PDPT_PAE, (2 << 12) | 0x40, 0, 0, 0, &root, NULL) ==
	        POOL_OK);
	REQUIRE(pool_alloc_linked(p, POOL_KIND_PD_PAE, 3 << 12, 0, root, 2, POOL_PTE_P, &pd,
	                          NULL) == POOL_OK);
	uint64_t e = pool_page_entries(p, root)[2];
	CHECK_EQ(e, pool_page_hpa(p, pd) | POOL_PTE_P); /* nothing reserved in a PDPTE */
	CHECK_EQ(pool_entry_child(p, e), pd);
	CHECK_EQ(pool_entry_child(p, 0), 0);
	CHECK_EQ(
	    pool_alloc_linked(p, POOL_KIND_PD_PAE, 3 << 12, 0, root, 2, POOL_PTE_RW, &again, NULL),
	    POOL_ERR_INVAL);
	CHECK(tenv_audit(t));
	CHECK(pool_page_flush(p, pd));
	CHECK_EQ(pool_page_entries(p, root)[2], 0);
	CHECK(tenv_audit(t));
	CHECK_EQ(tenv_free(t), 0);
}
