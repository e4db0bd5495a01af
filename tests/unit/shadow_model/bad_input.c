/*
 * Bad guest input for the shadow layer: tables that loop or map themselves, tables and
 * pages beyond guest RAM, reserved bits (P|RSVD exactly as hardware), and 10^4 aliases
 * of one guest page (extent chains overflow; the slow path must still be exact).
 */
#include <stdio.h>
#include <string.h>

#include "tests/unit/shadow_model/sim.h"

#define P         GPTE_P
#define RW        GPTE_RW
#define US        GPTE_US
#define LONG_CR0  ((1ull << 31) | (1ull << 16) | 1)
#define LONG_CR4  (1ull << 5)
#define LONG_EFER ((1ull << 8) | (1ull << 10) | (1ull << 11))

static int failures;

#define EXPECT(cond)                                                                      \
	do {                                                                              \
		if (!(cond)) {                                                            \
			printf("  check failed: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			failures++;                                                       \
		}                                                                         \
	} while (0)

static void audit(struct sim *s)
{
	char buf[256];
	if (pool_audit(&s->pool, buf, sizeof(buf))) {
		printf("  audit: %s\n", buf);
		failures++;
	}
}

static void long_mode(struct sim *s, uint64_t cr3)
{
	EXPECT(shadow_set_regs(&s->vcpu, LONG_CR0, LONG_CR4, LONG_EFER) == SHADOW_FIXED);
	EXPECT(shadow_load_cr3(&s->vcpu, cr3) == SHADOW_FIXED);
}

static void self_map_and_loops(void)
{
	struct sim s;
	struct sim_access a;
	EXPECT(sim_init(&s, 1024, 128, NULL, 7) == 0);
	/* PML4[0] -> the PML4 itself: every level reads the same page */
	sim_write(&s, 0x1000, 8, 0x1000 | P | RW | US);
	long_mode(&s, 0x1000);
	sim_access(&s, 0x0, WALK_ACC_USER, 0, &a);
	EXPECT(a.outcome == SIM_OK && a.hpa == sim_gpa_hpa(&s, 0x1000));
	/* writing through the self-map is a guest page-table write: emulated */
	sim_access(&s, 0x8, WALK_ACC_USER | WALK_ACC_WRITE, 0x1000 | P | US, &a);
	EXPECT(a.outcome == SIM_OK && a.emulated);
	sim_access(&s, 0x8, WALK_ACC_USER, 0, &a); /* entry 1 -> PML4, read-only now */
	EXPECT(a.outcome == SIM_OK);
	sim_access(&s, (1ull << 39) | (1ull << 30) | (1ull << 21) | (1ull << 12),
	           WALK_ACC_USER | WALK_ACC_WRITE, 0, &a);
	EXPECT(a.outcome == SIM_PF && a.error_code == (PF_ERR_P | PF_ERR_W | PF_ERR_U));
	/* a two-page loop: PML4 0x2000 <-> PDPT 0x3000 */
	sim_write(&s, 0x2000, 8, 0x3000 | P | RW | US);
	sim_write(&s, 0x3000, 8, 0x2000 | P | RW | US);
	EXPECT(shadow_load_cr3(&s.vcpu, 0x2000) == SHADOW_FIXED);
	sim_access(&s, 0x123, 0, 0, &a);
	/* PML4 0x2000 -> PDPT 0x3000 -> PD 0x2000 -> PT 0x3000 -> page 0x2000 */
	EXPECT(a.outcome == SIM_OK && a.hpa == sim_gpa_hpa(&s, 0x2123));
	audit(&s);
	sim_destroy(&s);
}

static void beyond_ram_and_reserved(void)
{
	struct sim s;
	struct sim_access a;
	EXPECT(sim_init(&s, 1024, 128, NULL, 8) == 0);
	sim_write(&s, 0x1000, 8, (1024ull << 12) | P | RW | US);       /* PDPT beyond RAM */
	sim_write(&s, 0x1008, 8, 0x2000 | P | RW | US | (1ull << 36)); /* reserved */
	long_mode(&s, 0x1000);
	sim_access(&s, 0x0, 0, 0, &a);
	EXPECT(a.outcome == SIM_NOT_RAM);
	sim_access(&s, 1ull << 39, WALK_ACC_WRITE, 0, &a);
	EXPECT(a.outcome == SIM_PF && a.error_code == (PF_ERR_P | PF_ERR_RSVD | PF_ERR_W));
	/* CR3 itself beyond RAM: refused at the load, the old CR3 stays */
	EXPECT(shadow_load_cr3(&s.vcpu, 4096ull << 12) == SHADOW_NOT_RAM);
	EXPECT(s.vcpu.paging.cr3 == 0x1000);
	audit(&s);
	sim_destroy(&s);
}

/* 20 PTs x 512 entries = 10240 mappings of the same data page. */
static void ten_thousand_aliases(void)
{
	struct sim s;
	struct sim_access a;
	struct pool_config cfg = {.max_pages = 64};
	EXPECT(sim_init(&s, 1024, 128, &cfg, 9) == 0);
	const uint64_t data = 0x80000, pd = 0x3000;
	sim_write(&s, 0x1000, 8, 0x2000 | P | RW | US);
	sim_write(&s, 0x2000, 8, pd | P | RW | US);
	for (unsigned t = 0; t < 20; t++) {
		uint64_t pt = 0x10000 + t * 0x1000ull;
		sim_write(&s, pd + t * 8, 8, pt | P | RW | US);
		for (unsigned i = 0; i < 512; i++)
			sim_write(&s, pt + i * 8, 8, data | P | RW | US | GPTE_A | GPTE_D);
	}
	long_mode(&s, 0x1000);
	unsigned ok = 0;
	for (uint64_t la = 0; la < 20ull << 21; la += 4096) {
		sim_access(&s, la, WALK_ACC_WRITE, la, &a);
		ok += a.outcome == SIM_OK && a.hpa == sim_gpa_hpa(&s, data);
	}
	EXPECT(ok == 10240);
	audit(&s);
	/* the page becomes a page table: every alias must turn read-only */
	sim_write(&s, data, 8, data | P | RW | US); /* its entry 0 maps itself */
	sim_write(&s, 0x2008, 8, data | P | RW | US);
	shadow_guest_write(&s.vcpu, 0x2008, 8, data | P | RW | US);
	sim_access(&s, (1ull << 30), 0, 0, &a); /* shadows `data` as a PD */
	if (a.outcome != SIM_OK)
		printf("  outcome %d err %#x\n", a.outcome, a.error_code);
	EXPECT(pool_gfn_monitored(&s.pool, data >> 12));
	unsigned trapped = 0;
	for (uint64_t la = 0; la < 20ull << 21; la += 4096) {
		sim_access(&s, la, WALK_ACC_WRITE, 0, &a);
		trapped += a.outcome == SIM_OK && (a.emulated || a.faults > 0);
	}
	EXPECT(trapped == 10240);
	printf("  aliases: overflows %llu, slow scans %llu, slow pages %llu\n",
	       (unsigned long long)pool_get_stats(&s.pool)->overflows,
	       (unsigned long long)pool_get_stats(&s.pool)->slow_scans,
	       (unsigned long long)pool_get_stats(&s.pool)->slow_pages);
	audit(&s);
	sim_destroy(&s);
}

static void report(const char *name, void (*fn)(void), int *passed, int *failed)
{
	failures = 0;
	fn();
	printf("%s: shadow_model/%s\n", failures ? "FAIL" : "PASS", name);
	failures ? (*failed)++ : (*passed)++;
}

int shadow_model_bad_input_tests(int *passed, int *failed)
{
	report("self_map_and_loops", self_map_and_loops, passed, failed);
	report("beyond_ram_and_reserved", beyond_ram_and_reserved, passed, failed);
	report("ten_thousand_aliases", ten_thousand_aliases, passed, failed);
	return 0;
}
