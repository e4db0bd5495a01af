/*
 * Unit tests of the guest page-table walker (pool/walk.c): every mode, exact #PF error
 * codes (SDM Vol. 3A §4.7), reserved-bit faults (§4.3-§4.5) and A/D updates (§4.8).
 */
#include "pool/shadow/walk.h"
#define HARNESS_MAIN
#include "tests/unit/harness.h"

#define MEM_SIZE (64u << 12) /* guest RAM: gpa 0 .. 256 KiB */

static uint8_t mem[MEM_SIZE];

static bool mem_read(void *ctx, uint64_t gpa, unsigned size, uint64_t *v)
{
	(void)ctx;
	if (gpa + size > MEM_SIZE)
		return false;
	*v = 0;
	memcpy(v, mem + gpa, size);
	return true;
}

static bool mem_write(void *ctx, uint64_t gpa, unsigned size, uint64_t v)
{
	(void)ctx;
	if (gpa + size > MEM_SIZE)
		return false;
	memcpy(mem + gpa, &v, size);
	return true;
}

static void put(uint64_t gpa, unsigned size, uint64_t v)
{
	mem_write(NULL, gpa, size, v);
}

static uint64_t get(uint64_t gpa, unsigned size)
{
	uint64_t v = 0;
	mem_read(NULL, gpa, size, &v);
	return v;
}

static struct walk_result walk(const struct walk_paging *p, uint64_t la, uint32_t acc)
{
	struct walk_result r;
	walk_translate(p, la, acc, mem_read, NULL, &r);
	return r;
}

#define P  GPTE_P
#define RW GPTE_RW
#define US GPTE_US
#define PS GPTE_PS
#define XD GPTE_XD
#define W  WALK_ACC_WRITE
#define U  WALK_ACC_USER
#define F  WALK_ACC_FETCH

/* 32-bit paging: PD at 0x1000, PT at 0x2000, data page 0x5000 at la 0x00403000. */
static struct walk_paging setup32(uint64_t pde_bits, uint64_t pte_bits)
{
	memset(mem, 0, sizeof(mem));
	struct walk_paging p = {
	    .mode = WALK_MODE_32BIT, .cr3 = 0x1000, .wp = true, .maxphyaddr = 36};
	put(0x1000 + 1 * 4, 4, 0x2000 | pde_bits);
	put(0x2000 + 3 * 4, 4, 0x5000 | pte_bits);
	return p;
}

TEST(mode_decoding)
{
	CHECK_EQ(walk_mode_from_regs(0x11, 0, 0), WALK_MODE_NONE);
	CHECK_EQ(walk_mode_from_regs(0x80000011u, 0, 0), WALK_MODE_32BIT);
	CHECK_EQ(walk_mode_from_regs(0x80000011u, 0x20, 0), WALK_MODE_PAE);
	CHECK_EQ(walk_mode_from_regs(0x80000011u, 0x20, 0x500), WALK_MODE_LONG4);
	CHECK_EQ(walk_phys_mask(36), 0xffffff000ull);
	CHECK_EQ(walk_phys_mask(52), 0xffffffffff000ull);
}

TEST(unpaged_is_identity)
{
	struct walk_paging p = {.mode = WALK_MODE_NONE, .maxphyaddr = 36};
	struct walk_result r = walk(&p, 0x12345, W | U | F);
	CHECK_EQ(r.status, WALK_OK);
	CHECK_EQ(r.gpa, 0x12345);
	CHECK_EQ(r.nr_levels, 0);
}

TEST(walk32_translates_and_sets_ad)
{
	struct walk_paging p = setup32(P | RW | US, P | RW | US);
	struct walk_result r = walk(&p, 0x00403abc, 0);
	CHECK_EQ(r.status, WALK_OK);
	CHECK_EQ(r.gpa, 0x5abc);
	CHECK_EQ(r.page_size, 0x1000);
	CHECK_EQ(r.nr_levels, 2);
	CHECK_EQ(r.level[0].entry_gpa, 0x1004);
	CHECK_EQ(r.level[1].entry_gpa, 0x200c);
	CHECK_EQ(r.level[0].set_bits, GPTE_A);
	CHECK_EQ(r.level[1].set_bits, GPTE_A); /* read: no D */
	r = walk(&p, 0x00403abc, W);
	CHECK_EQ(r.level[1].set_bits, GPTE_A | GPTE_D);
	CHECK(walk_commit_ad(&r, mem_write, NULL));
	CHECK_EQ(get(0x1004, 4), 0x2000 | P | RW | US | GPTE_A); /* no D in a non-leaf */
	CHECK_EQ(get(0x200c, 4), 0x5000 | P | RW | US | GPTE_A | GPTE_D);
	r = walk(&p, 0x00403abc, W);
	CHECK_EQ(r.level[0].set_bits | r.level[1].set_bits, 0); /* already set */
	/* High linear bits are dropped outside long mode. */
	r = walk(&p, 0x100403abcull, 0);
	CHECK_EQ(r.gpa, 0x5abc);
}

TEST(walk32_not_present_error_codes)
{
	struct walk_paging p = setup32(P | RW | US, RW | US); /* PTE not present */
	struct walk_result r = walk(&p, 0x00403000, 0);
	CHECK_EQ(r.status, WALK_FAULT);
	CHECK_EQ(r.error_code, 0);
	r = walk(&p, 0x00403000, W | U);
	CHECK_EQ(r.error_code, PF_ERR_W | PF_ERR_U);
	r = walk(&p, 0x00403000, F | U); /* no NX in 32-bit paging, no SMEP: I clear */
	CHECK_EQ(r.error_code, PF_ERR_U);
	p.smep = true; /* §4.7: I/D reported when SMEP is on */
	r = walk(&p, 0x00403000, F | U);
	CHECK_EQ(r.error_code, PF_ERR_U | PF_ERR_I);
	r = walk(&p, 0x00800000, 0); /* PDE not present */
	CHECK_EQ(r.status, WALK_FAULT);
	CHECK_EQ(r.error_code, 0);
	CHECK_EQ(r.nr_levels, 1);
	CHECK_EQ(r.level[0].set_bits, 0); /* nothing set on a fault */
}

TEST(walk32_rights_matrix)
{
	/* user page read-only: user write faults P|W|U; supervisor write obeys CR0.WP */
	struct walk_paging p = setup32(P | RW | US, P | US);
	CHECK_EQ(walk(&p, 0x403000, U).status, WALK_OK);
	struct walk_result r = walk(&p, 0x403000, U | W);
	CHECK_EQ(r.status, WALK_FAULT);
	CHECK_EQ(r.error_code, PF_ERR_P | PF_ERR_W | PF_ERR_U);
	r = walk(&p, 0x403000, W);
	CHECK_EQ(r.error_code, PF_ERR_P | PF_ERR_W);
	p.wp = false;
	CHECK_EQ(walk(&p, 0x403000, W).status, WALK_OK);
	/* R/W=0 in the PDE alone also denies */
	p = setup32(P | US, P | RW | US);
	CHECK_EQ(walk(&p, 0x403000, U | W).status, WALK_FAULT);
	CHECK(!walk(&p, 0x403000, 0).writable);
	/* supervisor page: any user access faults with P=1 */
	p = setup32(P | RW, P | RW | US);
	r = walk(&p, 0x403000, U);
	CHECK_EQ(r.error_code, PF_ERR_P | PF_ERR_U);
	CHECK_EQ(walk(&p, 0x403000, W).status, WALK_OK);
	CHECK_EQ(walk(&p, 0x403000, F).status, WALK_OK);
	/* SMEP: supervisor fetch from a user page */
	p = setup32(P | RW | US, P | RW | US);
	p.smep = true;
	r = walk(&p, 0x403000, F);
	CHECK_EQ(r.error_code, PF_ERR_P | PF_ERR_I);
	/* SMAP: supervisor data access to a user page, lifted by EFLAGS.AC */
	p.smap = true;
	r = walk(&p, 0x403000, 0);
	CHECK_EQ(r.error_code, PF_ERR_P);
	r = walk(&p, 0x403000, W);
	CHECK_EQ(r.error_code, PF_ERR_P | PF_ERR_W);
	CHECK_EQ(walk(&p, 0x403000, WALK_ACC_AC | W).status, WALK_OK);
	CHECK_EQ(walk(&p, 0x403000, U | W).status, WALK_OK);
}

TEST(walk32_4m_pages)
{
	memset(mem, 0, sizeof(mem));
	struct walk_paging p = {
	    .mode = WALK_MODE_32BIT, .cr3 = 0x1000, .wp = true, .pse = true, .maxphyaddr = 40};
	/* PDE 2 maps 4 MiB at physical 0x3_0040_0000 (bits 39:32 in PDE bits 20:13) */
	put(0x1000 + 2 * 4, 4, 0x00400000 | (3u << 13) | P | RW | PS);
	struct walk_result r = walk(&p, 0x00912345, W);
	CHECK_EQ(r.status, WALK_OK);
	CHECK_EQ(r.gpa, 0x300512345ull);
	CHECK_EQ(r.page_size, 4u << 20);
	CHECK_EQ(r.nr_levels, 1);
	CHECK_EQ(r.level[0].set_bits, GPTE_A | GPTE_D); /* D in the 4 MiB PDE */
	/* bit 21 is reserved (Table 4-4): P|RSVD, plus the access bits */
	put(0x1000 + 2 * 4, 4, 0x00400000 | (1u << 21) | P | RW | PS);
	r = walk(&p, 0x00912345, W | U);
	CHECK_EQ(r.status, WALK_FAULT);
	CHECK_EQ(r.error_code, PF_ERR_P | PF_ERR_RSVD | PF_ERR_W | PF_ERR_U);
	/* with MAXPHYADDR 36, bits 20:17 are reserved too */
	p.maxphyaddr = 36;
	put(0x1000 + 2 * 4, 4, 0x00400000 | (1u << 17) | P | RW | PS);
	CHECK_EQ(walk(&p, 0x00912345, 0).error_code, PF_ERR_P | PF_ERR_RSVD);
	put(0x1000 + 2 * 4, 4, 0x00400000 | (1u << 16) | P | RW | PS);
	CHECK_EQ(walk(&p, 0x00912345, 0).status, WALK_OK);
	/* with CR4.PSE = 0 the PS bit is ignored: the PDE points to a page table */
	p.pse = false;
	put(0x1000 + 2 * 4, 4, 0x2000 | P | RW | PS);
	put(0x2000 + 0x112 * 4, 4, 0x7000 | P | RW);
	r = walk(&p, 0x00912345, 0);
	CHECK_EQ(r.status, WALK_OK);
	CHECK_EQ(r.gpa, 0x7345);
	CHECK_EQ(r.nr_levels, 2);
}

/* PAE: PDPT at 0x1000 (32-byte aligned), PD at 0x2000, PT at 0x3000. */
static struct walk_paging setup_pae(void)
{
	memset(mem, 0, sizeof(mem));
	struct walk_paging p = {
	    .mode = WALK_MODE_PAE, .cr3 = 0x1000, .wp = true, .nxe = true, .maxphyaddr = 36};
	put(0x1000 + 1 * 8, 8, 0x2000 | P);
	put(0x2000 + 5 * 8, 8, 0x3000 | P | RW | US);
	put(0x3000 + 7 * 8, 8, 0x9000 | P | RW | US);
	CHECK_EQ(walk_load_pdptes(&p, mem_read, NULL), WALK_OK);
	return p;
}

#define PAE_LA ((1ull << 30) | (5ull << 21) | (7ull << 12) | 0x10)

TEST(pae_translates)
{
	struct walk_paging p = setup_pae();
	struct walk_result r = walk(&p, PAE_LA, U | W);
	CHECK_EQ(r.status, WALK_OK);
	CHECK_EQ(r.gpa, 0x9010);
	CHECK_EQ(r.nr_levels, 2); /* the PDPTE is a register, not read by the walk */
	CHECK_EQ(r.level[0].entry_gpa, 0x2028);
	CHECK_EQ(r.level[1].set_bits, GPTE_A | GPTE_D);
	/* a PDPTE change takes effect only at the next PDPTE load (CR3 load) */
	put(0x1008, 8, 0);
	CHECK_EQ(walk(&p, PAE_LA, 0).status, WALK_OK);
	CHECK_EQ(walk_load_pdptes(&p, mem_read, NULL), WALK_OK);
	struct walk_result f = walk(&p, PAE_LA, U | F);
	CHECK_EQ(f.status, WALK_FAULT);
	CHECK_EQ(f.error_code, PF_ERR_U | PF_ERR_I); /* PAE + NXE: I/D reported */
	CHECK_EQ(f.nr_levels, 0);
}

TEST(pae_reserved_bits)
{
	struct walk_paging p = setup_pae();
	/* PDPTE reserved bits refuse the load (#GP at MOV CR3), §4.4.1 */
	put(0x1008, 8, 0x2000 | P | RW);
	CHECK_EQ(walk_load_pdptes(&p, mem_read, NULL), WALK_FAULT);
	put(0x1008, 8, 0x2000 | P | (1ull << 36));
	CHECK_EQ(walk_load_pdptes(&p, mem_read, NULL), WALK_FAULT);
	put(0x1008, 8, 0x2000 | RW | (1ull << 36)); /* not present: ignored */
	CHECK_EQ(walk_load_pdptes(&p, mem_read, NULL), WALK_OK);
	p = setup_pae();
	/* PTE bit above MAXPHYADDR */
	put(0x3038, 8, 0x9000 | P | RW | US | (1ull << 40));
	struct walk_result r = walk(&p, PAE_LA, W);
	CHECK_EQ(r.error_code, PF_ERR_P | PF_ERR_RSVD | PF_ERR_W);
	/* PAE reserves up to bit 62 (unlike 4-level, where 62:52 are ignored) */
	put(0x3038, 8, 0x9000 | P | RW | US | (1ull << 60));
	CHECK_EQ(walk(&p, PAE_LA, 0).error_code, PF_ERR_P | PF_ERR_RSVD);
	/* XD is reserved when NXE = 0 */
	put(0x3038, 8, 0x9000 | P | RW | US | XD);
	CHECK_EQ(walk(&p, PAE_LA, U | F).error_code, PF_ERR_P | PF_ERR_U | PF_ERR_I);
	p.nxe = false;
	CHECK_EQ(walk(&p, PAE_LA, U | F).error_code, PF_ERR_P | PF_ERR_RSVD | PF_ERR_U);
	p.nxe = true;
	/* 2 MiB page: bits 20:13 reserved */
	put(0x2028, 8, 0x200000 | P | RW | US | PS | (1ull << 13));
	CHECK_EQ(walk(&p, PAE_LA, 0).error_code, PF_ERR_P | PF_ERR_RSVD);
	put(0x2028, 8, 0x200000 | P | RW | US | PS | (1ull << 12)); /* bit 12 is PAT */
	r = walk(&p, PAE_LA, 0);
	CHECK_EQ(r.status, WALK_OK);
	CHECK_EQ(r.gpa, 0x200000 + (7u << 12) + 0x10);
	CHECK_EQ(r.page_size, 2u << 20);
	/* a reserved bit in a NOT present entry does not matter: plain not-present */
	put(0x2028, 8, RW | (1ull << 40));
	CHECK_EQ(walk(&p, PAE_LA, W).error_code, PF_ERR_W);
}

/* 4-level: PML4 0x1000, PDPT 0x2000, PD 0x3000, PT 0x4000, page 0x8000. */
static struct walk_paging setup_long(void)
{
	memset(mem, 0, sizeof(mem));
	struct walk_paging p = {.mode = WALK_MODE_LONG4,
	                        .cr3 = 0x1000,
	                        .wp = true,
	                        .nxe = true,
	                        .gbpages = true,
	                        .maxphyaddr = 46};
	put(0x1000 + 0x1ff * 8, 8, 0x2000 | P | RW | US);
	put(0x2000 + 2 * 8, 8, 0x3000 | P | RW | US);
	put(0x3000 + 3 * 8, 8, 0x4000 | P | RW | US);
	put(0x4000 + 4 * 8, 8, 0x8000 | P | RW | US);
	return p;
}

#define LONG_LA                                                                                  \
	(0xffff800000000000ull | (0x1ffull << 39) | (2ull << 30) | (3ull << 21) | (4ull << 12) | \
	 0x123)

TEST(long_translates_and_canonical)
{
	struct walk_paging p = setup_long();
	struct walk_result r = walk(&p, LONG_LA, W);
	CHECK_EQ(r.status, WALK_OK);
	CHECK_EQ(r.gpa, 0x8123);
	CHECK_EQ(r.nr_levels, 4);
	CHECK_EQ(r.level[3].set_bits, GPTE_A | GPTE_D);
	CHECK_EQ(r.level[0].set_bits, GPTE_A);
	CHECK(walk_commit_ad(&r, mem_write, NULL));
	CHECK_EQ(get(0x1ff8, 8), 0x2000 | P | RW | US | GPTE_A);
	CHECK_EQ(walk(&p, LONG_LA & ~(1ull << 60), 0).status, WALK_NONCANONICAL);
	/* bits 62:52 are ignored in 4-level entries */
	put(0x4020, 8, 0x8000 | P | RW | US | (1ull << 55));
	CHECK_EQ(walk(&p, LONG_LA, 0).status, WALK_OK);
	/* NX in the PML4E alone forbids fetches; error code has I and P */
	put(0x1ff8, 8, 0x2000 | P | RW | US | XD);
	r = walk(&p, LONG_LA, F);
	CHECK_EQ(r.status, WALK_FAULT);
	CHECK_EQ(r.error_code, PF_ERR_P | PF_ERR_I);
	CHECK(r.exec_disabled);
}

TEST(long_reserved_bits)
{
	struct walk_paging p = setup_long();
	put(0x1ff8, 8, 0x2000 | P | RW | US | PS); /* PS reserved in a PML4E */
	struct walk_result r = walk(&p, LONG_LA, U);
	CHECK_EQ(r.error_code, PF_ERR_P | PF_ERR_RSVD | PF_ERR_U);
	CHECK_EQ(r.nr_levels, 1);
	p = setup_long();
	put(0x2010, 8, 0x2000 | P | RW | US | (1ull << 46)); /* above MAXPHYADDR 46 */
	CHECK_EQ(walk(&p, LONG_LA, 0).error_code, PF_ERR_P | PF_ERR_RSVD);
	put(0x2010, 8, 0x40000000 | P | RW | US | PS); /* 1 GiB page */
	r = walk(&p, LONG_LA, 0);
	CHECK_EQ(r.status, WALK_OK);
	CHECK_EQ(r.gpa, 0x40000000 + (3u << 21) + (4u << 12) + 0x123);
	CHECK_EQ(r.page_size, 1u << 30);
	put(0x2010, 8, 0x40000000 | P | RW | US | PS | (1ull << 20)); /* 29:13 reserved */
	CHECK_EQ(walk(&p, LONG_LA, W).error_code, PF_ERR_P | PF_ERR_RSVD | PF_ERR_W);
	p.gbpages = false; /* without 1 GiB pages PS itself is reserved */
	put(0x2010, 8, 0x40000000 | P | RW | US | PS);
	CHECK_EQ(walk(&p, LONG_LA, 0).error_code, PF_ERR_P | PF_ERR_RSVD);
	p = setup_long();
	p.nxe = false;
	put(0x3018, 8, 0x4000 | P | RW | US | XD);
	CHECK_EQ(walk(&p, LONG_LA, F).error_code, PF_ERR_P | PF_ERR_RSVD); /* no I w/o NXE */
	put(0x3018, 8, 0x200000 | P | RW | US | PS | (1ull << 14));
	CHECK_EQ(walk(&p, LONG_LA, 0).error_code, PF_ERR_P | PF_ERR_RSVD);
	CHECK_EQ(walk_reserved_bits(&p, 1, 0), 0x000fc00000000000ull | XD);
}

TEST(table_outside_ram)
{
	struct walk_paging p = setup_long();
	put(0x3018, 8, 0x100000000ull | P | RW | US);
	struct walk_result r = walk(&p, LONG_LA, 0);
	CHECK_EQ(r.status, WALK_TABLE_NOT_RAM);
	CHECK_EQ(r.bad_table_gpa, 0x100000000ull);
	/* but a data page outside RAM still translates: the caller decides */
	p = setup_long();
	put(0x4020, 8, 0x100000000ull | P | RW | US);
	r = walk(&p, LONG_LA, 0);
	CHECK_EQ(r.status, WALK_OK);
	CHECK_EQ(r.gpa, 0x100000123ull);
}

TEST(self_mapping_table_terminates)
{
	/* PML4 entry pointing at itself: the walk is bounded by the four levels */
	struct walk_paging p = setup_long();
	memset(mem, 0, 0x2000);
	put(0x1000, 8, 0x1000 | P | RW | US);
	struct walk_result r = walk(&p, 0x123, W);
	CHECK_EQ(r.status, WALK_OK);
	CHECK_EQ(r.gpa, 0x1123); /* the PML4 page itself, mapped as data */
	CHECK_EQ(r.nr_levels, 4);
}
