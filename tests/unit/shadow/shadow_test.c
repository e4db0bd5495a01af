/*
 * Unit tests of the shadow-paging core (pool/shadow*.c) on the simulated machine of
 * tests/unit/shadow_model/sim.c: sync, reflect, A/D, not-RAM, guest page-table writes,
 * CR3 roots, INVLPG, CR0/CR4 writes, every guest mode and both hardware formats.
 */

#include "tests/unit/harness.h"
#include "tests/unit/shadow_model/sim.h"

#define CR0_PG       (1ull << 31)
#define CR0_WP       (1ull << 16)
#define CR4_PSE      (1ull << 4)
#define CR4_PAE      (1ull << 5)
#define EFER_LMA_NXE ((1ull << 8) | (1ull << 10) | (1ull << 11))
#define P            GPTE_P
#define RW           GPTE_RW
#define US           GPTE_US

static struct sim S;

static void audit_ok(void)
{
	char buf[256];
	int rc = pool_audit(&S.pool, buf, sizeof(buf));
	if (rc)
		printf("  audit: %s\n", buf);
	CHECK_EQ(rc, 0);
}

static uint64_t g(uint64_t gpa, unsigned size)
{
	uint64_t v = 0;
	sim_read(&S, gpa, size, &v);
	return v;
}

/* Long mode: PML4 0x1000, PDPT 0x2000, PD 0x3000, PT 0x4000; la 0x403000 -> 0x9000. */
static void setup_long(void)
{
	CHECK_EQ(sim_init(&S, 2048, 256, NULL, 1), 0);
	sim_write(&S, 0x1000, 8, 0x2000 | P | RW | US);
	sim_write(&S, 0x2000, 8, 0x3000 | P | RW | US);
	sim_write(&S, 0x3000 + 2 * 8, 8, 0x4000 | P | RW | US);
	sim_write(&S, 0x4000 + 3 * 8, 8, 0x9000 | P | RW | US);
	CHECK_EQ(shadow_set_regs(&S.vcpu, CR0_PG | CR0_WP, CR4_PAE, EFER_LMA_NXE), SHADOW_FIXED);
	CHECK_EQ(shadow_load_cr3(&S.vcpu, 0x1000), SHADOW_FIXED);
	CHECK_EQ(S.vcpu.hw, SHADOW_HW_LONG);
}

#define LA 0x403000ull

TEST(long_fill_then_hit_with_exact_ad)
{
	setup_long();
	struct sim_access a;
	sim_access(&S, LA + 8, WALK_ACC_USER, 0, &a);
	CHECK_EQ(a.outcome, SIM_OK);
	CHECK_EQ(a.faults, 1);
	CHECK_EQ(a.hpa, sim_gpa_hpa(&S, 0x9008));
	CHECK_EQ(g(0x4018, 8), 0x9000 | P | RW | US | GPTE_A); /* A, no D */
	CHECK_EQ(g(0x1000, 8), 0x2000 | P | RW | US | GPTE_A);
	sim_access(&S, LA + 8, WALK_ACC_USER, 0, &a);
	CHECK(a.hit);
	/* first write: the clean page is read-only in the shadow; the fault sets D */
	sim_access(&S, LA + 8, WALK_ACC_USER | WALK_ACC_WRITE, 77, &a);
	CHECK_EQ(a.faults, 1);
	CHECK_EQ(a.outcome, SIM_OK);
	CHECK_EQ(g(0x4018, 8), 0x9000 | P | RW | US | GPTE_A | GPTE_D);
	CHECK_EQ(g(0x9008, 8), 77);
	CHECK_EQ(S.vcpu.stats.dirty_faults, 1);
	sim_access(&S, LA + 8, WALK_ACC_USER | WALK_ACC_WRITE, 78, &a);
	CHECK(a.hit);
	audit_ok();
	sim_destroy(&S);
}

TEST(long_reflects_exact_error_codes)
{
	setup_long();
	struct sim_access a;
	sim_access(&S, LA + 0x1000, WALK_ACC_WRITE | WALK_ACC_USER, 0, &a); /* PTE 4 absent */
	CHECK_EQ(a.outcome, SIM_PF);
	CHECK_EQ(a.error_code, PF_ERR_W | PF_ERR_U);
	sim_write(&S, 0x4020, 8, 0x9000 | P | US | (1ull << 40)); /* reserved bit */
	sim_access(&S, LA + 0x1000, WALK_ACC_FETCH, 0, &a);
	CHECK_EQ(a.outcome, SIM_PF);
	CHECK_EQ(a.error_code, PF_ERR_P | PF_ERR_RSVD | PF_ERR_I);
	CHECK_EQ(g(0x4020, 8), 0x9000 | P | US | (1ull << 40)); /* no A on a fault */
	sim_write(&S, 0x4020, 8, 0x9000 | P | US | GPTE_XD);
	sim_access(&S, LA + 0x1000, WALK_ACC_FETCH | WALK_ACC_USER, 0, &a);
	CHECK_EQ(a.error_code, PF_ERR_P | PF_ERR_U | PF_ERR_I);
	sim_access(&S, LA + 0x1000, WALK_ACC_WRITE | WALK_ACC_USER, 0, &a); /* read-only */
	CHECK_EQ(a.error_code, PF_ERR_P | PF_ERR_W | PF_ERR_U);
	sim_access(&S, 0x0000800000000000ull, 0, 0, &a); /* non-canonical */
	CHECK_EQ(a.outcome, SIM_GP);
	audit_ok();
	sim_destroy(&S);
}

TEST(not_guest_ram_is_never_mapped)
{
	setup_long();
	struct sim_access a;
	sim_write(&S, 0x4018, 8, (4096ull << 12) | P | RW | US); /* beyond 2048 frames */
	sim_access(&S, LA, 0, 0, &a);
	CHECK_EQ(a.outcome, SIM_NOT_RAM);
	sim_write(&S, 0x3010, 8, (5000ull << 12) | P | RW | US); /* the PT itself */
	sim_access(&S, LA, 0, 0, &a);
	CHECK_EQ(a.outcome, SIM_NOT_RAM);
	CHECK_EQ(S.vcpu.stats.not_ram, 2);
	CHECK_EQ(pool_get_stats(&S.pool)->allocs >= 1, 1);
	audit_ok();
	sim_destroy(&S);
}

TEST(guest_page_table_writes_trap_and_resync)
{
	setup_long();
	struct sim_access a;
	/* map the guest PT (0x4000) itself as data at PTE 5 */
	sim_write(&S, 0x4000 + 5 * 8, 8, 0x4000 | P | RW | US | GPTE_D | GPTE_A);
	sim_access(&S, LA, 0, 0, &a); /* shadows the PT: it becomes monitored */
	CHECK_EQ(a.outcome, SIM_OK);
	CHECK(pool_gfn_monitored(&S.pool, 4));
	/* write PTE 3 through the self-map: must trap and be emulated */
	sim_access(&S, 0x405000 + 3 * 8, WALK_ACC_WRITE, 0xA000 | P | RW | US, &a);
	CHECK_EQ(a.outcome, SIM_OK);
	CHECK(a.emulated);
	sim_access(&S, LA, 0, 0, &a);
	CHECK_EQ(a.hpa, sim_gpa_hpa(&S, 0xA000)); /* the new translation, not a stale one */
	CHECK_EQ(g(0x4018, 8), 0xA000 | P | RW | US | GPTE_A);
	audit_ok();
	sim_destroy(&S);
}

TEST(cr3_switch_keeps_recent_roots)
{
	setup_long();
	sim_write(&S, 0x5000, 8, 0x2000 | P | RW | US); /* second PML4 sharing the PDPT */
	struct sim_access a;
	sim_access(&S, LA, 0, 0, &a);
	uint64_t builds = S.vcpu.stats.root_builds;
	CHECK_EQ(shadow_load_cr3(&S.vcpu, 0x5000), SHADOW_FIXED);
	CHECK_EQ(S.vcpu.stats.root_builds, builds + 1);
	sim_access(&S, LA, 0, 0, &a);
	CHECK_EQ(a.faults, 1); /* only the new PML4 entry: the PDPT shadow is cached */
	CHECK_EQ(shadow_load_cr3(&S.vcpu, 0x1000), SHADOW_FIXED);
	CHECK_EQ(S.vcpu.stats.root_builds, builds + 1);
	CHECK_EQ(S.vcpu.stats.root_recent_hits, 1);
	sim_access(&S, LA, 0, 0, &a);
	CHECK(a.hit);
	pool_flush_all(&S.pool); /* roots dropped: rebuilt on the next access */
	sim_access(&S, LA, 0, 0, &a);
	CHECK_EQ(a.outcome, SIM_OK);
	CHECK_EQ(a.faults, 1);
	audit_ok();
	sim_destroy(&S);
}

TEST(invlpg_drops_the_leaf)
{
	setup_long();
	struct sim_access a;
	sim_access(&S, LA, 0, 0, &a);
	CHECK(pool_get_stats(&S.pool)->allocs > 0);
	shadow_invlpg(&S.vcpu, LA);
	sim_access(&S, LA, 0, 0, &a);
	CHECK_EQ(a.faults, 1);
	CHECK_EQ(S.vcpu.stats.invlpgs, 1);
	audit_ok();
	sim_destroy(&S);
}

TEST(wp0_supervisor_write_is_emulated)
{
	setup_long();
	sim_write(&S, 0x4018, 8, 0x9000 | P | US);
	CHECK_EQ(shadow_set_regs(&S.vcpu, CR0_PG, CR4_PAE, EFER_LMA_NXE), SHADOW_FIXED);
	struct sim_access a;
	sim_access(&S, LA, WALK_ACC_WRITE, 5, &a);
	CHECK_EQ(a.outcome, SIM_OK);
	CHECK(a.emulated);
	CHECK_EQ(g(0x4018, 8), 0x9000 | P | US | GPTE_A | GPTE_D);
	sim_access(&S, LA, WALK_ACC_WRITE | WALK_ACC_USER, 5, &a);
	CHECK_EQ(a.outcome, SIM_PF);
	CHECK_EQ(a.error_code, PF_ERR_P | PF_ERR_W | PF_ERR_U);
	audit_ok();
	sim_destroy(&S);
}

TEST(mode_32bit_pse_on_pae_hardware)
{
	CHECK_EQ(sim_init(&S, 2048, 256, NULL, 2), 0);
	/* PD 0x1000: PDE 1 -> PT 0x2000; PDE 770 (quarter 3) -> 4 MiB page at 4 MiB */
	sim_write(&S, 0x1000 + 4, 4, 0x2000 | P | RW | US);
	sim_write(&S, 0x2000 + 0x3ff * 4, 4, 0x7000 | P | US);
	sim_write(&S, 0x1000 + 770 * 4, 4, 0x400000 | P | RW | GPTE_PS);
	CHECK_EQ(shadow_set_regs(&S.vcpu, CR0_PG | CR0_WP, CR4_PSE, 0), SHADOW_FIXED);
	CHECK_EQ(shadow_load_cr3(&S.vcpu, 0x1000), SHADOW_FIXED);
	CHECK_EQ(S.vcpu.hw, SHADOW_HW_PAE);
	CHECK(shadow_root_hpa(&S.vcpu) < (1ull << 32));
	struct sim_access a;
	sim_access(&S, 0x7ff123, WALK_ACC_USER, 0, &a);
	CHECK_EQ(a.outcome, SIM_OK);
	CHECK_EQ(a.hpa, sim_gpa_hpa(&S, 0x7123));
	uint64_t la4m = (770ull << 22) + 0x345678;
	sim_access(&S, la4m, WALK_ACC_WRITE, 1, &a);
	CHECK_EQ(a.outcome, SIM_OK);
	CHECK_EQ(a.hpa, sim_gpa_hpa(&S, 0x400000 + 0x345678));
	CHECK_EQ(g(0x1000 + 770 * 4, 4), 0x400000 | P | RW | GPTE_PS | GPTE_A | GPTE_D);
	sim_access(&S, la4m, WALK_ACC_USER, 0, &a);
	CHECK_EQ(a.error_code, PF_ERR_P | PF_ERR_U);
	sim_write(&S, 0x1000 + 770 * 4, 4, 0x400000 | (1u << 21) | P | RW | GPTE_PS);
	shadow_guest_write(&S.vcpu, 0x1000 + 770 * 4, 4, 0x400000 | (1u << 21) | P | RW | GPTE_PS);
	sim_access(&S, la4m, 0, 0, &a);
	CHECK_EQ(a.outcome, SIM_PF);
	CHECK_EQ(a.error_code, PF_ERR_P | PF_ERR_RSVD);
	/* CR4.PSE off: the same PDE now points to a page table at 0x400000 */
	CHECK_EQ(shadow_set_regs(&S.vcpu, CR0_PG | CR0_WP, 0, 0), SHADOW_FIXED);
	/* bit 21 is an address bit now: the table is at 0x600000 */
	sim_write(&S, 0x600000 + ((la4m >> 12) & 0x3ff) * 4, 4, 0xB000 | P);
	sim_access(&S, la4m, 0, 0, &a);
	CHECK_EQ(a.outcome, SIM_OK);
	CHECK_EQ(a.hpa, sim_gpa_hpa(&S, 0xB678));
	audit_ok();
	sim_destroy(&S);
}

TEST(mode_pae_and_unpaged)
{
	CHECK_EQ(sim_init(&S, 2048, 256, NULL, 3), 0);
	sim_write(&S, 0x1020 + 8, 8, 0x3000 | P);                   /* PDPT at 0x1020, PDPTE 1 */
	sim_write(&S, 0x3000, 8, 0x200000 | P | RW | US | GPTE_PS); /* 2 MiB page */
	CHECK_EQ(shadow_set_regs(&S.vcpu, CR0_PG | CR0_WP, CR4_PAE, 1ull << 11), SHADOW_FIXED);
	CHECK_EQ(shadow_load_cr3(&S.vcpu, 0x1020), SHADOW_FIXED);
	struct sim_access a;
	sim_access(&S, 0x40012345, WALK_ACC_USER, 0, &a);
	CHECK_EQ(a.outcome, SIM_OK);
	CHECK_EQ(a.hpa, sim_gpa_hpa(&S, 0x212345));
	sim_access(&S, 0x12345, 0, 0, &a); /* PDPTE 0 not present */
	CHECK_EQ(a.outcome, SIM_PF);
	CHECK_EQ(a.error_code, 0);
	sim_write(&S, 0x1020, 8, 0x3000 | P | RW); /* reserved in a PDPTE: #GP on MOV CR3 */
	CHECK_EQ(shadow_load_cr3(&S.vcpu, 0x1020), SHADOW_GP);
	sim_access(&S, 0x40012345, WALK_ACC_USER, 0, &a); /* old PDPTEs still in force */
	CHECK_EQ(a.outcome, SIM_OK);
	/* unpaged: identity inside guest RAM, nothing outside */
	CHECK_EQ(shadow_set_regs(&S.vcpu, 0, 0, 0), SHADOW_FIXED);
	sim_access(&S, 0x5123, WALK_ACC_WRITE | WALK_ACC_USER, 3, &a);
	CHECK_EQ(a.outcome, SIM_OK);
	CHECK_EQ(a.hpa, sim_gpa_hpa(&S, 0x5123));
	sim_access(&S, 2048ull << 12, 0, 0, &a);
	CHECK_EQ(a.outcome, SIM_NOT_RAM);
	audit_ok();
	sim_destroy(&S);
}

/* The guest zeroes the frame of a PML4 whose shadow is a RECENT root (an exited
 * process's, as in the benchmark's fork trace): once the zero-fill rule has cleared it,
 * the slot is emptied and the page freed, so the rest of the clearing no longer traps;
 * the next new root takes the emptied slot and the other recent roots stay. */
TEST(recent_root_cleared_by_rule_is_dropped)
{
	setup_long();
	struct pool *p = &S.pool;
	struct sim_access a;
	sim_write(&S, 0x5000, 8, 0x2000 | P | RW | US);
	sim_write(&S, 0x6000, 8, 0x2000 | P | RW | US);
	sim_access(&S, LA, 0, 0, &a);
	CHECK_EQ(shadow_load_cr3(&S.vcpu, 0x5000), SHADOW_FIXED);
	sim_access(&S, LA, 0, 0, &a);
	CHECK_EQ(shadow_load_cr3(&S.vcpu, 0x6000), SHADOW_FIXED);
	sim_access(&S, LA, 0, 0, &a);
	uint16_t cur = pool_root_get(p, 0), old5 = pool_root_get(p, 1);
	CHECK_EQ(pool_page_gfn(p, old5), 5);
	CHECK_EQ(pool_page_gfn(p, pool_root_get(p, 2)), 1);
	uint64_t writes = pool_get_stats(p)->monitored_writes;
	for (unsigned off = 0; off < 4096; off += 8)
		sim_guest_pt_write(&S, 0x5000 + off, 8, 0);
	CHECK_EQ(pool_get_stats(p)->monitored_writes - writes, 16); /* zero_run_limit */
	CHECK_EQ(pool_get_stats(p)->rules[POOL_RULE_ZERO_FILL], 1);
	CHECK(!pool_gfn_monitored(p, 5));
	CHECK_EQ(pool_root_get(p, 1), 0);
	CHECK(!pool_page_in_use(p, old5));
	CHECK_EQ(S.vcpu.stats.roots_dropped, 1);
	CHECK_EQ(pool_root_get(p, 0), cur);
	CHECK_EQ(pool_page_gfn(p, pool_root_get(p, 2)), 1);
	audit_ok();
	/* the frame becomes a PML4 again: a new root, in the emptied slot */
	sim_write(&S, 0x5000, 8, 0x2000 | P | RW | US);
	uint64_t builds = S.vcpu.stats.root_builds;
	CHECK_EQ(shadow_load_cr3(&S.vcpu, 0x5000), SHADOW_FIXED);
	CHECK_EQ(S.vcpu.stats.root_builds, builds + 1);
	CHECK(pool_gfn_monitored(p, 5));
	CHECK_EQ(pool_root_get(p, 1), cur);
	CHECK_EQ(pool_page_gfn(p, pool_root_get(p, 2)), 1);
	sim_access(&S, LA, 0, 0, &a);
	CHECK_EQ(a.outcome, SIM_OK);
	CHECK_EQ(a.hpa, sim_gpa_hpa(&S, 0x9000));
	uint64_t hits = S.vcpu.stats.root_recent_hits;
	CHECK_EQ(shadow_load_cr3(&S.vcpu, 0x1000), SHADOW_FIXED);
	CHECK_EQ(S.vcpu.stats.root_recent_hits, hits + 1);
	CHECK_EQ(S.vcpu.stats.root_builds, builds + 1);
	sim_access(&S, LA, 0, 0, &a);
	CHECK(a.hit);
	audit_ok();
	sim_destroy(&S);
}

/* A rule that clears the CURRENT root leaves it in slot 0, still monitored; the next
 * access refills it from the guest's table. */
TEST(current_root_cleared_by_rule_refills)
{
	setup_long();
	struct pool *p = &S.pool;
	struct sim_access a;
	sim_access(&S, LA, 0, 0, &a);
	uint16_t root = pool_root_get(p, 0);
	CHECK(pool_page_present(p, root) > 0);
	/* PS in a PML4E is reserved (SDM Vol. 3A Table 4-15): the page is data now */
	uint64_t bad = 0x7000 | P | RW | GPTE_PS;
	sim_write(&S, 0x1000 + 5 * 8, 8, bad);
	unsigned r = shadow_guest_write(&S.vcpu, 0x1000 + 5 * 8, 8, bad);
	CHECK(r & POOL_GW_LOCKED_FLUSHED);
	CHECK_EQ(pool_get_stats(p)->rules[POOL_RULE_REUSE], 1);
	CHECK_EQ(pool_root_get(p, 0), root);
	CHECK_EQ(pool_page_present(p, root), 0);
	CHECK(pool_gfn_monitored(p, 1));
	CHECK_EQ(S.vcpu.stats.roots_dropped, 0);
	audit_ok();
	sim_access(&S, LA, 0, 0, &a);
	CHECK_EQ(a.outcome, SIM_OK);
	CHECK_EQ(a.faults, 1);
	CHECK_EQ(a.hpa, sim_gpa_hpa(&S, 0x9000));
	CHECK_EQ(pool_root_get(p, 0), root);
	audit_ok();
	sim_destroy(&S);
}
