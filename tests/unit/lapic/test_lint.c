/* The LINT0/LINT1 pins: NMI, fixed edge and level requests, polarity, and
 * LINT1 as the NMI pin of a globally disabled APIC. */
#include "tests/unit/harness.h"

#include "tests/unit/lapic/rig.h"

static void lint(unsigned pin, bool level)
{
	struct io_irq line = {&rig.apic.lint_chip, pin};
	io_irq_set(&line, level);
}

static bool nmi(void)
{
	return io_intr_nmi_pending(&rig.intr);
}

TEST(lint1_nmi_on_the_rising_edge)
{
	rig_reset();
	vlapic_bios_handoff(&rig.apic);
	lint(VLAPIC_LINT1, true);
	CHECK(nmi());
	io_intr_nmi_ack(&rig.intr);
	lint(VLAPIC_LINT1, true); /* still high: no new edge */
	CHECK(!nmi());
	lint(VLAPIC_LINT1, false);
	CHECK(!nmi());
	lint(VLAPIC_LINT1, true);
	CHECK(nmi());
	CHECK_EQ(reg_count(APIC_IRR), 0);
	CHECK_EQ(rig.apic.stats.nmis, 2);
}

TEST(masked_lint1_raises_nothing)
{
	rig_reset(); /* power-up: LINT1 masked */
	lint(VLAPIC_LINT1, true);
	CHECK(!nmi());
	rig_enabled();
	wr(APIC_LVT_LINT1, 0x10400);
	lint(VLAPIC_LINT1, true);
	CHECK(!nmi());
}

TEST(lint1_is_the_nmi_pin_when_globally_disabled)
{
	rig_reset();
	CHECK_EQ(vlapic_write_base_msr(&rig.apic, 0xfee00100ull), VLAPIC_MSR_OK);
	lint(VLAPIC_LINT1, true);
	CHECK(nmi());
	io_intr_nmi_ack(&rig.intr);
	lint(VLAPIC_LINT0, true);
	lint(VLAPIC_LINT1, false);
	CHECK(!nmi());
}

TEST(active_low_polarity_asserts_on_the_falling_edge)
{
	rig_enabled();
	lint(VLAPIC_LINT1, true);
	wr(APIC_LVT_LINT1, APIC_LVT_PIN_POLARITY | 0x400);
	CHECK(!nmi());
	lint(VLAPIC_LINT1, false);
	CHECK(nmi());
}

TEST(lint0_fixed_edge_requests_once_per_rising_edge)
{
	rig_enabled();
	wr(APIC_LVT_LINT0, 0x0041);
	lint(VLAPIC_LINT0, true);
	CHECK(reg_has(APIC_IRR, 0x41));
	CHECK_EQ(reg_count(APIC_TMR), 0);
	CHECK_EQ(ack(), 0x41);
	eoi();
	CHECK_EQ(pending(), IO_INTR_NONE); /* held high: no new edge */
	lint(VLAPIC_LINT0, false);
	lint(VLAPIC_LINT0, true);
	CHECK_EQ(pending(), 0x41);
	CHECK_EQ(rig.apic.stats.accepted[VLAPIC_SRC_LINT0], 2);
}

TEST(lint0_fixed_level_requests_until_lowered_one_per_eoi)
{
	rig_enabled();
	wr(APIC_LVT_LINT0, APIC_LVT_LEVEL_TRIGGER | 0x42);
	lint(VLAPIC_LINT0, true);
	CHECK(reg_has(APIC_IRR, 0x42));
	CHECK(reg_has(APIC_TMR, 0x42));
	CHECK_EQ(rd(APIC_LVT_LINT0), APIC_LVT_REMOTE_IRR | APIC_LVT_LEVEL_TRIGGER | 0x42);
	/* Rewriting the entry keeps remote IRR, the APIC's own bit. */
	wr(APIC_LVT_LINT0, APIC_LVT_LEVEL_TRIGGER | 0x42);
	CHECK(rd(APIC_LVT_LINT0) & APIC_LVT_REMOTE_IRR);
	CHECK_EQ(ack(), 0x42);
	CHECK_EQ(pending(), IO_INTR_NONE);
	eoi(); /* still asserted: it requests again */
	CHECK(reg_has(APIC_IRR, 0x42));
	CHECK(rd(APIC_LVT_LINT0) & APIC_LVT_REMOTE_IRR);
	lint(VLAPIC_LINT0, false);
	CHECK_EQ(ack(), 0x42);
	eoi();
	CHECK_EQ(rd(APIC_LVT_LINT0), APIC_LVT_LEVEL_TRIGGER | 0x42);
	CHECK_EQ(reg_count(APIC_IRR), 0);
	CHECK_EQ(rig.apic.stats.accepted[VLAPIC_SRC_LINT0], 2);
}

TEST(unmasking_a_level_entry_with_its_pin_held_requests)
{
	rig_enabled();
	wr(APIC_LVT_LINT1, APIC_LVT_MASKED | APIC_LVT_LEVEL_TRIGGER | 0x43);
	lint(VLAPIC_LINT1, true);
	CHECK_EQ(reg_count(APIC_IRR), 0);
	wr(APIC_LVT_LINT1, APIC_LVT_LEVEL_TRIGGER | 0x43);
	CHECK(reg_has(APIC_IRR, 0x43));
	CHECK_EQ(rig.apic.stats.accepted[VLAPIC_SRC_LINT1], 1);
}

TEST(lint0_in_extint_mode_ignores_its_pin)
{
	rig_reset();
	vlapic_bios_handoff(&rig.apic);
	lint(VLAPIC_LINT0, true);
	CHECK_EQ(reg_count(APIC_IRR), 0);
	CHECK(!nmi());
	CHECK_EQ(pending(), IO_INTR_NONE);
}
