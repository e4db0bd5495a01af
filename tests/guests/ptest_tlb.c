/* Global pages (SDM Vol. 3A §4.10.2.4, §4.10.4.1): a CR3 load may keep a global
 * translation, so only what is guaranteed is tested: after toggling CR4.PGE or an INVLPG
 * of the page, the new entry is used; non-global entries go at a CR3 load. */
#include "tests/guests/cpu.h"
#include "tests/guests/env.h"
#include "tests/guests/ptest.h"
#include "tests/guests/report.h"

void ptest_tlb(void)
{
	static const char *const names[] = {
	    "global: changed global PTE seen after CR4.PGE toggle",
	    "global: changed global PTE seen after INVLPG",
	    "global: changed non-global PTE seen after CR3 reload with CR4.PGE=1",
	};
	if (!env.pge) {
		for (int i = 0; i < 3; i++)
			report_skip(names[i], "CPUID has no PGE");
		return;
	}
	uintptr_t va = slot(SLOT_TLB), va2 = va + PAGE_SIZE;
	uintptr_t f[5];
	for (uint32_t i = 0; i < 5; i++)
		f[i] = data_frame(300 + i);
	write_cr4(read_cr4() | CR4_PGE);
	pt_map(main_root, va, f[0], PTE_P | PTE_W | PTE_G);
	pt_map(main_root, va2, f[3], PTE_P | PTE_W);
	reads_seed(va, 300);
	reads_seed(va2, 303);

	pt_set(pte_of(va), f[1] | PTE_P | PTE_W | PTE_G);
	write_cr4(read_cr4() & ~CR4_PGE);
	write_cr4(read_cr4() | CR4_PGE);
	report(reads_seed(va, 301), names[0], "fault %d", last_fault.taken);

	pt_set(pte_of(va), f[2] | PTE_P | PTE_W | PTE_G);
	invlpg(va);
	report(reads_seed(va, 302), names[1], "fault %d", last_fault.taken);

	pt_set(pte_of(va2), f[4] | PTE_P | PTE_W);
	flush_tlb_nonglobal();
	report(reads_seed(va2, 304), names[2], "fault %d", last_fault.taken);

	pt_set(pte_of(va), 0);
	write_cr4(read_cr4() & ~CR4_PGE);
}
