/* guest-pg32, guest-pae, guest-long: the paging test list in one paging mode
 * (GUEST_PG_MODE), in a tree the guest builds itself. */
#include "tests/guests/cpu.h"
#include "tests/guests/env.h"
#include "tests/guests/guest.h"
#include "tests/guests/ptest.h"
#include "tests/guests/report.h"

const char guest_name[] = GUEST_PROG;

void guest_main(void)
{
	frames_init();
	pt_set_mode(GUEST_PG_MODE);
	if (GUEST_PG_MODE == PG_MODE_32 && !env.pse) {
		report_fail("setup: CPUID PSE", "32-bit paging guest needs 4 MiB pages");
		return;
	}
	main_root = pt_new_root();
	paging_enable(main_root);
	report_info("%s paging on, CR0 0x%lx CR3 0x%lx CR4 0x%lx", pt_mode_name(), read_cr0(),
	            read_cr3(), read_cr4());
	ptest_hostile_prepare();
	ptest_map();
	ptest_perm();
	ptest_nx();
	ptest_rsvd();
	ptest_ad();
	ptest_tlb();
	ptest_large();
	ptest_aspace();
	ptest_cow();
	ptest_reuse();
	ptest_hostile();
}
