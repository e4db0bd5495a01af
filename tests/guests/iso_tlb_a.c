/* guest-iso-tlb-a: maps linear L..L+63 pages onto its own frames, fills them with its
 * secret, reads every page once so that the TLB holds the 64 translations, and exits
 * without touching CR3 again. Alone it passes its own checks; its real test is the next
 * guest, guest-iso-tlb-b. */
#include "tests/guests/cpu.h"
#include "tests/guests/guest.h"
#include "tests/guests/iso_tlb.h"
#include "tests/guests/report.h"

const char guest_name[] = "iso-tlb-a";

static void fill_secret(void)
{
	for (uint32_t p = 0; p < TLB_PAGES; p++) {
		volatile uint32_t *w = (volatile uint32_t *)(uintptr_t)(TLB_L + p * 4096u);
		for (uint32_t i = 0; i < 1024; i++)
			w[i] = tlb_secret(p, i);
	}
}

/* One read per page: the translation is cached now (SDM Vol. 3A §4.10.2). */
static uint32_t touch_pages(void)
{
	uint32_t bad = 0;
	for (uint32_t p = 0; p < TLB_PAGES; p++) {
		uint32_t w = ((volatile uint32_t *)(uintptr_t)(TLB_L + p * 4096u))[p];
		bad += w != tlb_secret(p, p);
	}
	return bad;
}

/* Through the identity map of the frames: the secret is in A's frames, not at L. */
static bool secret_in_frames(void)
{
	for (uint32_t p = 0; p < TLB_PAGES; p++) {
		const volatile uint32_t *f =
		    (const volatile uint32_t *)(uintptr_t)(TLB_A_FRAMES + p * 4096u);
		const volatile uint32_t *l =
		    (const volatile uint32_t *)(uintptr_t)(TLB_L + p * 4096u);
		if (f[1023] != tlb_secret(p, 1023) || f[7] != tlb_secret(p, 7) || l[0] != f[0])
			return false;
	}
	return true;
}

void guest_main(void)
{
	if (!tlb_build(TLB_A_FRAMES))
		return;
	tlb_paging_on();
	report_info("PAE paging on, CR3 0x%lx: linear 0x%x..0x%x -> frames 0x%x..", read_cr3(),
	            TLB_L, TLB_L + TLB_SPAN, TLB_A_FRAMES);
	fill_secret();
	report(secret_in_frames(), "tlb: linear L..L+63 pages map its own frames, secret stored",
	       "frames at 0x%x do not hold what linear 0x%x shows", TLB_A_FRAMES, TLB_L);
	uint32_t bad = touch_pages();
	report(!bad,
	       "tlb: one read per page (the TLB holds the translations), exit without a CR3 load",
	       "%u pages read back wrong", bad);
}
