/* The deterministic timer model and the log format. */
#include "tests/unit/harness.h"

#include "tests/unit/devices/capture.h"
#include "tests/unit/devices/lapic_util.h"

TEST(timer_stopped_at_reset)
{
	struct vlapic a;
	vlapic_init(&a, 0, 36);
	for (int i = 0; i < 5; i++)
		CHECK_EQ(lapic_rd(&a, APIC_TIMER_CURRENT), 0);
}

TEST(timer_one_shot_counts_down_then_stays_zero)
{
	struct vlapic a;
	vlapic_init(&a, 0, 36);
	CHECK(lapic_wr(&a, APIC_TIMER_INITIAL, 2000) == VLAPIC_OK);
	CHECK_EQ(lapic_rd(&a, APIC_TIMER_INITIAL), 2000);
	/* Divide by 2 (reset): 1024 bus clocks per read = 512 counts. */
	CHECK_EQ(lapic_rd(&a, APIC_TIMER_CURRENT), 1488);
	CHECK_EQ(lapic_rd(&a, APIC_TIMER_CURRENT), 976);
	CHECK_EQ(lapic_rd(&a, APIC_TIMER_CURRENT), 464);
	CHECK_EQ(lapic_rd(&a, APIC_TIMER_CURRENT), 0);
	CHECK_EQ(lapic_rd(&a, APIC_TIMER_CURRENT), 0);
	CHECK_EQ(lapic_rd(&a, APIC_TIMER_INITIAL), 2000);
}

TEST(timer_step_follows_divide_configuration)
{
	const struct {
		uint32_t dcr, step;
	} cases[] = {
	    {0x0, 512}, {0x1, 256},  {0x2, 128},
	    {0x3, 64},  {0x8, 32},   {0x9, 16},
	    {0xa, 8},   {0xb, 1024}, {0x4, 512} /* bit 2 is reserved */,
	};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vlapic a;
		vlapic_init(&a, 0, 36);
		CHECK(lapic_wr(&a, APIC_TIMER_DIVIDE, cases[i].dcr) == VLAPIC_OK);
		CHECK(lapic_wr(&a, APIC_TIMER_INITIAL, 100000) == VLAPIC_OK);
		uint32_t first = lapic_rd(&a, APIC_TIMER_CURRENT);
		uint32_t second = lapic_rd(&a, APIC_TIMER_CURRENT);
		if (first != 100000 - cases[i].step || first - second != cases[i].step) {
			printf("  dcr 0x%x: %u then %u, want steps of %u\n", cases[i].dcr, first,
			       second, cases[i].step);
			harness_current_failed = 1;
		}
	}
}

TEST(timer_periodic_reloads)
{
	struct vlapic a;
	vlapic_init(&a, 0, 36);
	lapic_sw_enable(&a);
	CHECK(lapic_wr(&a, APIC_LVT_TIMER, 0x00020040) == VLAPIC_OK); /* periodic */
	CHECK(lapic_wr(&a, APIC_TIMER_DIVIDE, 0xb) == VLAPIC_OK);     /* by 1 */
	CHECK(lapic_wr(&a, APIC_TIMER_INITIAL, 3000) == VLAPIC_OK);
	CHECK_EQ(lapic_rd(&a, APIC_TIMER_CURRENT), 1976);
	CHECK_EQ(lapic_rd(&a, APIC_TIMER_CURRENT), 952);
	CHECK_EQ(lapic_rd(&a, APIC_TIMER_CURRENT), 3000);
	CHECK_EQ(lapic_rd(&a, APIC_TIMER_CURRENT), 1976);
}

TEST(timer_periodic_shorter_than_a_step_reads_initial)
{
	struct vlapic a;
	vlapic_init(&a, 0, 36);
	/* Software-disabled: the mask is forced but the mode bit is kept. */
	CHECK(lapic_wr(&a, APIC_LVT_TIMER, 0x00020040) == VLAPIC_OK);
	CHECK_EQ(lapic_rd(&a, APIC_LVT_TIMER), 0x00030040);
	CHECK(lapic_wr(&a, APIC_TIMER_INITIAL, 100) == VLAPIC_OK);
	CHECK_EQ(lapic_rd(&a, APIC_TIMER_CURRENT), 100);
	CHECK_EQ(lapic_rd(&a, APIC_TIMER_CURRENT), 100);
}

TEST(timer_initial_zero_stops_and_rewrite_restarts)
{
	struct vlapic a;
	vlapic_init(&a, 0, 36);
	CHECK(lapic_wr(&a, APIC_TIMER_INITIAL, 5000) == VLAPIC_OK);
	CHECK_EQ(lapic_rd(&a, APIC_TIMER_CURRENT), 4488);
	CHECK(lapic_wr(&a, APIC_TIMER_INITIAL, 0) == VLAPIC_OK);
	CHECK_EQ(lapic_rd(&a, APIC_TIMER_CURRENT), 0);
	CHECK(lapic_wr(&a, APIC_TIMER_INITIAL, 5000) == VLAPIC_OK);
	CHECK_EQ(lapic_rd(&a, APIC_TIMER_CURRENT), 4488);
	CHECK(lapic_wr(&a, APIC_TIMER_INITIAL, 5000) == VLAPIC_OK);
	CHECK_EQ(lapic_rd(&a, APIC_TIMER_CURRENT), 4488);
	/* Periodic with initial 0 is stopped too. */
	lapic_sw_enable(&a);
	CHECK(lapic_wr(&a, APIC_LVT_TIMER, 0x00020040) == VLAPIC_OK);
	CHECK(lapic_wr(&a, APIC_TIMER_INITIAL, 0) == VLAPIC_OK);
	CHECK_EQ(lapic_rd(&a, APIC_TIMER_CURRENT), 0);
	CHECK_EQ(lapic_rd(&a, APIC_TIMER_CURRENT), 0);
}

TEST(timer_expired_one_shot_does_not_restart_in_periodic_mode)
{
	struct vlapic a;
	vlapic_init(&a, 0, 36);
	lapic_sw_enable(&a);
	CHECK(lapic_wr(&a, APIC_TIMER_INITIAL, 100) == VLAPIC_OK);
	CHECK_EQ(lapic_rd(&a, APIC_TIMER_CURRENT), 0);
	CHECK(lapic_wr(&a, APIC_LVT_TIMER, 0x00020040) == VLAPIC_OK);
	CHECK_EQ(lapic_rd(&a, APIC_TIMER_CURRENT), 0);
}

TEST(lapic_print_format_and_no_side_effects)
{
	struct vlapic a;
	vlapic_init(&a, 0, 36);
	CHECK(lapic_wr(&a, APIC_TIMER_INITIAL, 5000) == VLAPIC_OK);
	CHECK(lapic_wr(&a, APIC_ICR_LOW, 0x000c4500) == VLAPIC_IPI_SENT);
	CHECK(lapic_wr(&a, APIC_ICR_LOW, 0x000c4608) == VLAPIC_IPI_SENT);
	CHECK(lapic_wr(&a, APIC_ICR_LOW, 0x000c4608) == VLAPIC_IPI_SENT);
	capture_reset();
	vlapic_print(&a, capture_log());
	CHECK(strstr(captured, "lapic: base 0xfee00000 enabled, id 0x00, svr 0x000000ff "
	                       "(software disabled), tpr 0x00\n") != 0);
	CHECK(strstr(captured, "lapic: ldr 0x00000000 dfr 0xffffffff icr 0x00000000:000c4608 "
	                       "esr 0x00000000\n") != 0);
	CHECK(strstr(captured, "lapic: lvt timer 0x00010000 thermal 0x00010000 perf 0x00010000 "
	                       "lint0 0x00010000 lint1 0x00010000 error 0x00010000\n") != 0);
	CHECK(strstr(captured, "lapic: timer initial 0x00001388 current 0x00001388 divide by 2 "
	                       "(one-shot)\n") != 0);
	CHECK(strstr(captured, "lapic: ipis: fixed 0 INIT 1 SIPI 2 other 0, to self 0; "
	                       "eoi writes 0\n") != 0);
	/* Printing did not advance the timer. */
	CHECK_EQ(lapic_rd(&a, APIC_TIMER_CURRENT), 5000 - 512);
	if (harness_current_failed)
		printf("%s", captured);
}
