/* The report lines, and that printing changes nothing. */
#include "tests/unit/harness.h"

#include "tests/unit/lapic/rig.h"

static void expect_line(const char *line)
{
	if (!strstr(rig.log, line)) {
		printf("  missing: %s", line);
		harness_current_failed = 1;
	}
}

TEST(print_registers_and_no_side_effects)
{
	rig_reset();
	wr(APIC_TIMER_INITIAL, 5000);
	send_ipi(0, 0x000c4500);
	send_ipi(0, 0x000c4608);
	send_ipi(0, 0x000c4608);
	rig_at(T0 + 1000); /* divide by 2: 500 counts */
	print_capture();
	expect_line("lapic: base 0xfee00000 enabled, id 0x00, svr 0x000000ff "
	            "(software disabled), tpr 0x00\n");
	expect_line("lapic: ldr 0x00000000 dfr 0xffffffff icr 0x00000000:000c4608 "
	            "esr 0x00000000\n");
	expect_line("lapic: lvt timer 0x00010000 thermal 0x00010000 perf 0x00010000 "
	            "lint0 0x00010000 lint1 0x00010000 error 0x00010000\n");
	expect_line("lapic: timer initial 0x00001388 current 0x00001194 divide by 2 "
	            "(one-shot)\n");
	expect_line("lapic: ipis: fixed 0 INIT 1 SIPI 2 other 0, to self 0; eoi writes 0\n");
	expect_line("lapic: irqs: timer 0 error 0 lint 0 ipi 0 (coalesced 0 refused 0), taken 0 "
	            "extint 0 nmi 0 spurious 0 eoi 0; timer expiries 0 collapsed 0 masked 0; "
	            "irr 0x00 isr 0x00\n");
	char first[sizeof(rig.log)];
	memcpy(first, rig.log, sizeof(first));
	print_capture();
	CHECK(strcmp(first, rig.log) == 0);
	CHECK_EQ(rd(APIC_TIMER_CURRENT), 4500);
	if (harness_current_failed)
		printf("%s", rig.log);
}

TEST(print_interrupt_statistics)
{
	rig_enabled();
	wr(APIC_LVT_TIMER, APIC_LVT_TIMER_PERIODIC | 0xec);
	wr(APIC_TIMER_DIVIDE, 0xb);
	wr(APIC_TIMER_INITIAL, 100000); /* 100 us */
	run_until(T0 + NS_PER_MS, 0);
	wr(APIC_LVT_LINT0, 0x700);
	rig.pic_vector = 0x08;
	CHECK_EQ(ack(), 0x08);
	send_ipi(0, 0x00040040);
	send_ipi(0, 0x00040040);
	CHECK_EQ(ack(), 0x40);
	send_ipi(0, 0x00040030); /* waits below the class of 0x40 */
	send_ipi(0, 0x00040400); /* NMI */
	CHECK_EQ(ack(), 0xff);
	print_capture();
	expect_line("lapic: timer initial 0x000186a0 current 0x000186a0 divide by 1 (periodic)\n");
	expect_line("lapic: ipis: fixed 3 INIT 0 SIPI 0 other 1, to self 4; eoi writes 10\n");
	expect_line("lapic: irqs: timer 10 error 0 lint 0 ipi 3 (coalesced 1 refused 0), taken 11 "
	            "extint 1 nmi 1 spurious 1 eoi 10; timer expiries 10 collapsed 0 masked 0; "
	            "irr 0x30 isr 0x40\n");
	if (harness_current_failed)
		printf("%s", rig.log);
}
