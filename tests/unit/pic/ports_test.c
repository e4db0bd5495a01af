/* The 8259A pair: the port handlers' access sizes and the report lines. */
#include "tests/unit/harness.h"

#include "tests/unit/pic/rig.h"

TEST(wide_accesses_split_into_bytes)
{
	struct rig r;
	rig_init(&r);
	outb(&r, 0xa1, 0x34);
	/* INW 0xA0: command port (IRR 0) then data port (IMR). */
	CHECK_EQ(io_port_read(&r.bus, 0xa0, 2), 0x3400);
	/* INW 0x21: IMR, then port 0x22 which is not the PIC's. */
	CHECK_EQ(io_port_read(&r.bus, 0x21, 2), 0xffff);
	CHECK_EQ(io_port_read(&r.bus, 0x21, 4), 0xffffffff);
	CHECK_EQ(io_port_read(&r.bus, 0xa0, 4), 0xffff3400);
	/* OUTW 0x20 = ICW1 then ICW2. */
	io_port_write(&r.bus, 0x20, 2, 0x4011);
	CHECK_EQ(r.pic.master.vector_base, 0x40);
	CHECK_EQ(r.pic.master.init_step, I8259_WANT_ICW3);
	/* OUTL 0x21: ICW3, then three bytes past the range dropped. */
	io_port_write(&r.bus, 0x21, 4, 0x55aa0104);
	CHECK_EQ(r.pic.master.icw3, 0x04);
	CHECK_EQ(r.pic.master.init_step, I8259_WANT_ICW4);
	CHECK_EQ(r.bus.unclaimed_writes, 0);
	/* OUTL 0x20: OCW3 (read ISR) to 0x20, ICW4 to 0x21, the rest dropped. */
	io_port_write(&r.bus, 0x20, 4, 0xffff010b);
	CHECK(!i8259_chip_initializing(&r.pic.master));
	CHECK_EQ(r.pic.master.icw4, 0x01);
	CHECK(r.pic.master.read_isr);
	CHECK_EQ(inb(&r, 0x21), 0x00);
}

TEST(outw_eoi_and_mask_in_one_access)
{
	struct rig r;
	rig_init(&r);
	rig_linux_init(&r, 0x30, 0x38);
	outb(&r, 0x21, 0x00);
	irq_pulse(&r, 3);
	CHECK_EQ(ack(&r), 0x33);
	io_port_write(&r.bus, 0x20, 2, 0xf720); /* EOI to 0x20, mask 0xf7 to 0x21 */
	CHECK_EQ(read_isr(&r, 0x20), 0x00);
	CHECK_EQ(inb(&r, 0x21), 0xf7);
}

TEST(handlers_refuse_sizes_the_bus_never_makes)
{
	struct rig r;
	uint32_t v = 0x1234;
	rig_init(&r);
	CHECK(!i8259_master_read(&r.pic, 0, 3, &v));
	CHECK(!i8259_slave_read(&r.pic, 0, 8, &v));
	CHECK(!i8259_elcr_read(&r.pic, 0, 0, &v));
	CHECK_EQ(v, 0x1234);
	CHECK(!i8259_master_write(&r.pic, 1, 3, 0x00));
	CHECK(!i8259_elcr_write(&r.pic, 0, 8, 0xff));
	CHECK_EQ(inb(&r, 0x21), 0xff);
	CHECK_EQ(inb(&r, 0x4d0), 0x00);
	CHECK(i8259_master_read(&r.pic, 1, 1, &v));
	CHECK_EQ(v, 0xff);
	CHECK(i8259_elcr_read(&r.pic, 2, 1, &v)); /* past the range: all ones */
	CHECK_EQ(v, 0xff);
}

TEST(poll_in_a_wide_read_takes_the_first_byte)
{
	struct rig r;
	rig_init(&r);
	rig_linux_init(&r, 0x30, 0x38);
	outb(&r, 0x21, 0xf0);
	irq_pulse(&r, 1);
	outb(&r, 0x20, 0x0c);
	CHECK_EQ(io_port_read(&r.bus, 0x20, 2), 0xf081); /* poll word, then IMR */
	CHECK_EQ(read_isr(&r, 0x20), 0x02);
}

TEST(print_format)
{
	struct rig r;
	rig_init(&r);
	rig_linux_init(&r, 0x20, 0x28);
	outb(&r, 0x21, 0xff);
	outb(&r, 0xa1, 0xff);
	capture_reset();
	i8259_print(&r.pic, &r.log);
	CHECK(strstr(captured, "pic: master base 0x20 mask 0xff, slave base 0x28 mask 0xff\n") ==
	      captured);
	outb(&r, 0x21, 0xfb);
	capture_reset();
	i8259_print(&r.pic, &r.log);
	CHECK(strstr(captured, "pic: master base 0x20 mask 0xfb, slave base 0x28 mask 0xff\n") ==
	      captured);
}

TEST(print_statistics_and_registers)
{
	struct rig r;
	rig_init(&r);
	rig_linux_init(&r, 0x30, 0x38);
	outb(&r, 0x21, 0x00);
	outb(&r, 0xa1, 0x00);
	capture_reset();
	i8259_print(&r.pic, &r.log);
	CHECK(strcmp(captured, "pic: master base 0x30 mask 0x0, slave base 0x38 mask 0x0\n"
	                       "pic: irqs none, spurious 7:0 15:0\n"
	                       "pic: master irr 0x00 isr 0x00 elcr 0x00, slave irr 0x00 isr 0x00 "
	                       "elcr 0x00\n") == 0);
	for (int i = 0; i < 3; i++) {
		irq_pulse(&r, 0);
		ack(&r);
		outb(&r, 0x20, 0x20);
	}
	irq_pulse(&r, 12);
	ack(&r);
	ack(&r); /* nothing left: the master's default IR7 */
	i8259_set_elcr(&r.pic, 0x0c00);
	irq_pulse(&r, 5);
	capture_reset();
	i8259_print(&r.pic, &r.log);
	CHECK(strstr(captured, "pic: irqs 0:3 12:1, spurious 7:1 15:0\n"
	                       "pic: master irr 0x20 isr 0x04 elcr 0x00, slave irr 0x00 isr 0x10 "
	                       "elcr 0x0c\n") != 0);
}
