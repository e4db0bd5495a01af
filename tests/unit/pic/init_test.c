/* The 8259A pair: reset state and the ICW1..ICW4 initialization sequence. */
#include "tests/unit/harness.h"

#include "tests/unit/pic/rig.h"

/* The sequence Linux, xv6 and most hobby kernels use, interleaved. */
static void remap(struct rig *r, uint8_t master_base, uint8_t slave_base)
{
	outb(r, 0x20, 0x11); /* ICW1: init, ICW4 follows, cascade */
	outb(r, 0xa0, 0x11);
	outb(r, 0x21, master_base);
	outb(r, 0xa1, slave_base);
	outb(r, 0x21, 0x04); /* ICW3: slave on IR2 */
	outb(r, 0xa1, 0x02); /* ICW3: slave ID 2 */
	outb(r, 0x21, 0x01); /* ICW4: 8086 mode */
	outb(r, 0xa1, 0x01);
}

TEST(reset_state_is_what_a_bios_leaves)
{
	struct rig r;
	rig_init(&r);
	CHECK_EQ(inb(&r, 0x21), 0xff);
	CHECK_EQ(inb(&r, 0xa1), 0xff);
	CHECK_EQ(r.pic.master.vector_base, 0x08);
	CHECK_EQ(r.pic.slave.vector_base, 0x70);
	CHECK_EQ(r.pic.master.icw3, 0x04);
	CHECK_EQ(r.pic.slave.icw3, 0x02);
	CHECK_EQ(r.pic.master.icw4, 0x01);
	CHECK_EQ(r.pic.slave.icw4, 0x01);
	CHECK(!i8259_chip_initializing(&r.pic.master));
	CHECK(!i8259_chip_initializing(&r.pic.slave));
	CHECK_EQ(inb(&r, 0x20), 0); /* IRR */
	CHECK_EQ(inb(&r, 0xa0), 0);
	CHECK_EQ(read_isr(&r, 0x20), 0);
	CHECK_EQ(inb(&r, 0x4d0), 0); /* PIIX ELCR reset: every input edge */
	CHECK_EQ(inb(&r, 0x4d1), 0);
	CHECK_EQ(pending(&r), IO_INTR_NONE);
	CHECK(!i8259_intr_output(&r.pic));
}

TEST(reset_state_masks_every_line)
{
	struct rig r;
	rig_init(&r);
	irq_set(&r, 0, true);
	irq_set(&r, 9, true);
	CHECK_EQ(inb(&r, 0x20), 0x01); /* latched in the IRR ... */
	CHECK_EQ(inb(&r, 0xa0), 0x02);
	CHECK_EQ(pending(&r), IO_INTR_NONE); /* ... but masked */
	CHECK(!i8259_intr_output(&r.pic));
	outb(&r, 0x21, 0xfe);
	CHECK_EQ(pending(&r), 0x08); /* BIOS vector base 0x08 + IR0 */
	CHECK(i8259_intr_output(&r.pic));
}

TEST(full_init_sequence_then_masks)
{
	struct rig r;
	rig_init(&r);
	remap(&r, 0x20, 0x28);
	CHECK(!i8259_chip_initializing(&r.pic.master));
	CHECK(!i8259_chip_initializing(&r.pic.slave));
	CHECK_EQ(r.pic.master.vector_base, 0x20);
	CHECK_EQ(r.pic.slave.vector_base, 0x28);
	CHECK_EQ(r.pic.master.icw3, 0x04);
	CHECK_EQ(r.pic.slave.icw3, 0x02);
	CHECK_EQ(r.pic.master.icw4, 0x01);
	CHECK_EQ(r.pic.slave.icw4, 0x01);
	CHECK_EQ(r.pic.master.inits, 1);
	CHECK_EQ(r.pic.slave.inits, 1);
	/* ICW1 cleared the masks. */
	CHECK_EQ(inb(&r, 0x21), 0x00);
	CHECK_EQ(inb(&r, 0xa1), 0x00);
	outb(&r, 0x21, 0xfb);
	outb(&r, 0xa1, 0xff);
	CHECK_EQ(inb(&r, 0x21), 0xfb);
	CHECK_EQ(inb(&r, 0xa1), 0xff);
	/* Later data writes stay OCW1: the vector base does not move. */
	outb(&r, 0x21, 0x5a);
	CHECK_EQ(inb(&r, 0x21), 0x5a);
	CHECK_EQ(r.pic.master.vector_base, 0x20);
	CHECK_EQ(inb(&r, 0xa1), 0xff);
}

TEST(icw1_clears_the_mask_and_icw_writes_do_not_touch_it)
{
	struct rig r;
	rig_init(&r);
	outb(&r, 0x21, 0x5a);
	CHECK_EQ(inb(&r, 0x21), 0x5a);
	outb(&r, 0x20, 0x11);
	CHECK(i8259_chip_initializing(&r.pic.master));
	CHECK_EQ(inb(&r, 0x21), 0x00);
	outb(&r, 0x21, 0x30); /* ICW2 */
	CHECK_EQ(inb(&r, 0x21), 0x00);
	outb(&r, 0x21, 0x04); /* ICW3 */
	CHECK_EQ(inb(&r, 0x21), 0x00);
	CHECK(i8259_chip_initializing(&r.pic.master));
	outb(&r, 0x21, 0x01); /* ICW4 */
	CHECK(!i8259_chip_initializing(&r.pic.master));
	CHECK_EQ(inb(&r, 0x21), 0x00);
	CHECK_EQ(r.pic.master.vector_base, 0x30);
}

TEST(icw2_drops_the_low_three_bits)
{
	struct rig r;
	rig_init(&r);
	outb(&r, 0x20, 0x11);
	outb(&r, 0x21, 0x27);
	CHECK_EQ(r.pic.master.vector_base, 0x20);
	outb(&r, 0xa0, 0x11);
	outb(&r, 0xa1, 0xff);
	CHECK_EQ(r.pic.slave.vector_base, 0xf8);
	/* The chip supplies the IR number: IR5 under ICW2 0x27 is vector 0x25. */
	outb(&r, 0x21, 0x04);
	outb(&r, 0x21, 0x01);
	irq_pulse(&r, 5);
	CHECK_EQ(ack(&r), 0x25);
}

TEST(single_mode_skips_icw3)
{
	struct rig r;
	rig_init(&r);
	outb(&r, 0x20, 0x13); /* init, single, ICW4 */
	outb(&r, 0x21, 0x40);
	CHECK_EQ(r.pic.master.init_step, I8259_WANT_ICW4);
	outb(&r, 0x21, 0x03); /* ICW4: 8086, auto EOI */
	CHECK_EQ(r.pic.master.icw4, 0x03);
	CHECK_EQ(r.pic.master.icw3, 0x04); /* untouched */
	CHECK(!i8259_chip_initializing(&r.pic.master));
	outb(&r, 0x21, 0xee);
	CHECK_EQ(inb(&r, 0x21), 0xee);
}

TEST(without_ic4_there_is_no_icw4_and_its_functions_are_zero)
{
	struct rig r;
	rig_init(&r);
	CHECK_EQ(r.pic.master.icw4, 0x01);
	outb(&r, 0x20, 0x10); /* init, cascade, no ICW4 */
	CHECK_EQ(r.pic.master.icw4, 0x00);
	outb(&r, 0x21, 0x20);
	CHECK_EQ(r.pic.master.init_step, I8259_WANT_ICW3);
	outb(&r, 0x21, 0x04);
	CHECK(!i8259_chip_initializing(&r.pic.master));
	outb(&r, 0x21, 0x01); /* this is OCW1 now, not ICW4 */
	CHECK_EQ(inb(&r, 0x21), 0x01);
	CHECK_EQ(r.pic.master.icw4, 0x00);

	outb(&r, 0xa0, 0x12); /* init, single, no ICW4: only ICW2 */
	outb(&r, 0xa1, 0x48);
	CHECK(!i8259_chip_initializing(&r.pic.slave));
	CHECK_EQ(r.pic.slave.vector_base, 0x48);
	outb(&r, 0xa1, 0x77);
	CHECK_EQ(inb(&r, 0xa1), 0x77);
}

TEST(icw1_restarts_a_sequence_in_progress)
{
	struct rig r;
	rig_init(&r);
	outb(&r, 0x20, 0x11);
	outb(&r, 0x21, 0x20);
	CHECK_EQ(r.pic.master.init_step, I8259_WANT_ICW3);
	outb(&r, 0x20, 0x11);
	CHECK_EQ(r.pic.master.init_step, I8259_WANT_ICW2);
	CHECK_EQ(r.pic.master.inits, 2);
	outb(&r, 0x21, 0x50);
	outb(&r, 0x21, 0x04);
	outb(&r, 0x21, 0x01);
	CHECK_EQ(r.pic.master.vector_base, 0x50);
	CHECK(!i8259_chip_initializing(&r.pic.master));
}

TEST(icw4_reserved_bits_dropped_and_modes_stored)
{
	struct rig r;
	rig_init(&r);
	outb(&r, 0x20, 0x11);
	outb(&r, 0x21, 0x20);
	outb(&r, 0x21, 0x04);
	outb(&r, 0x21, 0xff);
	CHECK_EQ(r.pic.master.icw4, 0x1f); /* SFNM, BUF, M/S, AEOI, uPM */
	outb(&r, 0xa0, 0x11);
	outb(&r, 0xa1, 0x28);
	outb(&r, 0xa1, 0x02);
	outb(&r, 0xa1, 0x09); /* buffered slave, 8086 */
	CHECK_EQ(r.pic.slave.icw4, 0x09);
}

TEST(icw1_ends_service_and_resets_priority_and_read_select)
{
	struct rig r;
	rig_init(&r);
	remap(&r, 0x20, 0x28);
	irq_pulse(&r, 4);
	CHECK_EQ(ack(&r), 0x24);
	outb(&r, 0x20, 0xc3); /* set priority: IR3 lowest */
	outb(&r, 0x20, 0x0b); /* read ISR */
	CHECK_EQ(inb(&r, 0x20), 0x10);
	remap(&r, 0x20, 0x28);
	CHECK_EQ(inb(&r, 0x20), 0x00); /* IRR selected again, and empty */
	CHECK_EQ(read_isr(&r, 0x20), 0x00);
	CHECK_EQ(r.pic.master.lowest, 7); /* IR0 highest again */
	irq_pulse(&r, 4);
	irq_pulse(&r, 3);
	CHECK_EQ(ack(&r), 0x23);
}

TEST(chips_are_independent)
{
	struct rig r;
	rig_init(&r);
	outb(&r, 0xa0, 0x11);
	CHECK(i8259_chip_initializing(&r.pic.slave));
	CHECK(!i8259_chip_initializing(&r.pic.master));
	CHECK_EQ(inb(&r, 0x21), 0xff);
	outb(&r, 0x21, 0x12); /* master: OCW1 */
	CHECK_EQ(inb(&r, 0x21), 0x12);
	CHECK_EQ(r.pic.slave.init_step, I8259_WANT_ICW2);
	outb(&r, 0xa1, 0x78);
	CHECK_EQ(r.pic.slave.vector_base, 0x78);
	CHECK_EQ(r.pic.master.vector_base, 0x08);
}
