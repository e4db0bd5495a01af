/* The 8259A pair: initialization sequences, the mask register, OCW2/OCW3. */
#include "tests/unit/harness.h"

#include "tests/unit/devices/capture.h"
#include "vmx/dev/pic.h"

static void outb(struct vpic *p, uint16_t port, uint8_t v)
{
	vpic_write(p, port, 1, v);
}

static uint8_t inb(struct vpic *p, uint16_t port)
{
	return (uint8_t)vpic_read(p, port, 1);
}

/* The sequence Linux, xv6 and most hobby kernels use. */
static void remap(struct vpic *p, uint8_t master_base, uint8_t slave_base)
{
	outb(p, 0x20, 0x11); /* ICW1: init, ICW4 follows, cascade */
	outb(p, 0xa0, 0x11);
	outb(p, 0x21, master_base);
	outb(p, 0xa1, slave_base);
	outb(p, 0x21, 0x04); /* ICW3: slave on IR2 */
	outb(p, 0xa1, 0x02); /* ICW3: slave ID 2 */
	outb(p, 0x21, 0x01); /* ICW4: 8086 mode */
	outb(p, 0xa1, 0x01);
}

TEST(pic_reset_state_is_what_a_bios_leaves)
{
	struct vpic p;
	vpic_init(&p);
	CHECK_EQ(inb(&p, 0x21), 0xff);
	CHECK_EQ(inb(&p, 0xa1), 0xff);
	CHECK_EQ(p.master.vector_base, 0x08);
	CHECK_EQ(p.slave.vector_base, 0x70);
	CHECK_EQ(p.master.icw3, 0x04);
	CHECK_EQ(p.slave.icw3, 0x02);
	CHECK_EQ(p.master.icw4, 0x01);
	CHECK(!vpic_chip_initializing(&p.master));
	CHECK(!vpic_chip_initializing(&p.slave));
	CHECK_EQ(inb(&p, 0x20), 0); /* IRR */
	CHECK_EQ(inb(&p, 0xa0), 0);
}

TEST(pic_ports)
{
	CHECK(vpic_handles(0x20));
	CHECK(vpic_handles(0x21));
	CHECK(vpic_handles(0xa0));
	CHECK(vpic_handles(0xa1));
	CHECK(!vpic_handles(0x22));
	CHECK(!vpic_handles(0x1f));
	CHECK(!vpic_handles(0xa2));
	CHECK(!vpic_handles(0x4d0)); /* ELCR: not modelled */
}

TEST(pic_full_init_sequence_then_masks)
{
	struct vpic p;
	vpic_init(&p);
	remap(&p, 0x20, 0x28);
	CHECK(!vpic_chip_initializing(&p.master));
	CHECK(!vpic_chip_initializing(&p.slave));
	CHECK_EQ(p.master.vector_base, 0x20);
	CHECK_EQ(p.slave.vector_base, 0x28);
	CHECK_EQ(p.master.icw3, 0x04);
	CHECK_EQ(p.slave.icw3, 0x02);
	CHECK_EQ(p.master.icw4, 0x01);
	CHECK_EQ(p.slave.icw4, 0x01);
	CHECK_EQ(p.master.inits, 1);
	CHECK_EQ(p.slave.inits, 1);
	/* ICW1 cleared the masks. */
	CHECK_EQ(inb(&p, 0x21), 0x00);
	CHECK_EQ(inb(&p, 0xa1), 0x00);
	outb(&p, 0x21, 0xfb);
	outb(&p, 0xa1, 0xff);
	CHECK_EQ(inb(&p, 0x21), 0xfb);
	CHECK_EQ(inb(&p, 0xa1), 0xff);
	/* Later data writes stay OCW1: the vector base does not move. */
	outb(&p, 0x21, 0x5a);
	CHECK_EQ(inb(&p, 0x21), 0x5a);
	CHECK_EQ(p.master.vector_base, 0x20);
	CHECK_EQ(inb(&p, 0xa1), 0xff);
}

TEST(pic_icw1_clears_the_mask_and_icw_writes_do_not_touch_it)
{
	struct vpic p;
	vpic_init(&p);
	outb(&p, 0x21, 0x5a);
	CHECK_EQ(inb(&p, 0x21), 0x5a);
	outb(&p, 0x20, 0x11);
	CHECK(vpic_chip_initializing(&p.master));
	CHECK_EQ(inb(&p, 0x21), 0x00);
	outb(&p, 0x21, 0x30); /* ICW2 */
	CHECK_EQ(inb(&p, 0x21), 0x00);
	outb(&p, 0x21, 0x04); /* ICW3 */
	CHECK_EQ(inb(&p, 0x21), 0x00);
	CHECK(vpic_chip_initializing(&p.master));
	outb(&p, 0x21, 0x01); /* ICW4 */
	CHECK(!vpic_chip_initializing(&p.master));
	CHECK_EQ(inb(&p, 0x21), 0x00);
	CHECK_EQ(p.master.vector_base, 0x30);
}

TEST(pic_icw2_drops_the_low_three_bits)
{
	struct vpic p;
	vpic_init(&p);
	outb(&p, 0x20, 0x11);
	outb(&p, 0x21, 0x27);
	CHECK_EQ(p.master.vector_base, 0x20);
	outb(&p, 0xa0, 0x11);
	outb(&p, 0xa1, 0xff);
	CHECK_EQ(p.slave.vector_base, 0xf8);
}

TEST(pic_single_mode_skips_icw3)
{
	struct vpic p;
	vpic_init(&p);
	outb(&p, 0x20, 0x13); /* init, single, ICW4 */
	outb(&p, 0x21, 0x40);
	CHECK_EQ(p.master.init_step, VPIC_WANT_ICW4);
	outb(&p, 0x21, 0x03); /* ICW4: 8086, auto EOI */
	CHECK_EQ(p.master.icw4, 0x03);
	CHECK_EQ(p.master.icw3, 0x04); /* untouched */
	CHECK(!vpic_chip_initializing(&p.master));
	outb(&p, 0x21, 0xee);
	CHECK_EQ(inb(&p, 0x21), 0xee);
}

TEST(pic_without_ic4_there_is_no_icw4_and_its_functions_are_zero)
{
	struct vpic p;
	vpic_init(&p);
	CHECK_EQ(p.master.icw4, 0x01);
	outb(&p, 0x20, 0x10); /* init, cascade, no ICW4 */
	CHECK_EQ(p.master.icw4, 0x00);
	outb(&p, 0x21, 0x20);
	CHECK_EQ(p.master.init_step, VPIC_WANT_ICW3);
	outb(&p, 0x21, 0x04);
	CHECK(!vpic_chip_initializing(&p.master));
	outb(&p, 0x21, 0x01); /* this is OCW1 now, not ICW4 */
	CHECK_EQ(inb(&p, 0x21), 0x01);
	CHECK_EQ(p.master.icw4, 0x00);

	outb(&p, 0xa0, 0x12); /* init, single, no ICW4: only ICW2 */
	outb(&p, 0xa1, 0x48);
	CHECK(!vpic_chip_initializing(&p.slave));
	CHECK_EQ(p.slave.vector_base, 0x48);
	outb(&p, 0xa1, 0x77);
	CHECK_EQ(inb(&p, 0xa1), 0x77);
}

TEST(pic_icw1_restarts_a_sequence_in_progress)
{
	struct vpic p;
	vpic_init(&p);
	outb(&p, 0x20, 0x11);
	outb(&p, 0x21, 0x20);
	CHECK_EQ(p.master.init_step, VPIC_WANT_ICW3);
	outb(&p, 0x20, 0x11);
	CHECK_EQ(p.master.init_step, VPIC_WANT_ICW2);
	CHECK_EQ(p.master.inits, 2);
	outb(&p, 0x21, 0x50);
	outb(&p, 0x21, 0x04);
	outb(&p, 0x21, 0x01);
	CHECK_EQ(p.master.vector_base, 0x50);
	CHECK(!vpic_chip_initializing(&p.master));
}

TEST(pic_icw4_reserved_bits_dropped)
{
	struct vpic p;
	vpic_init(&p);
	outb(&p, 0x20, 0x11);
	outb(&p, 0x21, 0x20);
	outb(&p, 0x21, 0x04);
	outb(&p, 0x21, 0xff);
	CHECK_EQ(p.master.icw4, 0x1f);
}

TEST(pic_ocw2_eoi_commands_are_accepted_and_change_nothing)
{
	struct vpic p;
	vpic_init(&p);
	remap(&p, 0x20, 0x28);
	outb(&p, 0x21, 0xfa);
	outb(&p, 0x20, 0x20); /* non-specific EOI */
	outb(&p, 0x20, 0x62); /* specific EOI, IR2 */
	outb(&p, 0xa0, 0x20);
	outb(&p, 0x20, 0xc7); /* set priority (rotate command family) */
	CHECK_EQ(p.master.eois, 3);
	CHECK_EQ(p.slave.eois, 1);
	CHECK_EQ(inb(&p, 0x21), 0xfa);
	CHECK_EQ(inb(&p, 0x20), 0);
	CHECK_EQ(p.master.vector_base, 0x20);
	CHECK(!vpic_chip_initializing(&p.master));
	/* An EOI in the middle of a sequence does not end it. */
	outb(&p, 0x20, 0x11);
	outb(&p, 0x20, 0x20);
	CHECK_EQ(p.master.init_step, VPIC_WANT_ICW2);
}

TEST(pic_ocw3_read_select_irr_isr_both_zero)
{
	struct vpic p;
	vpic_init(&p);
	remap(&p, 0x20, 0x28);
	outb(&p, 0x21, 0x00);
	CHECK(!p.master.read_isr);
	outb(&p, 0x20, 0x0b); /* read ISR */
	CHECK(p.master.read_isr);
	CHECK_EQ(inb(&p, 0x20), 0);
	outb(&p, 0x20, 0x08); /* RR = 0: selection unchanged */
	CHECK(p.master.read_isr);
	outb(&p, 0x20, 0x0a); /* read IRR */
	CHECK(!p.master.read_isr);
	CHECK_EQ(inb(&p, 0x20), 0);
	/* ICW1 resets the selection to IRR. */
	outb(&p, 0xa0, 0x0b);
	CHECK(p.slave.read_isr);
	outb(&p, 0xa0, 0x11);
	CHECK(!p.slave.read_isr);
}

TEST(pic_ocw3_special_mask_mode)
{
	struct vpic p;
	vpic_init(&p);
	outb(&p, 0x20, 0x68); /* ESMM + SMM */
	CHECK(p.master.special_mask);
	outb(&p, 0x20, 0x28); /* SMM without ESMM: no change */
	CHECK(p.master.special_mask);
	outb(&p, 0x20, 0x48); /* ESMM, SMM clear: reset special mask */
	CHECK(!p.master.special_mask);
	outb(&p, 0x20, 0x68);
	outb(&p, 0x20, 0x11); /* ICW1 clears it */
	CHECK(!p.master.special_mask);
}

TEST(pic_ocw3_poll_gives_one_empty_poll_word)
{
	struct vpic p;
	vpic_init(&p);
	outb(&p, 0x21, 0x3c);
	outb(&p, 0x20, 0x0c); /* poll */
	CHECK(p.master.poll);
	CHECK_EQ(inb(&p, 0x21), 0x00); /* poll word, not the IMR */
	CHECK(!p.master.poll);
	CHECK_EQ(inb(&p, 0x21), 0x3c);
	outb(&p, 0x20, 0x0c);
	CHECK_EQ(inb(&p, 0x20), 0x00);
	CHECK_EQ(inb(&p, 0x21), 0x3c);
}

TEST(pic_chips_are_independent)
{
	struct vpic p;
	vpic_init(&p);
	outb(&p, 0xa0, 0x11);
	CHECK(vpic_chip_initializing(&p.slave));
	CHECK(!vpic_chip_initializing(&p.master));
	CHECK_EQ(inb(&p, 0x21), 0xff);
	outb(&p, 0x21, 0x12); /* master: OCW1 */
	CHECK_EQ(inb(&p, 0x21), 0x12);
	CHECK_EQ(p.slave.init_step, VPIC_WANT_ICW2);
	outb(&p, 0xa1, 0x78);
	CHECK_EQ(p.slave.vector_base, 0x78);
	CHECK_EQ(p.master.vector_base, 0x08);
}

TEST(pic_wide_accesses_split_into_bytes)
{
	struct vpic p;
	vpic_init(&p);
	outb(&p, 0xa1, 0x34);
	/* INW 0xA0: command port (IRR 0) then data port (IMR). */
	CHECK_EQ(vpic_read(&p, 0xa0, 2), 0x3400);
	/* INW 0x21: IMR, then port 0x22 which is not the PIC's. */
	CHECK_EQ(vpic_read(&p, 0x21, 2), 0xffff);
	CHECK_EQ(vpic_read(&p, 0x21, 4), 0xffffffff);
	/* OUTW 0x20 = ICW1 then ICW2. */
	vpic_write(&p, 0x20, 2, 0x4011);
	CHECK_EQ(p.master.vector_base, 0x40);
	CHECK_EQ(p.master.init_step, VPIC_WANT_ICW3);
}

TEST(pic_print_format)
{
	struct vpic p;
	vpic_init(&p);
	remap(&p, 0x20, 0x28);
	outb(&p, 0x21, 0xff);
	outb(&p, 0xa1, 0xff);
	capture_reset();
	vpic_print(&p, capture_printf);
	CHECK(strcmp(captured, "pic: master base 0x20 mask 0xff, slave base 0x28 mask 0xff\n") ==
	      0);
	outb(&p, 0x21, 0xfb);
	capture_reset();
	vpic_print(&p, capture_printf);
	CHECK(strcmp(captured, "pic: master base 0x20 mask 0xfb, slave base 0x28 mask 0xff\n") ==
	      0);
}
