/*
 * Monitoring of guest page tables: write-protection of their frames, guest
 * writes clearing the covered shadow entries (per kind geometry), and each
 * flush rule.
 */
#include "tests/unit/harness.h"
#include "tests/unit/pool/env.h"

#define RW (POOL_PTE_P | POOL_PTE_RW | POOL_PTE_US)

struct tree {
	uint16_t pd, pt;
};

/* A PD_IDENTITY (unmonitored, locked) linking a monitored PT of kind `kind`. */
static struct tree make_tree(struct pool *p, enum pool_kind kind, uint64_t gfn)
{
	struct tree t = {0, 0};
	pool_alloc(p, POOL_KIND_PD_IDENTITY, 0, 0, 0, 0, &t.pd, NULL);
	pool_lock(p, t.pd);
	pool_alloc(p, kind, gfn << 12, 0, t.pd, 0, &t.pt, NULL);
	return t;
}

TEST(monitored_frames_write_protected)
{
	struct tenv *t = tenv_new(64, 64);
	REQUIRE(tenv_init(t, NULL) == POOL_OK);
	struct pool *p = &t->pool;
	uint16_t leafpt, gpt;
	REQUIRE(pool_alloc(p, POOL_KIND_PT_IDENTITY, 0, 0, 0, 0, &leafpt, NULL) == POOL_OK);
	REQUIRE(pool_leaf_set(p, leafpt, 7, 7, RW) == POOL_OK);
	REQUIRE(pool_leaf_set(p, leafpt, 8, 7, RW) == POOL_OK);
	CHECK(pool_page_entries(p, leafpt)[7] & POOL_PTE_RW);
	/* frame 7 becomes a guest page table: existing mappings lose RW */
	REQUIRE(pool_alloc(p, POOL_KIND_PT_PAE, 7 << 12, 0, 0, 0, &gpt, NULL) == POOL_OK);
	CHECK(pool_gfn_monitored(p, 7));
	CHECK(!(pool_page_entries(p, leafpt)[7] & POOL_PTE_RW));
	CHECK(!(pool_page_entries(p, leafpt)[8] & POOL_PTE_RW));
	CHECK_EQ(p->stats.write_protects, 2);
	/* and new ones never get it */
	REQUIRE(pool_leaf_set(p, leafpt, 9, 7, RW) == POOL_OK);
	REQUIRE(pool_leaf_update(p, leafpt, 7, RW) == POOL_OK);
	CHECK(!(pool_page_entries(p, leafpt)[9] & POOL_PTE_RW));
	CHECK(!(pool_page_entries(p, leafpt)[7] & POOL_PTE_RW));
	CHECK_EQ(pool_monitor_first(p, 7), gpt);
	CHECK_EQ(pool_monitor_next(p, gpt), 0);
	CHECK(tenv_audit(t));
	CHECK(pool_page_flush(p, gpt));
	CHECK(!pool_gfn_monitored(p, 7));
	CHECK(tenv_audit(t));
	CHECK_EQ(tenv_free(t), 0);
}

TEST(guest_write_clears_covered_entries)
{
	struct tenv *t = tenv_new(64, 64);
	REQUIRE(tenv_init(t, NULL) == POOL_OK);
	struct pool *p = &t->pool;
	struct tree tr = make_tree(p, POOL_KIND_PT_PAE, 3);
	uint16_t other;
	REQUIRE(pool_alloc(p, POOL_KIND_PT_PAE, 3 << 12, 99, 0, 0, &other, NULL) == POOL_OK);
	for (uint32_t i = 0; i < 8; i++) {
		REQUIRE(pool_leaf_set(p, tr.pt, i, 30 + i, RW) == POOL_OK);
		REQUIRE(pool_leaf_set(p, other, i, 30 + i, RW) == POOL_OK);
	}
	CHECK_EQ(pool_guest_write(p, 40 << 12, 8, 0), 0); /* not a page table */
	unsigned r = pool_guest_write(p, (3 << 12) + 5 * 8, 8, 0x5007);
	CHECK_EQ(r, POOL_GW_MONITORED | POOL_GW_CLEARED);
	CHECK_EQ(pool_page_entries(p, tr.pt)[5], 0);
	CHECK_EQ(pool_page_entries(p, other)[5], 0); /* every shadow of the page */
	CHECK(pool_page_entries(p, tr.pt)[4] != 0);
	CHECK_EQ(t->track[35] >> 62, 0);
	/* a 4-byte write to the high half of entry 6 */
	r = pool_guest_write(p, (3 << 12) + 6 * 8 + 4, 4, 0);
	CHECK(r & POOL_GW_CLEARED);
	CHECK_EQ(pool_page_entries(p, tr.pt)[6], 0);
	/* a write to an entry with no shadow: nothing to clear */
	CHECK_EQ(pool_guest_write(p, (3 << 12) + 100 * 8, 8, 0x3007), POOL_GW_MONITORED);
	CHECK_EQ(p->stats.monitored_writes, 3);
	CHECK_EQ(p->stats.write_clears, 4); /* entries 5 and 6, in both shadows */
	CHECK(tenv_audit(t));
	CHECK_EQ(tenv_free(t), 0);
}

TEST(guest_write_32bit_and_pae_pdpt_geometry)
{
	struct tenv *t = tenv_new(64, 64);
	REQUIRE(tenv_init(t, NULL) == POOL_OK);
	struct pool *p = &t->pool;
	uint16_t pd1, ptlo, pthi, pdpt, child;
	/* PD quarter 1 shadows guest PDEs 256..511, two shadow PDEs each */
	REQUIRE(pool_alloc(p, POOL_KIND_PD_32_Q1, 4 << 12, 0, 0, 0, &pd1, NULL) == POOL_OK);
	REQUIRE(pool_alloc(p, POOL_KIND_PT_SPLIT_4M_LO, 0, 0, pd1, 6, &child, NULL) == POOL_OK);
	REQUIRE(pool_alloc(p, POOL_KIND_PT_SPLIT_4M_HI, 1 << 21, 0, pd1, 7, &child, NULL) ==
	        POOL_OK);
	REQUIRE(pool_alloc(p, POOL_KIND_PT_SPLIT_2M, 1 << 22, 0, pd1, 8, &child, NULL) == POOL_OK);
	CHECK(pool_guest_write(p, (4 << 12) + 4 * 3, 4, 0) == POOL_GW_MONITORED);
	CHECK(pool_guest_write(p, (4 << 12) + 4 * 259, 4, 0) & POOL_GW_CLEARED);
	CHECK_EQ(pool_page_entries(p, pd1)[6], 0);
	CHECK_EQ(pool_page_entries(p, pd1)[7], 0);
	CHECK(pool_page_entries(p, pd1)[8] != 0);
	/* 32-bit PT halves */
	REQUIRE(pool_alloc(p, POOL_KIND_PT_32_LO, 5 << 12, 0, 0, 0, &ptlo, NULL) == POOL_OK);
	REQUIRE(pool_alloc(p, POOL_KIND_PT_32_HI, 5 << 12, 0, 0, 0, &pthi, NULL) == POOL_OK);
	REQUIRE(pool_leaf_set(p, ptlo, 10, 40, RW) == POOL_OK);
	REQUIRE(pool_leaf_set(p, pthi, 10, 41, RW) == POOL_OK);
	CHECK(pool_guest_write(p, (5 << 12) + 4 * (512 + 10), 4, 0) & POOL_GW_CLEARED);
	CHECK(pool_page_entries(p, ptlo)[10] != 0);
	CHECK_EQ(pool_page_entries(p, pthi)[10], 0);
	/* PAE PDPT at offset 0x20 of its page: guest entries 4..7 */
	REQUIRE(pool_alloc(p, POOL_KIND_PDPT_PAE, (6 << 12) | 0x20, 0, 0, 0, &pdpt, NULL) ==
	        POOL_OK);
	REQUIRE(pool_alloc(p, POOL_KIND_PD_PAE, 7 << 12, 0, pdpt, 1, &child, NULL) == POOL_OK);
	CHECK(pool_guest_write(p, (6 << 12) + 8, 8, 0) == POOL_GW_MONITORED);
	CHECK(pool_guest_write(p, (6 << 12) + 0x28, 8, 0) & POOL_GW_CLEARED);
	CHECK_EQ(pool_page_entries(p, pdpt)[1], 0);
	CHECK(tenv_audit(t));
	CHECK_EQ(tenv_free(t), 0);
}

static void fill(struct pool *p, uint16_t pt, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		pool_leaf_set(p, pt, i, 32 + i, RW);
}

TEST(rule_too_many_writes)
{
	struct tenv *t = tenv_new(64, 64);
	struct pool_config cfg = {.write_limit = 10};
	REQUIRE(tenv_init(t, &cfg) == POOL_OK);
	struct pool *p = &t->pool;
	struct tree tr = make_tree(p, POOL_KIND_PT_PAE, 3);
	fill(p, tr.pt, 20);
	unsigned r = 0;
	for (unsigned i = 0; i < 9; i++)
		r = pool_guest_write(p, (3 << 12) + 8 * (100 + 2 * i), 8, 0x7007 + (i << 12));
	CHECK(!(r & POOL_GW_FLUSHED));
	r = pool_guest_write(p, (3 << 12) + 8 * 300, 8, 0x9007);
	CHECK(r & POOL_GW_FLUSHED);
	CHECK(r & POOL_GW_CLEARED);
	CHECK(!(r & POOL_GW_LOCKED_FLUSHED));
	CHECK_EQ(p->stats.rules[POOL_RULE_WRITES], 1);
	CHECK(!pool_page_in_use(p, tr.pt));
	CHECK_EQ(pool_page_entries(p, tr.pd)[0], 0);
	CHECK(!pool_gfn_monitored(p, 3));
	CHECK_EQ(pool_guest_write(p, 3 << 12, 8, 0), 0);
	CHECK(tenv_audit(t));
	CHECK_EQ(tenv_free(t), 0);
}

TEST(rule_zero_fill)
{
	struct tenv *t = tenv_new(64, 64);
	struct pool_config cfg = {.zero_run_limit = 8};
	REQUIRE(tenv_init(t, &cfg) == POOL_OK);
	struct pool *p = &t->pool;
	struct tree tr = make_tree(p, POOL_KIND_PT_PAE, 3);
	fill(p, tr.pt, 20);
	unsigned r = 0;
	for (unsigned i = 0; i < 7; i++)
		r = pool_guest_write(p, (3 << 12) + 8 * i, 8, 0);
	CHECK(!(r & POOL_GW_FLUSHED));
	CHECK(pool_page_in_use(p, tr.pt));
	r = pool_guest_write(p, (3 << 12) + 8 * 7, 8, 0);
	CHECK(r & POOL_GW_FLUSHED);
	CHECK_EQ(p->stats.rules[POOL_RULE_ZERO_FILL], 1);
	CHECK(!pool_page_in_use(p, tr.pt));
	CHECK(tenv_audit(t));
	CHECK_EQ(tenv_free(t), 0);
}

TEST(rule_reuse_as_data)
{
	struct tenv *t = tenv_new(64, 64);
	REQUIRE(tenv_init(t, NULL) == POOL_OK);
	struct pool *p = &t->pool;
	struct tree tr = make_tree(p, POOL_KIND_PT_PAE, 3);
	fill(p, tr.pt, 4);
	/* a plausible PTE: followed */
	CHECK(!(pool_guest_write(p, (3 << 12) + 8, 8, 0x8000000000005067ull) & POOL_GW_FLUSHED));
	/* reserved bits 48..51 set in a present entry: data */
	unsigned r = pool_guest_write(p, (3 << 12) + 16, 8, 0x0003000000005067ull);
	CHECK(r & POOL_GW_FLUSHED);
	CHECK_EQ(p->stats.rules[POOL_RULE_REUSE], 1);
	CHECK(!pool_page_in_use(p, tr.pt));
	/* a misaligned write to a PML4 is data too */
	uint16_t pml4;
	REQUIRE(pool_alloc(p, POOL_KIND_PML4_LONG, 9 << 12, 0, 0, 0, &pml4, NULL) == POOL_OK);
	r = pool_guest_write(p, (9 << 12) + 3, 4, 0x12345678);
	CHECK(r & POOL_GW_FLUSHED);
	CHECK_EQ(p->stats.rules[POOL_RULE_REUSE], 2);
	CHECK(tenv_audit(t));
	CHECK_EQ(tenv_free(t), 0);
}

TEST(rule_fork_write_protect)
{
	struct tenv *t = tenv_new(64, 64);
	struct pool_config cfg = {.fork_limit = 6};
	REQUIRE(tenv_init(t, &cfg) == POOL_OK);
	struct pool *p = &t->pool;
	struct tree tr = make_tree(p, POOL_KIND_PT_PAE, 3);
	fill(p, tr.pt, 20);
	unsigned r = 0;
	/* fork: rewrite each PTE with the same frame, R/W clear */
	for (unsigned i = 0; i < 5; i++)
		r = pool_guest_write(p, (3 << 12) + 8 * i, 8, ((uint64_t)(32 + i) << 12) | 0x5);
	CHECK(!(r & POOL_GW_FLUSHED));
	CHECK_EQ(pool_page_entries(p, tr.pt)[2], 0); /* followed one by one so far */
	r = pool_guest_write(p, (3 << 12) + 8 * 5, 8, ((uint64_t)(32 + 5) << 12) | 0x5);
	CHECK(r & POOL_GW_FLUSHED);
	CHECK_EQ(p->stats.rules[POOL_RULE_FORK], 1);
	CHECK(!pool_page_in_use(p, tr.pt));
	CHECK(tenv_audit(t));
	CHECK_EQ(tenv_free(t), 0);
}

TEST(rule_on_locked_root_reported)
{
	struct tenv *t = tenv_new(64, 64);
	struct pool_config cfg = {.write_limit = 3};
	REQUIRE(tenv_init(t, &cfg) == POOL_OK);
	struct pool *p = &t->pool;
	uint16_t root, pdpt;
	REQUIRE(pool_alloc(p, POOL_KIND_PML4_LONG, 2 << 12, 0, 0, 0, &root, NULL) == POOL_OK);
	REQUIRE(pool_root_set(p, 1, root) == POOL_OK);
	REQUIRE(pool_alloc(p, POOL_KIND_PDPT_LONG, 3 << 12, 0, root, 0, &pdpt, NULL) == POOL_OK);
	pool_guest_write(p, (2 << 12) + 8 * 10, 8, 0x4007);
	pool_guest_write(p, (2 << 12) + 8 * 12, 8, 0x4007);
	unsigned r = pool_guest_write(p, (2 << 12) + 8 * 14, 8, 0x4007);
	CHECK(r & POOL_GW_LOCKED_FLUSHED);
	CHECK(r & POOL_GW_CLEARED);
	CHECK(pool_page_in_use(p, root));
	CHECK_EQ(pool_page_present(p, root), 0);
	CHECK(pool_gfn_monitored(p, 2));
	CHECK(tenv_audit(t));
	CHECK_EQ(tenv_free(t), 0);
}

/* A fork write-protects what is writable: here every 8th of 192 present PTEs (the rest
 * are read-only mappings it leaves alone, as in the benchmark's fork trace). Flushing
 * would drop 168 unchanged entries to save no trap: the writes are followed one by one. */
TEST(rule_fork_small_fraction_not_flushed)
{
	struct tenv *t = tenv_new(512, 64);
	REQUIRE(tenv_init(t, NULL) == POOL_OK);
	struct pool *p = &t->pool;
	struct tree tr = make_tree(p, POOL_KIND_PT_PAE, 3);
	fill(p, tr.pt, 192);
	unsigned r = 0;
	for (unsigned i = 0; i < 192; i += 8) {
		r = pool_guest_write(p, (3 << 12) + 8 * i, 8, ((uint64_t)(32 + i) << 12) | 0x5);
		CHECK(!(r & POOL_GW_FLUSHED));
	}
	CHECK_EQ(p->stats.rules[POOL_RULE_FORK], 0);
	REQUIRE(pool_page_in_use(p, tr.pt));
	CHECK_EQ(pool_page_present(p, tr.pt), 192 - 24);
	for (unsigned i = 0; i < 192; i++)
		CHECK_EQ(pool_pte_present(pool_page_entries(p, tr.pt)[i]), i % 8 != 0);
	CHECK(pool_gfn_monitored(p, 3));
	CHECK(tenv_audit(t));
	CHECK_EQ(tenv_free(t), 0);
}

/* The same pattern over a page it covers wholesale still flushes at fork_limit; a run
 * that reaches the page's last present entry has nothing left to save and does not. */
TEST(rule_fork_relative_to_present_entries)
{
	struct tenv *t = tenv_new(512, 64);
	REQUIRE(tenv_init(t, NULL) == POOL_OK);
	struct pool *p = &t->pool;
	struct tree tr = make_tree(p, POOL_KIND_PT_PAE, 3);
	fill(p, tr.pt, 100);
	unsigned r = 0;
	for (unsigned i = 0; i < 15; i++)
		r |= pool_guest_write(p, (3 << 12) + 8 * i, 8, ((uint64_t)(32 + i) << 12) | 0x5);
	CHECK(!(r & POOL_GW_FLUSHED));
	r = pool_guest_write(p, (3 << 12) + 8 * 15, 8, ((uint64_t)(32 + 15) << 12) | 0x5);
	CHECK(r & POOL_GW_FLUSHED);
	CHECK_EQ(p->stats.rules[POOL_RULE_FORK], 1);
	CHECK(!pool_page_in_use(p, tr.pt));
	/* 16 present entries, all write-protected: the 16th write leaves none behind */
	uint16_t small;
	REQUIRE(pool_alloc(p, POOL_KIND_PT_PAE, 4 << 12, 0, tr.pd, 1, &small, NULL) == POOL_OK);
	fill(p, small, 16);
	r = 0;
	for (unsigned i = 0; i < 16; i++)
		r |= pool_guest_write(p, (4 << 12) + 8 * i, 8, ((uint64_t)(32 + i) << 12) | 0x5);
	CHECK(!(r & POOL_GW_FLUSHED));
	CHECK_EQ(p->stats.rules[POOL_RULE_FORK], 1);
	CHECK(pool_page_in_use(p, small));
	CHECK_EQ(pool_page_present(p, small), 0);
	CHECK(tenv_audit(t));
	CHECK_EQ(tenv_free(t), 0);
}

/* The write count restarts whenever the page gains an entry (a fault used it): a table
 * in use is followed however often the guest rewrites it. */
TEST(rule_writes_count_since_last_fill)
{
	struct tenv *t = tenv_new(64, 64);
	struct pool_config cfg = {.write_limit = 10};
	REQUIRE(tenv_init(t, &cfg) == POOL_OK);
	struct pool *p = &t->pool;
	struct tree tr = make_tree(p, POOL_KIND_PT_PAE, 3);
	fill(p, tr.pt, 20);
	unsigned r = 0;
	for (unsigned round = 0; round < 3; round++) {
		for (unsigned i = 0; i < 9; i++)
			r |= pool_guest_write(p, (3 << 12) + 8 * (100 + i), 8, 0x7007);
		REQUIRE(pool_leaf_set(p, tr.pt, 200 + round, 40, RW) == POOL_OK);
	}
	CHECK(!(r & POOL_GW_FLUSHED));
	CHECK_EQ(p->stats.rules[POOL_RULE_WRITES], 0);
	for (unsigned i = 0; i < 9; i++)
		r |= pool_guest_write(p, (3 << 12) + 8 * (300 + i), 8, 0x7007);
	CHECK(!(r & POOL_GW_FLUSHED));
	r = pool_guest_write(p, (3 << 12) + 8 * 400, 8, 0x7007);
	CHECK(r & POOL_GW_FLUSHED);
	CHECK_EQ(p->stats.rules[POOL_RULE_WRITES], 1);
	CHECK(!pool_page_in_use(p, tr.pt));
	CHECK(tenv_audit(t));
	CHECK_EQ(tenv_free(t), 0);
}

/* A shadow that holds nothing and that nothing links to is dropped at the first write
 * to its frame; a linked or locked empty shadow is kept. */
TEST(rule_writes_empty_unlinked_page_at_first_write)
{
	struct tenv *t = tenv_new(64, 64);
	REQUIRE(tenv_init(t, NULL) == POOL_OK);
	struct pool *p = &t->pool;
	uint16_t lone, locked;
	REQUIRE(pool_alloc(p, POOL_KIND_PT_PAE, 5 << 12, 0, 0, 0, &lone, NULL) == POOL_OK);
	unsigned r = pool_guest_write(p, (5 << 12) + 8 * 7, 8, 0x9007);
	CHECK_EQ(r, POOL_GW_MONITORED | POOL_GW_FLUSHED);
	CHECK_EQ(p->stats.rules[POOL_RULE_WRITES], 1);
	CHECK(!pool_page_in_use(p, lone));
	CHECK(!pool_gfn_monitored(p, 5));
	CHECK_EQ(pool_guest_write(p, (5 << 12) + 8 * 8, 8, 0x9007), 0);
	struct tree tr = make_tree(p, POOL_KIND_PT_PAE, 6); /* empty but linked */
	CHECK_EQ(pool_guest_write(p, (6 << 12) + 8 * 7, 8, 0x9007), POOL_GW_MONITORED);
	CHECK(pool_page_in_use(p, tr.pt));
	REQUIRE(pool_alloc(p, POOL_KIND_PML4_LONG, 7 << 12, 0, 0, 0, &locked, NULL) == POOL_OK);
	REQUIRE(pool_root_set(p, 1, locked) == POOL_OK);
	CHECK_EQ(pool_guest_write(p, (7 << 12) + 8 * 7, 8, 0x9007), POOL_GW_MONITORED);
	CHECK_EQ(p->stats.rules[POOL_RULE_WRITES], 1);
	CHECK_EQ(p->stats.locked_clears, 0);
	CHECK(tenv_audit(t));
	CHECK_EQ(tenv_free(t), 0);
}
