/* The 8259A pair: what INTR signals and what INTA returns on the master:
 * fixed priority, nesting, masking, automatic EOI, the default IR7. */
#include "tests/unit/harness.h"

#include "tests/unit/pic/rig.h"

static void setup(struct rig *r)
{
	rig_init(r);
	rig_linux_init(r, 0x30, 0x38); /* Linux x86-64: ISA_IRQ_VECTOR(0) = 0x30 */
	outb(r, 0x21, 0x00);
	outb(r, 0xa1, 0x00);
}

TEST(a_request_is_signalled_with_base_plus_ir)
{
	struct rig r;
	setup(&r);
	CHECK(!i8259_intr_output(&r.pic));
	irq_pulse(&r, 6);
	CHECK(i8259_intr_output(&r.pic));
	CHECK_EQ(pending(&r), 0x36);
	CHECK_EQ(pending(&r), 0x36); /* asking does not acknowledge */
	CHECK_EQ(ack(&r), 0x36);
	CHECK_EQ(inb(&r, 0x20), 0x00);      /* IRR bit reset by INTA ... */
	CHECK_EQ(read_isr(&r, 0x20), 0x40); /* ... ISR bit set */
	CHECK(!i8259_intr_output(&r.pic));
	CHECK_EQ(pending(&r), IO_INTR_NONE);
	CHECK_EQ(r.pic.delivered[6], 1);
}

TEST(fixed_priority_ir0_highest)
{
	struct rig r;
	setup(&r);
	irq_pulse(&r, 7);
	irq_pulse(&r, 4);
	irq_pulse(&r, 1);
	CHECK_EQ(inb(&r, 0x20), 0x92);
	CHECK_EQ(ack(&r), 0x31);
	outb(&r, 0x20, 0x20);
	CHECK_EQ(ack(&r), 0x34);
	outb(&r, 0x20, 0x20);
	CHECK_EQ(ack(&r), 0x37);
	CHECK_EQ(read_isr(&r, 0x20), 0x80); /* a real IR7 is in service */
	outb(&r, 0x20, 0x20);
	CHECK_EQ(pending(&r), IO_INTR_NONE);
}

TEST(nested_priority_higher_interrupts_lower_waits_for_eoi)
{
	struct rig r;
	setup(&r);
	irq_pulse(&r, 3);
	CHECK_EQ(ack(&r), 0x33);
	irq_pulse(&r, 1); /* higher than IR3 in service: delivered */
	CHECK_EQ(pending(&r), 0x31);
	CHECK_EQ(ack(&r), 0x31);
	CHECK_EQ(read_isr(&r, 0x20), 0x0a);
	irq_pulse(&r, 5); /* lower: waits */
	CHECK_EQ(pending(&r), IO_INTR_NONE);
	CHECK(!i8259_intr_output(&r.pic));
	outb(&r, 0x20, 0x61); /* IR1 ends: IR3 still blocks IR5 */
	CHECK_EQ(pending(&r), IO_INTR_NONE);
	outb(&r, 0x20, 0x63);
	CHECK_EQ(pending(&r), 0x35);
	CHECK(i8259_intr_output(&r.pic));
}

TEST(same_level_waits_for_its_own_eoi)
{
	struct rig r;
	setup(&r);
	irq_pulse(&r, 4);
	CHECK_EQ(ack(&r), 0x34);
	irq_pulse(&r, 4); /* a new edge latches while IR4 is in service */
	CHECK_EQ(inb(&r, 0x20), 0x10);
	CHECK_EQ(pending(&r), IO_INTR_NONE);
	outb(&r, 0x20, 0x20);
	CHECK_EQ(ack(&r), 0x34);
}

TEST(masked_request_stays_in_irr_until_unmasked)
{
	struct rig r;
	setup(&r);
	outb(&r, 0x21, 0x08);
	irq_pulse(&r, 3);
	CHECK_EQ(inb(&r, 0x20), 0x08);
	CHECK_EQ(pending(&r), IO_INTR_NONE);
	irq_pulse(&r, 5);
	CHECK_EQ(pending(&r), 0x35); /* a masked request does not block others */
	CHECK_EQ(ack(&r), 0x35);
	outb(&r, 0x20, 0x20);
	outb(&r, 0x21, 0x00);
	CHECK_EQ(pending(&r), 0x33);
	CHECK_EQ(ack(&r), 0x33);
}

TEST(masking_the_level_in_service_does_not_unblock_lower_levels)
{
	struct rig r;
	setup(&r);
	irq_pulse(&r, 4);
	CHECK_EQ(ack(&r), 0x34);
	outb(&r, 0x21, 0x10);
	irq_pulse(&r, 6);
	CHECK_EQ(pending(&r), IO_INTR_NONE); /* only special mask mode would */
}

TEST(automatic_eoi_leaves_nothing_in_service)
{
	struct rig r;
	rig_init(&r);
	outb(&r, 0x20, 0x11);
	outb(&r, 0x21, 0x30);
	outb(&r, 0x21, 0x04);
	outb(&r, 0x21, 0x03); /* ICW4: 8086, AEOI (Linux's auto_eoi) */
	outb(&r, 0x21, 0x00);
	irq_pulse(&r, 3);
	CHECK_EQ(ack(&r), 0x33);
	CHECK_EQ(read_isr(&r, 0x20), 0x00);
	irq_pulse(&r, 5); /* lower, yet nothing blocks it */
	CHECK_EQ(pending(&r), 0x35);
	CHECK_EQ(ack(&r), 0x35);
	CHECK_EQ(read_isr(&r, 0x20), 0x00);
	CHECK_EQ(r.pic.master.lowest, 7); /* no rotation unless asked */
}

TEST(spurious_irq7_when_a_level_request_goes_away)
{
	struct rig r;
	setup(&r);
	outb(&r, 0x4d0, 0x20); /* IRQ5 level-triggered */
	irq_set(&r, 5, true);
	CHECK_EQ(pending(&r), 0x35);
	irq_set(&r, 5, false); /* gone before INTA */
	CHECK_EQ(pending(&r), IO_INTR_NONE);
	CHECK_EQ(ack(&r), 0x37);            /* default IR7 ... */
	CHECK_EQ(read_isr(&r, 0x20), 0x00); /* ... not in service */
	CHECK_EQ(r.pic.spurious_master, 1);
	CHECK_EQ(r.pic.delivered[7], 0);
	CHECK_EQ(r.pic.delivered[5], 0);
}

TEST(spurious_irq7_when_the_request_is_masked_before_inta)
{
	struct rig r;
	setup(&r);
	irq_pulse(&r, 1);
	CHECK_EQ(pending(&r), 0x31);
	outb(&r, 0x21, 0x02);
	CHECK_EQ(ack(&r), 0x37);
	CHECK_EQ(read_isr(&r, 0x20), 0x00);
	CHECK_EQ(inb(&r, 0x20), 0x02); /* the edge stays latched */
	outb(&r, 0x21, 0x00);
	CHECK_EQ(ack(&r), 0x31);
}

TEST(a_real_irq7_is_in_service_a_default_one_is_not)
{
	struct rig r;
	setup(&r);
	irq_pulse(&r, 7);
	CHECK_EQ(ack(&r), 0x37);
	CHECK_EQ(read_isr(&r, 0x20) & 0x80, 0x80);
	/* A default IR7 during the real one: the ISR stays as it was. */
	CHECK_EQ(ack(&r), 0x37);
	CHECK_EQ(read_isr(&r, 0x20), 0x80);
	CHECK_EQ(r.pic.delivered[7], 1);
	CHECK_EQ(r.pic.spurious_master, 1);
}

TEST(ack_with_nothing_pending_is_the_default_ir7)
{
	struct rig r;
	rig_init(&r);
	CHECK_EQ(ack(&r), 0x0f); /* BIOS base 0x08 + 7 */
	CHECK_EQ(read_isr(&r, 0x20), 0x00);
}

TEST(irq_chip_ignores_the_cascade_pin_and_pins_past_15)
{
	struct rig r;
	setup(&r);
	r.pic.irq_chip.set_level(r.pic.irq_chip.chip, 2, true);
	r.pic.irq_chip.set_level(r.pic.irq_chip.chip, 16, true);
	r.pic.irq_chip.set_level(r.pic.irq_chip.chip, 200, true);
	CHECK_EQ(inb(&r, 0x20), 0x00);
	CHECK_EQ(inb(&r, 0xa0), 0x00);
	CHECK_EQ(pending(&r), IO_INTR_NONE);
}

TEST(intr_ops_have_no_nmi)
{
	struct rig r;
	setup(&r);
	CHECK(!io_intr_nmi_pending(&r.bus.intr));
	io_intr_nmi_ack(&r.bus.intr); /* no NMI source: harmless */
	CHECK_EQ(pending(&r), IO_INTR_NONE);
}
