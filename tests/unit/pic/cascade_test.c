/* The 8259A pair: the slave on the master's IR2, the cascaded INTA, the
 * slave's default IR7 (spurious IRQ15), special fully nested mode. */
#include "tests/unit/harness.h"

#include "tests/unit/pic/rig.h"

static void setup(struct rig *r)
{
	rig_init(r);
	rig_linux_init(r, 0x30, 0x38);
	outb(r, 0x21, 0x00);
	outb(r, 0xa1, 0x00);
}

/* mask_and_ack_8259A for a slave IRQ, without the masking. */
static void linux_slave_eoi(struct rig *r, unsigned irq)
{
	outb(r, 0xa0, (uint8_t)(0x60 + (irq & 7))); /* specific EOI to the slave */
	outb(r, 0x20, 0x62);                        /* specific EOI to master IR2 */
}

TEST(irq12_puts_master_ir2_and_slave_ir4_in_service)
{
	struct rig r;
	setup(&r);
	irq_pulse(&r, 12);
	CHECK_EQ(inb(&r, 0xa0), 0x10);
	CHECK_EQ(inb(&r, 0x20), 0x04); /* the slave's INT on IR2 */
	CHECK(i8259_intr_output(&r.pic));
	CHECK_EQ(pending(&r), 0x3c);
	CHECK_EQ(ack(&r), 0x3c); /* the slave's base + 4 */
	CHECK_EQ(read_isr(&r, 0x20), 0x04);
	CHECK_EQ(read_isr(&r, 0xa0), 0x10);
	CHECK_EQ(inb(&r, 0x20), 0x00);
	CHECK_EQ(inb(&r, 0xa0), 0x00);
	CHECK_EQ(r.pic.delivered[12], 1);
	CHECK_EQ(r.pic.delivered[2], 0);
	linux_slave_eoi(&r, 12);
	CHECK_EQ(read_isr(&r, 0x20), 0x00);
	CHECK_EQ(read_isr(&r, 0xa0), 0x00);
	CHECK_EQ(pending(&r), IO_INTR_NONE);
}

TEST(slave_priority_and_nesting_behind_the_master)
{
	struct rig r;
	setup(&r);
	irq_pulse(&r, 14);
	irq_pulse(&r, 9);
	CHECK_EQ(ack(&r), 0x39); /* IRQ9 = slave IR1 first */
	/* IR2 in service on the master holds every slave request, even a
	 * higher one (fully nested mode); master IR0/IR1 still get through. */
	irq_pulse(&r, 8);
	CHECK_EQ(pending(&r), IO_INTR_NONE);
	irq_pulse(&r, 1);
	CHECK_EQ(ack(&r), 0x31);
	outb(&r, 0x20, 0x61);
	irq_pulse(&r, 3); /* below IR2 in service: waits */
	CHECK_EQ(pending(&r), IO_INTR_NONE);
	linux_slave_eoi(&r, 9);
	CHECK_EQ(ack(&r), 0x38); /* IRQ8, then IRQ14, then IRQ3 */
	linux_slave_eoi(&r, 8);
	CHECK_EQ(ack(&r), 0x3e);
	linux_slave_eoi(&r, 14);
	CHECK_EQ(ack(&r), 0x33);
}

TEST(master_mask_of_ir2_masks_the_whole_slave)
{
	struct rig r;
	setup(&r);
	outb(&r, 0x21, 0x04);
	irq_pulse(&r, 10);
	CHECK_EQ(pending(&r), IO_INTR_NONE);
	outb(&r, 0x21, 0x00);
	CHECK_EQ(ack(&r), 0x3a);
}

TEST(slave_mask_holds_its_request)
{
	struct rig r;
	setup(&r);
	outb(&r, 0xa1, 0x08);
	irq_pulse(&r, 11);
	CHECK_EQ(inb(&r, 0xa0), 0x08);
	CHECK_EQ(inb(&r, 0x20), 0x00); /* the slave's INT stays low */
	CHECK_EQ(pending(&r), IO_INTR_NONE);
	outb(&r, 0xa1, 0x00); /* INT rises: the master's IR2 latches */
	CHECK_EQ(inb(&r, 0x20), 0x04);
	CHECK_EQ(ack(&r), 0x3b);
}

TEST(second_slave_request_reaches_the_master_after_the_eois)
{
	struct rig r;
	setup(&r);
	irq_pulse(&r, 12);
	irq_pulse(&r, 14);
	CHECK_EQ(ack(&r), 0x3c);
	CHECK_EQ(pending(&r), IO_INTR_NONE);
	outb(&r, 0xa0, 0x64);                /* the slave's INT rises again for IR6 ... */
	CHECK_EQ(pending(&r), IO_INTR_NONE); /* ... held by IR2 in service */
	outb(&r, 0x20, 0x62);
	CHECK_EQ(ack(&r), 0x3e);
}

TEST(spurious_irq15_master_ir2_in_service_slave_default)
{
	struct rig r;
	setup(&r);
	outb(&r, 0x4d1, 0x08); /* IRQ11 level-triggered (a PCI line) */
	irq_set(&r, 11, true);
	CHECK_EQ(pending(&r), 0x3b);
	irq_set(&r, 11, false); /* gone before INTA */
	CHECK_EQ(inb(&r, 0xa0), 0x00);
	CHECK_EQ(inb(&r, 0x20), 0x04); /* the master's edge stays latched */
	CHECK_EQ(pending(&r), 0x3f);
	CHECK_EQ(ack(&r), 0x3f);
	CHECK_EQ(read_isr(&r, 0xa0), 0x00); /* Linux: i8259A_irq_real(15) false */
	CHECK_EQ(read_isr(&r, 0x20), 0x04); /* the master did put IR2 in service */
	CHECK_EQ(r.pic.spurious_slave, 1);
	CHECK_EQ(r.pic.spurious_master, 0);
	CHECK_EQ(r.pic.delivered[15], 0);
	linux_slave_eoi(&r, 15); /* Linux EOIs both anyway */
	CHECK_EQ(read_isr(&r, 0x20), 0x00);
	irq_pulse(&r, 3);
	CHECK_EQ(ack(&r), 0x33); /* nothing left blocking */
}

TEST(spurious_irq15_when_the_slave_request_is_masked_before_inta)
{
	struct rig r;
	setup(&r);
	irq_pulse(&r, 13);
	CHECK_EQ(pending(&r), 0x3d);
	outb(&r, 0xa1, 0x20);
	CHECK_EQ(ack(&r), 0x3f);
	CHECK_EQ(read_isr(&r, 0xa0), 0x00);
	CHECK_EQ(read_isr(&r, 0x20), 0x04);
}

TEST(special_fully_nested_mode_lets_a_higher_slave_request_through)
{
	struct rig r;
	rig_init(&r);
	outb(&r, 0x20, 0x11);
	outb(&r, 0x21, 0x30);
	outb(&r, 0x21, 0x04);
	outb(&r, 0x21, 0x11); /* ICW4: SFNM, 8086 */
	outb(&r, 0xa0, 0x11);
	outb(&r, 0xa1, 0x38);
	outb(&r, 0xa1, 0x02);
	outb(&r, 0xa1, 0x01);
	CHECK_EQ(r.pic.master.icw4, 0x11);
	irq_pulse(&r, 12);
	CHECK_EQ(ack(&r), 0x3c);
	irq_pulse(&r, 14); /* below IR4 within the slave: the slave holds it */
	CHECK_EQ(pending(&r), IO_INTR_NONE);
	irq_pulse(&r, 9); /* above: the master lets it through IR2 in service */
	CHECK_EQ(pending(&r), 0x39);
	CHECK_EQ(ack(&r), 0x39);
	CHECK_EQ(read_isr(&r, 0xa0), 0x12);
	CHECK_EQ(read_isr(&r, 0x20), 0x04);
	irq_pulse(&r, 3); /* a lower master level still waits for IR2 */
	CHECK_EQ(pending(&r), IO_INTR_NONE);
}

TEST(without_a_cascade_ir2_is_an_ordinary_master_level)
{
	struct rig r;
	rig_init(&r);
	outb(&r, 0x20, 0x13); /* single mode: no slave programmed */
	outb(&r, 0x21, 0x30);
	outb(&r, 0x21, 0x01);
	outb(&r, 0xa1, 0x00);
	irq_pulse(&r, 9); /* the slave's INT still drives IR2 on the board */
	CHECK_EQ(ack(&r), 0x32);
	CHECK_EQ(read_isr(&r, 0xa0), 0x00); /* the slave saw no INTA */
	CHECK_EQ(inb(&r, 0xa0), 0x02);
	CHECK_EQ(r.pic.delivered[2], 1);
}
