/* LINT0 in ExtINT mode passes the 8259 through; the APIC globally disabled
 * is not there at all; the BIOS hand-off state. */
#include "tests/unit/harness.h"

#include "tests/unit/lapic/rig.h"

#define PIC_TIMER 0x08 /* IRQ0 with the BIOS's master base */

static void bios(void)
{
	rig_reset();
	vlapic_bios_handoff(&rig.apic);
}

TEST(power_up_state_blocks_the_8259)
{
	rig_reset();
	rig.pic_vector = PIC_TIMER;
	CHECK_EQ(pending(), IO_INTR_NONE);
	CHECK_EQ(ack(), 0xff); /* nothing signalled: the APIC's spurious vector */
	CHECK_EQ(rig.pic_acks, 0);
}

TEST(bios_handoff_state)
{
	bios();
	CHECK_EQ(rd(APIC_SVR), 0x1ff);
	CHECK(vlapic_sw_enabled(&rig.apic));
	CHECK_EQ(rd(APIC_LVT_LINT0), 0x8700);
	CHECK_EQ(rd(APIC_LVT_LINT1), 0x8400);
	CHECK_EQ(rd(APIC_LVT_TIMER), 0x10000);
	CHECK_EQ(rd(APIC_LVT_THERMAL), 0x10000);
	CHECK_EQ(rd(APIC_LVT_PERF), 0x10000);
	CHECK_EQ(rd(APIC_LVT_ERROR), 0x10000);
	CHECK_EQ(rd(APIC_TPR), 0);
	CHECK_EQ(rd(APIC_ICR_LOW), 0);
	CHECK_EQ(vlapic_read_base_msr(&rig.apic), 0xfee00900ull);
	/* Globally disabled, there is nothing to hand over. */
	rig_reset();
	CHECK_EQ(vlapic_write_base_msr(&rig.apic, 0xfee00100ull), VLAPIC_MSR_OK);
	vlapic_bios_handoff(&rig.apic);
	CHECK_EQ(rig.apic.reg[vlapic_slot(APIC_SVR)], 0xff);
}

TEST(virtual_wire_passes_the_8259_through)
{
	bios();
	rig.pic_vector = PIC_TIMER;
	CHECK_EQ(pending(), PIC_TIMER);
	CHECK_EQ(ack(), PIC_TIMER);
	CHECK_EQ(rig.pic_acks, 1);
	CHECK_EQ(reg_count(APIC_ISR), 0); /* ExtINT does not use IRR/ISR */
	CHECK_EQ(reg_count(APIC_IRR), 0);
	CHECK_EQ(pending(), IO_INTR_NONE);
	CHECK_EQ(rig.apic.stats.extint, 1);
}

TEST(extint_ignores_the_task_priority)
{
	bios();
	wr(APIC_TPR, 0xff);
	rig.pic_vector = 0x20;
	CHECK_EQ(pending(), 0x20);
	CHECK_EQ(ack(), 0x20);
}

TEST(deliverable_fixed_interrupt_goes_before_extint)
{
	bios();
	rig.pic_vector = PIC_TIMER;
	send_ipi(0, 0x000400ec);
	CHECK_EQ(pending(), 0xec);
	CHECK_EQ(ack(), 0xec);
	CHECK_EQ(rig.pic_acks, 0);
	/* 0xec in service does not hold back the 8259 (no priority for ExtINT). */
	CHECK_EQ(pending(), PIC_TIMER);
	/* A fixed vector PPR blocks does not hold it back either. */
	send_ipi(0, 0x000400e1);
	CHECK_EQ(pending(), PIC_TIMER);
	CHECK_EQ(ack(), PIC_TIMER);
	eoi();
	CHECK_EQ(ack(), 0xe1);
}

TEST(masked_lint0_blocks_the_8259)
{
	bios();
	wr(APIC_LVT_LINT0, 0x18700);
	rig.pic_vector = PIC_TIMER;
	CHECK_EQ(pending(), IO_INTR_NONE);
	CHECK_EQ(ack(), 0xff);
	CHECK_EQ(rig.pic_acks, 0);
	CHECK_EQ(rig.pic_vector, PIC_TIMER); /* still waiting in the 8259 */
	wr(APIC_LVT_LINT0, 0x8700);
	CHECK_EQ(pending(), PIC_TIMER);
}

TEST(lint0_in_fixed_mode_does_not_pass_the_8259)
{
	bios();
	wr(APIC_LVT_LINT0, 0x0030);
	rig.pic_vector = PIC_TIMER;
	CHECK_EQ(pending(), IO_INTR_NONE);
}

TEST(software_disable_closes_virtual_wire)
{
	bios();
	rig.pic_vector = PIC_TIMER;
	wr(APIC_SVR, 0xff);
	CHECK_EQ(rd(APIC_LVT_LINT0), 0x18700);
	CHECK_EQ(pending(), IO_INTR_NONE);
}

TEST(globally_disabled_apic_passes_the_8259_straight)
{
	bios();
	wr(APIC_TPR, 0x40);
	send_ipi(0, 0x000400ec);
	CHECK_EQ(vlapic_write_base_msr(&rig.apic, 0xfee00100ull), VLAPIC_MSR_OK);
	rig.pic_vector = PIC_TIMER;
	CHECK_EQ(pending(), PIC_TIMER); /* not the 0xec the APIC had */
	CHECK_EQ(ack(), PIC_TIMER);
	CHECK_EQ(rig.pic_acks, 1);
	CHECK_EQ(pending(), IO_INTR_NONE);
	CHECK_EQ(ack(), 0x0f); /* the 8259's own spurious IR7 */
	CHECK_EQ(io_intr_get_tpr(&rig.intr), 0);
	io_intr_set_tpr(&rig.intr, 0x50);
	CHECK_EQ(io_intr_get_tpr(&rig.intr), 0);
	/* Enabled again: power-up state, software-disabled, LINT0 masked. */
	CHECK_EQ(vlapic_write_base_msr(&rig.apic, 0xfee00900ull), VLAPIC_MSR_OK);
	rig.pic_vector = PIC_TIMER;
	CHECK_EQ(pending(), IO_INTR_NONE);
	CHECK_EQ(rd(APIC_TPR), 0);
	CHECK_EQ(reg_count(APIC_IRR), 0);
}

TEST(no_8259_connected_means_nothing_to_pass)
{
	struct vlapic a;
	vlapic_init(&a, 0, 36);
	vlapic_bios_handoff(&a);
	CHECK_EQ(vlapic_pending(&a), IO_INTR_NONE);
	CHECK_EQ(vlapic_ack(&a), 0xff);
	CHECK_EQ(vlapic_write_base_msr(&a, 0xfee00100ull), VLAPIC_MSR_OK);
	CHECK_EQ(vlapic_pending(&a), IO_INTR_NONE);
}
