/* The 8259A pair: OCW2 (EOI, rotation, priority) and OCW3 (read select,
 * poll, special mask mode). */
#include "tests/unit/harness.h"

#include "tests/unit/pic/rig.h"

/* Master at 0x20, slave at 0x28, every mask open. */
static void setup(struct rig *r)
{
	rig_init(r);
	rig_linux_init(r, 0x20, 0x28);
	outb(r, 0x21, 0x00);
	outb(r, 0xa1, 0x00);
}

/* INTA for each pulsed line in turn, each left in service. */
static void serve(struct rig *r, unsigned irq, int vector)
{
	irq_pulse(r, irq);
	CHECK_EQ(ack(r), vector);
}

TEST(ocw2_in_the_middle_of_a_sequence_does_not_end_it)
{
	struct rig r;
	setup(&r);
	outb(&r, 0x21, 0xfa);
	outb(&r, 0x20, 0x20);
	outb(&r, 0x20, 0x62);
	outb(&r, 0xa0, 0x20);
	outb(&r, 0x20, 0xc7);
	CHECK_EQ(r.pic.master.ocw2s, 3);
	CHECK_EQ(r.pic.slave.ocw2s, 1);
	CHECK_EQ(inb(&r, 0x21), 0xfa); /* OCW2 leaves the mask */
	CHECK_EQ(r.pic.master.vector_base, 0x20);
	outb(&r, 0x20, 0x11);
	outb(&r, 0x20, 0x20);
	CHECK_EQ(r.pic.master.init_step, I8259_WANT_ICW2);
}

TEST(non_specific_eoi_ends_the_highest_level_in_service)
{
	struct rig r;
	setup(&r);
	serve(&r, 3, 0x23);
	serve(&r, 1, 0x21); /* nests above IR3 */
	CHECK_EQ(read_isr(&r, 0x20), 0x0a);
	outb(&r, 0x20, 0x20);
	CHECK_EQ(read_isr(&r, 0x20), 0x08); /* IR1 ended first */
	outb(&r, 0x20, 0x20);
	CHECK_EQ(read_isr(&r, 0x20), 0x00);
	outb(&r, 0x20, 0x20); /* nothing in service: no effect */
	CHECK_EQ(read_isr(&r, 0x20), 0x00);
}

TEST(specific_eoi_ends_exactly_its_level)
{
	struct rig r;
	setup(&r);
	serve(&r, 3, 0x23);
	serve(&r, 1, 0x21);
	outb(&r, 0x20, 0x63); /* specific EOI, IR3: the lower one */
	CHECK_EQ(read_isr(&r, 0x20), 0x02);
	outb(&r, 0x20, 0x65); /* IR5 not in service: no effect */
	CHECK_EQ(read_isr(&r, 0x20), 0x02);
	outb(&r, 0x20, 0x61);
	CHECK_EQ(read_isr(&r, 0x20), 0x00);
	CHECK_EQ(r.pic.master.lowest, 7); /* no rotation */
}

TEST(no_operation_command_changes_nothing)
{
	struct rig r;
	setup(&r);
	serve(&r, 3, 0x23);
	outb(&r, 0x20, 0x43); /* R=0 SL=1 EOI=0 */
	CHECK_EQ(read_isr(&r, 0x20), 0x08);
	CHECK_EQ(r.pic.master.lowest, 7);
}

TEST(set_priority_makes_the_level_lowest)
{
	struct rig r;
	setup(&r);
	outb(&r, 0x20, 0xc4); /* IR4 lowest: IR5 highest, then 6, 7, 0 .. */
	irq_pulse(&r, 0);
	irq_pulse(&r, 6);
	irq_pulse(&r, 4);
	CHECK_EQ(ack(&r), 0x26);
	outb(&r, 0x20, 0x20);
	CHECK_EQ(ack(&r), 0x20);
	outb(&r, 0x20, 0x20);
	CHECK_EQ(ack(&r), 0x24);
}

TEST(rotated_priority_still_nests)
{
	struct rig r;
	setup(&r);
	outb(&r, 0x20, 0xc4); /* IR5 highest */
	serve(&r, 0, 0x20);
	irq_pulse(&r, 3); /* below IR0 now: waits */
	CHECK_EQ(pending(&r), IO_INTR_NONE);
	irq_pulse(&r, 6); /* above IR0 now */
	CHECK_EQ(pending(&r), 0x26);
}

TEST(rotate_on_non_specific_eoi)
{
	struct rig r;
	setup(&r);
	serve(&r, 3, 0x23);
	outb(&r, 0x20, 0xa0); /* IR3 ends and becomes lowest */
	CHECK_EQ(read_isr(&r, 0x20), 0x00);
	CHECK_EQ(r.pic.master.lowest, 3);
	irq_pulse(&r, 3);
	irq_pulse(&r, 1);
	irq_pulse(&r, 5);
	CHECK_EQ(ack(&r), 0x25); /* IR4 is highest now; IR5 next */
	outb(&r, 0x20, 0xa0);
	CHECK_EQ(r.pic.master.lowest, 5);
	CHECK_EQ(ack(&r), 0x21); /* IR6, 7, 0 have nothing; IR1 */
}

TEST(rotate_on_specific_eoi)
{
	struct rig r;
	setup(&r);
	serve(&r, 5, 0x25);
	serve(&r, 1, 0x21);
	outb(&r, 0x20, 0xe5); /* IR5 ends and becomes lowest */
	CHECK_EQ(read_isr(&r, 0x20), 0x02);
	CHECK_EQ(r.pic.master.lowest, 5);
	/* IR6 now ranks above IR1, which is still in service. */
	irq_pulse(&r, 6);
	CHECK_EQ(pending(&r), 0x26);
}

TEST(rotate_in_automatic_eoi_mode)
{
	struct rig r;
	rig_init(&r);
	outb(&r, 0x20, 0x11);
	outb(&r, 0x21, 0x20);
	outb(&r, 0x21, 0x04);
	outb(&r, 0x21, 0x03); /* AEOI */
	outb(&r, 0x21, 0x00);
	outb(&r, 0x20, 0x80); /* rotate in AEOI mode: set */
	CHECK(r.pic.master.rotate_aeoi);
	irq_pulse(&r, 1);
	irq_pulse(&r, 4);
	CHECK_EQ(ack(&r), 0x21);
	CHECK_EQ(r.pic.master.lowest, 1);
	irq_pulse(&r, 1);
	CHECK_EQ(ack(&r), 0x24); /* IR1 is lowest now */
	CHECK_EQ(ack(&r), 0x21);
	outb(&r, 0x20, 0x00); /* rotate in AEOI mode: clear */
	CHECK(!r.pic.master.rotate_aeoi);
	irq_pulse(&r, 3);
	CHECK_EQ(ack(&r), 0x23);
	CHECK_EQ(r.pic.master.lowest, 1); /* no rotation any more */
}

TEST(ocw3_read_select_irr_isr)
{
	struct rig r;
	setup(&r);
	outb(&r, 0x21, 0xff);
	irq_pulse(&r, 6);
	CHECK(!r.pic.master.read_isr);
	CHECK_EQ(inb(&r, 0x20), 0x40); /* IRR by default */
	outb(&r, 0x21, 0x00);
	CHECK_EQ(ack(&r), 0x26);
	irq_pulse(&r, 7);
	outb(&r, 0x20, 0x0b); /* read ISR */
	CHECK(r.pic.master.read_isr);
	CHECK_EQ(inb(&r, 0x20), 0x40);
	CHECK_EQ(inb(&r, 0x20), 0x40); /* the selection stays */
	outb(&r, 0x20, 0x08);          /* RR = 0: selection unchanged */
	CHECK(r.pic.master.read_isr);
	outb(&r, 0x20, 0x0a); /* read IRR */
	CHECK(!r.pic.master.read_isr);
	CHECK_EQ(inb(&r, 0x20), 0x80);
	CHECK_EQ(inb(&r, 0x21), 0x00); /* the data port stays the IMR */
	/* ICW1 resets the selection to IRR. */
	outb(&r, 0xa0, 0x0b);
	CHECK(r.pic.slave.read_isr);
	outb(&r, 0xa0, 0x11);
	CHECK(!r.pic.slave.read_isr);
}

TEST(ocw3_special_mask_mode_flags)
{
	struct rig r;
	rig_init(&r);
	outb(&r, 0x20, 0x68); /* ESMM + SMM */
	CHECK(r.pic.master.special_mask);
	outb(&r, 0x20, 0x28); /* SMM without ESMM: no change */
	CHECK(r.pic.master.special_mask);
	outb(&r, 0x20, 0x48); /* ESMM, SMM clear: reset special mask */
	CHECK(!r.pic.master.special_mask);
	outb(&r, 0x20, 0x68);
	outb(&r, 0x20, 0x11); /* ICW1 clears it */
	CHECK(!r.pic.master.special_mask);
}

TEST(special_mask_mode_lets_lower_levels_through)
{
	struct rig r;
	setup(&r);
	serve(&r, 3, 0x23);
	irq_pulse(&r, 5);
	CHECK_EQ(pending(&r), IO_INTR_NONE); /* fully nested: IR5 waits */
	outb(&r, 0x21, 0x08);                /* mask IR3 ... */
	CHECK_EQ(pending(&r), IO_INTR_NONE); /* ... alone changes nothing */
	outb(&r, 0x20, 0x68);                /* special mask mode */
	CHECK_EQ(pending(&r), 0x25);         /* the masked IR3 no longer blocks */
	CHECK_EQ(ack(&r), 0x25);
	CHECK_EQ(read_isr(&r, 0x20), 0x28);
	irq_pulse(&r, 6); /* IR5 is in service and unmasked: blocks IR6 */
	CHECK_EQ(pending(&r), IO_INTR_NONE);
	irq_pulse(&r, 4);
	CHECK_EQ(pending(&r), 0x24);
	outb(&r, 0x20, 0x48); /* leave special mask mode: IR3 blocks again */
	CHECK_EQ(pending(&r), IO_INTR_NONE);
}

TEST(ocw3_poll_with_nothing_pending_gives_one_empty_poll_word)
{
	struct rig r;
	rig_init(&r);
	outb(&r, 0x21, 0x3c);
	outb(&r, 0x20, 0x0c); /* poll */
	CHECK(r.pic.master.poll);
	CHECK_EQ(inb(&r, 0x21), 0x00); /* poll word, not the IMR */
	CHECK(!r.pic.master.poll);
	CHECK_EQ(inb(&r, 0x21), 0x3c);
	outb(&r, 0x20, 0x0c);
	CHECK_EQ(inb(&r, 0x20), 0x00);
	CHECK_EQ(inb(&r, 0x21), 0x3c);
}

TEST(poll_acknowledges_the_highest_request)
{
	struct rig r;
	setup(&r);
	outb(&r, 0x21, 0x10); /* IR4 masked: poll respects the IMR */
	irq_pulse(&r, 4);
	irq_pulse(&r, 6);
	irq_pulse(&r, 3);
	outb(&r, 0x20, 0x0c);
	CHECK_EQ(inb(&r, 0x20), 0x83); /* I = 1, level 3 */
	CHECK_EQ(read_isr(&r, 0x20), 0x08);
	CHECK_EQ(inb(&r, 0x20), 0x50); /* IRR: IR3 taken, IR4 and IR6 left */
	outb(&r, 0x20, 0x0c);
	CHECK_EQ(inb(&r, 0x21), 0x00); /* IR6 is below IR3 in service */
	outb(&r, 0x20, 0x20);
	outb(&r, 0x20, 0x0c);
	CHECK_EQ(inb(&r, 0x21), 0x86);
	CHECK_EQ(r.pic.master.polls, 3);
	CHECK_EQ(r.pic.delivered[6], 0); /* a poll is not an INTR delivery */
}

TEST(poll_of_the_slave_acknowledges_the_slave_only)
{
	struct rig r;
	setup(&r);
	irq_pulse(&r, 13);
	outb(&r, 0xa0, 0x0c);
	CHECK_EQ(inb(&r, 0xa0), 0x85);
	CHECK_EQ(read_isr(&r, 0xa0), 0x20);
	CHECK_EQ(read_isr(&r, 0x20), 0x00);
	/* The slave's INT dropped before the master was acknowledged; the
	 * master's IR2 edge stays latched, so INTR now finds a slave default. */
	CHECK_EQ(pending(&r), 0x2f);
}
