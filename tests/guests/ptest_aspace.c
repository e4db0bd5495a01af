/* Many address spaces: 16 trees map the same virtual page to different frames and are
 * switched round-robin with MOV CR3; each must see its own data. */
#include "tests/guests/cpu.h"
#include "tests/guests/ptest.h"
#include "tests/guests/report.h"

#define SPACES 16
#define ROUNDS 3

void ptest_aspace(void)
{
	uintptr_t va = slot(SLOT_ASPACE);
	uintptr_t roots[SPACES], frames[SPACES];
	for (uint32_t i = 0; i < SPACES; i++) {
		roots[i] = pt_new_root();
		frames[i] = data_frame(500 + i);
		pt_map(roots[i], va, frames[i], PTE_P | PTE_W);
	}
	uint32_t bad_space = SPACES, bad_round = 0, seen = 0;
	for (uint32_t r = 0; r < ROUNDS; r++) {
		for (uint32_t i = 0; i < SPACES; i++) {
			write_cr3(roots[i]);
			uint32_t v = 0;
			if ((probe_read32(va, &v) || v != pattern(500 + i, 0)) &&
			    bad_space == SPACES) {
				bad_space = i;
				bad_round = r;
				seen = v;
			}
			probe_write32(va + 4, r * SPACES + i);
		}
	}
	write_cr3(main_root);
	report(bad_space == SPACES, "aspace: 16 trees switched round-robin read their own data",
	       "tree %u round %u reads 0x%x, expected 0x%x", bad_space, bad_round, seen,
	       pattern(500 + bad_space, 0));
	uint32_t bad = SPACES;
	for (uint32_t i = 0; i < SPACES && bad == SPACES; i++)
		if (((volatile uint32_t *)frames[i])[1] != (ROUNDS - 1) * SPACES + i)
			bad = i;
	report(bad == SPACES, "aspace: writes in each tree land in its own frame",
	       "frame of tree %u holds 0x%x", bad,
	       bad < SPACES ? ((volatile uint32_t *)frames[bad])[1] : 0);
	uint32_t v;
	bool f = probe_read32(va, &v);
	report_pf("aspace: the page is not mapped in the first tree (#PF 0x0)", f, 0, va);
}
