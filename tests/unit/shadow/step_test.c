/*
 * Stepped writes through the pool (shadow_step_open/close, pool_open_entry):
 * the records are the pool's, so a flush while a walk is open can never make
 * the close undo, unlock or reopen pages that now mean something else — the
 * sequence by which a guest could once unlock a live root, have it evicted and
 * reused as a page table, and run on a table of the wrong level. The audit
 * runs at every point; root slots are checked before they become CR3.
 */
#include "tests/unit/harness.h"
#include "tests/unit/shadow_model/sim.h"

#define CR0_PG       (1ull << 31)
#define CR4_PAE      (1ull << 5)
#define EFER_LMA_NXE ((1ull << 8) | (1ull << 10) | (1ull << 11))
#define P            GPTE_P
#define RW           GPTE_RW
#define US           GPTE_US
#define LA           0x403000ull

static struct sim S;

static void audit_ok(void)
{
	char buf[256];
	int rc = pool_audit(&S.pool, buf, sizeof(buf));
	if (rc)
		printf("  audit: %s\n", buf);
	CHECK_EQ(rc, 0);
}

/* Long mode; PML4 0x1000 -> PDPT 0x2000 -> PD 0x3000 -> PT 0x4000 (a page table
 * the guest also maps at LA, read-only, and writes with CR0.WP = 0). */
static void setup(const struct pool_config *cfg)
{
	CHECK_EQ(sim_init(&S, 2048, 256, cfg, 7), 0);
	sim_write(&S, 0x1000, 8, 0x2000 | P | RW | US);
	sim_write(&S, 0x2000, 8, 0x3000 | P | RW | US);
	sim_write(&S, 0x3000 + 2 * 8, 8, 0x4000 | P | RW | US);
	sim_write(&S, 0x4000 + 3 * 8, 8, 0x4000 | P | US); /* LA -> the PT itself, read-only */
	CHECK_EQ(shadow_set_regs(&S.vcpu, CR0_PG, CR4_PAE, EFER_LMA_NXE), SHADOW_FIXED); /* WP=0 */
	CHECK_EQ(shadow_load_cr3(&S.vcpu, 0x1000), SHADOW_FIXED);
}

static unsigned root_lock(void)
{
	uint16_t root = pool_root_get(&S.pool, 0);
	return root ? S.pool.pages[root].lock : 0;
}

TEST(step_open_locks_and_close_restores_read_only)
{
	setup(NULL);
	struct shadow_fault f;
	shadow_sync(&S.vcpu, LA, WALK_ACC_WRITE, &f);
	CHECK_EQ(f.result, SHADOW_EMULATE);
	CHECK_EQ(shadow_step_open(&S.vcpu, LA, WALK_ACC_WRITE), SHADOW_FIXED);
	CHECK(pool_open_count(&S.pool) >= 1);
	audit_ok(); /* opened entries are accounted for */
	shadow_step_close(&S.vcpu);
	CHECK_EQ(pool_open_count(&S.pool), 0);
	audit_ok(); /* and nothing monitored is writable any more */
	sim_destroy(&S);
}

TEST(step_flush_while_open_then_close_touches_nothing)
{
	setup(NULL);
	struct shadow_fault f;
	shadow_sync(&S.vcpu, LA, WALK_ACC_WRITE, &f);
	REQUIRE(f.result == SHADOW_EMULATE);
	REQUIRE(shadow_step_open(&S.vcpu, LA, WALK_ACC_WRITE) == SHADOW_FIXED);
	pool_flush_all(&S.pool); /* a second fault of the instruction ran out */
	CHECK_EQ(pool_open_count(&S.pool), 0);
	/* The new generation reuses the same indexes for other tables. */
	struct sim_access a;
	for (uint64_t la = 0; la < 64 * 4096; la += 4096)
		sim_access(&S, LA + la, 0, 0, &a);
	unsigned lock = root_lock();
	CHECK_EQ(lock, 1);
	shadow_step_close(&S.vcpu); /* the old step's close: must be a no-op */
	CHECK_EQ(root_lock(), lock);
	audit_ok();
	CHECK(shadow_root_hpa(&S.vcpu) != 0);
	sim_destroy(&S);
}

TEST(step_root_slot_of_the_wrong_kind_never_becomes_cr3)
{
	setup(NULL);
	uint16_t root = pool_root_get(&S.pool, 0);
	REQUIRE(root != 0);
	CHECK(pool_root_check(&S.pool, 0, POOL_KIND_PML4_LONG) == root);
	CHECK(pool_root_check(&S.pool, 0, POOL_KIND_PDPT_PAE) == 0);
	/* A root whose lock was lost is not taken as CR3: it is rebuilt. */
	S.pool.pages[root].lock = 0;
	CHECK(pool_root_check(&S.pool, 0, POOL_KIND_PML4_LONG) == 0);
	uint64_t hpa = shadow_root_hpa(&S.vcpu);
	uint16_t now = pool_root_get(&S.pool, 0);
	CHECK(hpa != 0);
	CHECK(pool_root_check(&S.pool, 0, POOL_KIND_PML4_LONG) == now);
	sim_destroy(&S);
}

TEST(step_exhausted_pool_during_open_step_stays_consistent)
{
	/* A tiny pool: the fill the step needs and other accesses compete. */
	struct pool_config cfg = {.max_pages = 8, .users = 8};
	setup(&cfg);
	struct shadow_fault f;
	shadow_sync(&S.vcpu, LA, WALK_ACC_WRITE, &f);
	REQUIRE(f.result == SHADOW_EMULATE);
	REQUIRE(shadow_step_open(&S.vcpu, LA, WALK_ACC_WRITE) == SHADOW_FIXED);
	S.allocs_left = 0;
	struct sim_access a;
	for (uint64_t la = 1ull << 30; la < (1ull << 30) + 32 * 4096; la += 4096)
		sim_access(&S, la, 0, 0, &a); /* fails, evicts: the opened pages are locked */
	audit_ok();
	S.allocs_left = UINT64_MAX;
	shadow_step_close(&S.vcpu);
	audit_ok();
	sim_destroy(&S);
}
