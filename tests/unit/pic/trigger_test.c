/* The 8259A pair: edge- and level-triggered inputs, the ELCR at 0x4D0/0x4D1
 * and ICW1's LTIM. */
#include "tests/unit/harness.h"

#include "tests/unit/pic/rig.h"

static void setup(struct rig *r)
{
	rig_init(r);
	rig_linux_init(r, 0x30, 0x38);
	outb(r, 0x21, 0x00);
	outb(r, 0xa1, 0x00);
}

TEST(edge_input_latches_on_the_rising_edge_only)
{
	struct rig r;
	setup(&r);
	irq_set(&r, 4, true);
	CHECK_EQ(ack(&r), 0x34);
	outb(&r, 0x20, 0x20);
	/* Still high: no new edge, no new request. */
	irq_set(&r, 4, true);
	CHECK_EQ(inb(&r, 0x20), 0x00);
	CHECK_EQ(pending(&r), IO_INTR_NONE);
	irq_set(&r, 4, false);
	CHECK_EQ(pending(&r), IO_INTR_NONE);
	irq_set(&r, 4, true);
	CHECK_EQ(pending(&r), 0x34);
}

TEST(edge_request_survives_the_line_going_low)
{
	struct rig r;
	setup(&r);
	irq_pulse(&r, 6); /* high then low at once, as io_irq_pulse does */
	CHECK_EQ(inb(&r, 0x20), 0x40);
	CHECK_EQ(ack(&r), 0x36);
}

TEST(level_input_follows_the_line)
{
	struct rig r;
	setup(&r);
	outb(&r, 0x4d1, 0x04); /* IRQ10 level */
	irq_set(&r, 10, true);
	CHECK_EQ(inb(&r, 0xa0), 0x04);
	irq_set(&r, 10, false);
	CHECK_EQ(inb(&r, 0xa0), 0x00);
	irq_pulse(&r, 10); /* a pulse on a level input leaves nothing */
	CHECK_EQ(inb(&r, 0xa0), 0x00);
}

TEST(level_input_on_the_master_withdraws_its_request)
{
	struct rig r;
	setup(&r);
	outb(&r, 0x4d0, 0x40); /* IRQ6 level */
	irq_set(&r, 6, true);
	CHECK_EQ(pending(&r), 0x36);
	irq_set(&r, 6, false);
	CHECK_EQ(pending(&r), IO_INTR_NONE);
	CHECK(!i8259_intr_output(&r.pic));
}

/* The slave's INT rose and the master's edge-triggered IR2 latched it: the
 * withdrawn request leaves one INTR that the slave answers with its default
 * IR7 (the spurious IRQ15 Linux expects), as QEMU's pair behaves. */
TEST(withdrawn_slave_level_request_leaves_the_master_edge_latched)
{
	struct rig r;
	setup(&r);
	outb(&r, 0x4d1, 0x04); /* IRQ10 level */
	irq_set(&r, 10, true);
	irq_set(&r, 10, false);
	CHECK_EQ(inb(&r, 0x20), 0x04);
	CHECK_EQ(pending(&r), 0x3f);
	CHECK_EQ(ack(&r), 0x3f);
	outb(&r, 0x20, 0x62);
	CHECK_EQ(pending(&r), IO_INTR_NONE);
}

TEST(level_input_still_high_after_eoi_interrupts_again)
{
	struct rig r;
	setup(&r);
	outb(&r, 0x4d0, 0x08); /* IRQ3 level */
	irq_set(&r, 3, true);
	CHECK_EQ(ack(&r), 0x33);
	CHECK_EQ(inb(&r, 0x20), 0x08);       /* the IRR shows the line after INTA */
	CHECK_EQ(pending(&r), IO_INTR_NONE); /* in service: no repeat yet */
	outb(&r, 0x20, 0x63);
	CHECK_EQ(pending(&r), 0x33); /* datasheet: remove the request before EOI */
	irq_set(&r, 3, false);
	CHECK_EQ(pending(&r), IO_INTR_NONE);
}

TEST(elcr_reads_back_with_the_fixed_edge_bits_clear)
{
	struct rig r;
	setup(&r);
	outb(&r, 0x4d0, 0xff);
	outb(&r, 0x4d1, 0xff);
	CHECK_EQ(inb(&r, 0x4d0), 0xf8); /* IRQ 0, 1, 2 stay edge */
	CHECK_EQ(inb(&r, 0x4d1), 0xde); /* IRQ 8, 13 stay edge */
	io_port_write(&r.bus, 0x4d0, 2, 0x0c20);
	CHECK_EQ(io_port_read(&r.bus, 0x4d0, 2), 0x0c20);
	CHECK_EQ(io_port_read(&r.bus, 0x4d1, 2), 0xff0c); /* 0x4D2 is not ours */
}

TEST(elcr_fixed_inputs_stay_edge)
{
	struct rig r;
	setup(&r);
	outb(&r, 0x4d0, 0xff);
	outb(&r, 0x4d1, 0xff);
	irq_pulse(&r, 0);
	irq_pulse(&r, 8);
	irq_pulse(&r, 13);
	CHECK_EQ(inb(&r, 0x20), 0x05); /* IR0 and the cascade from IRQ8/13 */
	CHECK_EQ(inb(&r, 0xa0), 0x21);
	irq_pulse(&r, 9); /* a level input: the pulse leaves nothing */
	CHECK_EQ(inb(&r, 0xa0), 0x21);
}

TEST(switching_an_input_to_level_shows_its_line_at_once)
{
	struct rig r;
	setup(&r);
	outb(&r, 0x21, 0x20);
	irq_pulse(&r, 5);
	CHECK_EQ(inb(&r, 0x20), 0x20);
	outb(&r, 0x4d0, 0x20); /* the line is low: the latched edge goes */
	CHECK_EQ(inb(&r, 0x20), 0x00);
	irq_set(&r, 5, true);
	outb(&r, 0x4d0, 0x00); /* back to edge: the request stays */
	CHECK_EQ(inb(&r, 0x20), 0x20);
	irq_set(&r, 5, false);
	CHECK_EQ(inb(&r, 0x20), 0x20);
}

TEST(machine_elcr_setup)
{
	struct rig r;
	setup(&r);
	i8259_set_elcr(&r.pic, 0xffff);
	CHECK_EQ(inb(&r, 0x4d0), 0xf8);
	CHECK_EQ(inb(&r, 0x4d1), 0xde);
	i8259_set_elcr(&r.pic, 0x0c20); /* SeaBIOS: PCI IRQs 5, 10, 11 */
	CHECK_EQ(inb(&r, 0x4d0), 0x20);
	CHECK_EQ(inb(&r, 0x4d1), 0x0c);
	irq_set(&r, 11, true);
	CHECK_EQ(pending(&r), 0x3b);
	irq_set(&r, 11, false);
	CHECK_EQ(inb(&r, 0xa0), 0x00);
}

TEST(ltim_makes_every_input_of_the_chip_level_triggered)
{
	struct rig r;
	rig_init(&r);
	outb(&r, 0x20, 0x19); /* ICW1 with LTIM */
	outb(&r, 0x21, 0x30);
	outb(&r, 0x21, 0x04);
	outb(&r, 0x21, 0x01);
	outb(&r, 0x21, 0x00);
	irq_set(&r, 0, true); /* IRQ0: edge for the ELCR, level for LTIM */
	CHECK_EQ(inb(&r, 0x20), 0x01);
	irq_set(&r, 0, false);
	CHECK_EQ(inb(&r, 0x20), 0x00);
	CHECK_EQ(pending(&r), IO_INTR_NONE);
	/* The slave, initialized without LTIM, still latches edges. */
	outb(&r, 0xa1, 0x00);
	irq_pulse(&r, 12);
	CHECK_EQ(inb(&r, 0xa0), 0x10);
}

TEST(icw1_resets_the_edge_sense_a_high_line_must_go_low_first)
{
	struct rig r;
	setup(&r);
	outb(&r, 0x4d0, 0x08); /* IRQ3 level, IRQ4 edge */
	irq_set(&r, 4, true);
	irq_set(&r, 3, true);
	rig_linux_init(&r, 0x30, 0x38);
	outb(&r, 0x21, 0x00);
	CHECK_EQ(inb(&r, 0x20), 0x08); /* the level input requests at once */
	irq_set(&r, 4, true);
	CHECK_EQ(inb(&r, 0x20), 0x08); /* the edge input needs low to high */
	irq_set(&r, 4, false);
	irq_set(&r, 4, true);
	CHECK_EQ(inb(&r, 0x20), 0x18);
}
