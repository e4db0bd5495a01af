/* guest-iso-tlb-b: run right after guest-iso-tlb-a. Its entry already read L..L+63 pages
 * with paging off (iso_tlb_b_entry.S); then it looks at the guest-physical frames where A
 * kept its secret, and at L again with paging on in the same tree at the same CR3 value
 * as A's, with L identity-mapped. Everything must be zero: fresh RAM of its own, never a
 * word of A's (SDM Vol. 3A §4.10.4: a new guest inherits no translation). */
#include "tests/guests/cpu.h"
#include "tests/guests/guest.h"
#include "tests/guests/iso_tlb.h"
#include "tests/guests/report.h"

const char guest_name[] = "iso-tlb-b";

extern struct tlb_scan tlb_early;

static struct tlb_scan scan;

void guest_main(void)
{
	tlb_report_zero("tlb: paging off, first thing at entry: L..L+63 pages read zero, not A's "
	                "secret",
	                &tlb_early);
	if (!tlb_build(TLB_L))
		return;
	tlb_scan(TLB_A_FRAMES, &scan);
	tlb_report_zero("tlb: paging off: the frames where A kept its secret read zero", &scan);
	tlb_paging_on();
	report_info("PAE paging on, CR3 0x%lx (A's value): linear 0x%x.. identity-mapped",
	            read_cr3(), TLB_L);
	tlb_scan(TLB_L, &scan);
	tlb_report_zero("tlb: paging on, same CR3 as A, L identity-mapped: L..L+63 pages read zero",
	                &scan);
	tlb_scan(TLB_A_FRAMES, &scan);
	tlb_report_zero("tlb: paging on: A's frame addresses read zero", &scan);
}
