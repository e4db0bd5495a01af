/* Access rights and #PF error codes (SDM Vol. 3A §4.6 access rights, §4.7 error code):
 * U/S and R/W combined over the levels, CR0.WP, NX with EFER.NXE, reserved bits. */
#include "tests/guests/cpu.h"
#include "tests/guests/env.h"
#include "tests/guests/ptest.h"
#include "tests/guests/report.h"

static uintptr_t perm_va, perm_frame;

/* Sets the test page's PTE flags (and the PDE's, keeping its address) then INVLPG. */
static void set_flags(uintptr_t va, uint64_t pte_flags, uint64_t pde_flags)
{
	uintptr_t pde = pde_of(va);
	pt_set(pde, (pt_get(pde) & pt_addr_mask()) | pde_flags);
	pt_set(pte_of(va), perm_frame | pte_flags);
	invlpg(va);
}

static void test_rw_us(void)
{
	uintptr_t va = perm_va;
	uint32_t v;
	bool f;

	set_flags(va, PTE_P | PTE_U, PTE_RW_USER);
	f = probe_write32(va, 1);
	report_pf("perm: supervisor write to read-only page, CR0.WP=1 (#PF 0x3)", f, PF_P | PF_W,
	          va);
	set_wp(false);
	f = probe_write32(va, 0x77aa0001);
	set_wp(true);
	report(!f && ((volatile uint32_t *)perm_frame)[0] == 0x77aa0001,
	       "perm: supervisor write to read-only page, CR0.WP=0 succeeds",
	       "fault %d, frame holds 0x%x", f, ((volatile uint32_t *)perm_frame)[0]);

	set_flags(va, PTE_P | PTE_W, PTE_RW_USER);
	f = user_read32(va, &v);
	report_pf("perm: user read of supervisor page (#PF 0x5)", f, PF_P | PF_U, va);
	f = user_write32(va, 1);
	report_pf("perm: user write to supervisor page (#PF 0x7)", f, PF_P | PF_W | PF_U, va);
	f = probe_read32(va, &v);
	report(!f && v == 0x77aa0001, "perm: supervisor read of supervisor page succeeds",
	       "fault %d value 0x%x", f, v);

	set_flags(va, PTE_P | PTE_U, PTE_RW_USER);
	set_wp(false);
	f = user_write32(va, 1);
	set_wp(true);
	report_pf("perm: user write to read-only user page, CR0.WP=0 (#PF 0x7)", f,
	          PF_P | PF_W | PF_U, va);

	set_flags(va, 0, PTE_RW_USER);
	f = user_read32(va, &v);
	report_pf("perm: user read of not-present page (#PF 0x4)", f, PF_U, va);
	f = user_write32(va, 1);
	report_pf("perm: user write to not-present page (#PF 0x6)", f, PF_W | PF_U, va);

	set_flags(va, PTE_RW_USER, PTE_RW_USER);
	f = user_write32(va, 0x77aa0002);
	bool f2 = user_read32(va, &v);
	report(!f && !f2 && v == 0x77aa0002, "perm: user write and read of a user page succeed",
	       "faults %d/%d value 0x%x", f, f2, v);
	f = probe_read32(va, &v);
	report(!f && v == 0x77aa0002, "perm: supervisor read of a user page succeeds (no SMAP)",
	       "fault %d value 0x%x", f, v);
}

/* The rights of the PDE combine with the PTE's: the most restrictive wins (SDM §4.6.1). */
static void test_pde_rights(void)
{
	uintptr_t va = perm_va;
	uint32_t v;
	set_flags(va, PTE_RW_USER, PTE_P | PTE_W);
	bool f = user_read32(va, &v);
	report_pf("perm: user read, PDE U/S=0 and PTE U/S=1 (#PF 0x5)", f, PF_P | PF_U, va);
	set_flags(va, PTE_RW_USER, PTE_P | PTE_U);
	f = probe_write32(va, 1);
	report_pf("perm: supervisor write, PDE R/W=0 and PTE R/W=1, CR0.WP=1 (#PF 0x3)", f,
	          PF_P | PF_W, va);
	f = user_write32(va, 1);
	report_pf("perm: user write, PDE R/W=0 and PTE R/W=1 (#PF 0x7)", f, PF_P | PF_W | PF_U, va);
	set_flags(va, PTE_RW_USER, PTE_RW_USER);
}

void ptest_perm(void)
{
	perm_va = slot(SLOT_PERM);
	perm_frame = data_frame(100);
	((volatile uint8_t *)perm_frame)[0x800] = RET_OPCODE;
	pt_map(main_root, perm_va, perm_frame, PTE_RW_USER);
	test_rw_us();
	test_pde_rights();
}

/* Instruction fetches: I/D is reported only with PAE/4-level paging and EFER.NXE=1
 * (SDM §4.7), and NX is a reserved bit while EFER.NXE=0 (SDM §4.6.2). */
void ptest_nx(void)
{
	uintptr_t va = perm_va + 0x800;
	bool f;
	if (pt_mode() == PG_MODE_32) {
		set_flags(perm_va, 0, PTE_RW_USER);
		f = probe_fetch(va);
		report_pf("nx: supervisor fetch from not-present page (#PF 0x0)", f, 0, va);
		return;
	}
	static const char *const names[] = {
	    "nx: supervisor fetch from NX page (#PF 0x11)",
	    "nx: user fetch from NX user page (#PF 0x15)",
	    "nx: NX only in the PDE, supervisor fetch (#PF 0x11)",
	    "nx: fetch from page without NX succeeds (supervisor and user)",
	    "nx: supervisor fetch from not-present page, EFER.NXE=1 (#PF 0x10)",
	    "nx: supervisor fetch from not-present page, EFER.NXE=0 (#PF 0x0)",
	    "nx: NX bit while EFER.NXE=0 is reserved (#PF 0x9)",
	};
	if (!env.nx) {
		for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			report_skip(names[i], "CPUID has no NX");
		return;
	}
	set_flags(perm_va, PTE_RW_USER | PTE_NX, PTE_RW_USER);
	f = probe_fetch(va);
	report_pf(names[0], f, PF_P | PF_ID, va);
	f = user_fetch(va);
	report_pf(names[1], f, PF_P | PF_ID | PF_U, va);
	set_flags(perm_va, PTE_RW_USER, PTE_RW_USER | PTE_NX);
	f = probe_fetch(va);
	report_pf(names[2], f, PF_P | PF_ID, va);
	set_flags(perm_va, PTE_RW_USER, PTE_RW_USER);
	f = probe_fetch(va);
	bool f2 = user_fetch(va);
	report(!f && !f2, names[3], "faults %d/%d vector %u error 0x%x", f, f2, last_fault.vector,
	       last_fault.error);
	set_flags(perm_va, 0, PTE_RW_USER);
	f = probe_fetch(va);
	report_pf(names[4], f, PF_ID, va);
	set_nxe(false);
	invlpg(va);
	f = probe_fetch(va);
	set_nxe(true);
	report_pf(names[5], f, 0, va);

	set_flags(perm_va, PTE_RW_USER | PTE_NX, PTE_RW_USER);
	set_nxe(false);
	invlpg(va);
	uint32_t v;
	f = probe_read32(va, &v);
	set_nxe(true);
	report_pf(names[6], f, PF_P | PF_RSVD, va);
	set_flags(perm_va, PTE_RW_USER, PTE_RW_USER);
}

/* Reserved bits: a physical-address bit at or above MAXPHYADDR (PAE/4-level), bit 13 of
 * a 2 MiB PDE, bit 21 of a 4 MiB PDE, PS in a PML4E (SDM §4.3-§4.5 entry formats). */
void ptest_rsvd(void)
{
	uintptr_t va = slot(SLOT_RSVD);
	uintptr_t frame = data_frame(101);
	uintptr_t large = frame_alloc_large((uint32_t)pt_page_size(2));
	uint32_t v;
	bool f;
	pt_map(main_root, va, frame, PTE_RW_USER);
	uintptr_t pte = pte_of(va), pde = pde_of(va);
	if (pt_mode() != PG_MODE_32) {
		uint64_t bit = env.maxphyaddr < 52 ? 1ull << env.maxphyaddr : 0;
		const char *n[] = {
		    "rsvd: PTE address bit at MAXPHYADDR, read (#PF 0x9)",
		    "rsvd: PTE address bit at MAXPHYADDR, write (#PF 0xb)",
		    "rsvd: PTE address bit at MAXPHYADDR, user read (#PF 0xd)",
		    "rsvd: PDE address bit at MAXPHYADDR, read (#PF 0x9)",
		};
		if (!bit) {
			for (int i = 0; i < 4; i++)
				report_skip(n[i], "MAXPHYADDR is 52: no reserved address bit");
		} else {
			pt_set(pte, frame | PTE_RW_USER | bit);
			invlpg(va);
			f = probe_read32(va, &v);
			report_pf(n[0], f, PF_P | PF_RSVD, va);
			f = probe_write32(va, 1);
			report_pf(n[1], f, PF_P | PF_RSVD | PF_W, va);
			f = user_read32(va, &v);
			report_pf(n[2], f, PF_P | PF_RSVD | PF_U, va);
			pt_set(pte, frame | PTE_RW_USER);
			uint64_t saved = pt_get(pde);
			pt_set(pde, saved | bit);
			invlpg(va);
			f = probe_read32(va, &v);
			report_pf(n[3], f, PF_P | PF_RSVD, va);
			pt_set(pde, saved);
		}
	}
	/* A large page with its always-reserved bit set. */
	uintptr_t lva = va + (uintptr_t)pt_page_size(2);
	uint64_t rsvd = pt_mode() == PG_MODE_32 ? PDE4M_RSVD_BIT21 : PDE2M_RSVD_BIT13;
	pt_map_large(main_root, lva, large, PTE_RW_USER | rsvd, 2);
	f = probe_read32(lva, &v);
	report_pf(pt_mode() == PG_MODE_32 ? "rsvd: 4 MiB PDE bit 21 (#PF 0x9)"
	                                  : "rsvd: 2 MiB PDE bit 13 (#PF 0x9)",
	          f, PF_P | PF_RSVD, lva);
	pt_map_large(main_root, lva, large, PTE_RW_USER, 2);
	f = probe_read32(lva, &v);
	report_no_fault("rsvd: the same large page without the bit reads", f);

	if (pt_mode() == PG_MODE_LONG) {
		uint64_t hva = 1ull << 39; /* PML4 entry 1: its own PML4E */
		pt_map(main_root, hva, frame, PTE_RW_USER);
		uintptr_t pml4e = pt_entry(main_root, hva, 4, false);
		pt_set(pml4e, pt_get(pml4e) | PTE_PS);
		invlpg((uintptr_t)hva);
		f = probe_read32((uintptr_t)hva, &v);
		report_pf("rsvd: PS bit in a PML4E (#PF 0x9)", f, PF_P | PF_RSVD, (uintptr_t)hva);
		pt_set(pml4e, pt_get(pml4e) & ~PTE_PS);
		invlpg((uintptr_t)hva);
	}
}
