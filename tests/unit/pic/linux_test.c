/* The 8259A pair as Linux drives it (arch/x86/kernel/i8259.c): the probe,
 * init_8259A, i8259A_irq_pending, mask_and_ack_8259A with its spurious
 * IRQ7/IRQ15 check through the ISR, and the unmask after the handler. */
#include "tests/unit/harness.h"

#include "tests/unit/pic/rig.h"

/* Linux's cached_irq_mask: every line masked but the cascade. */
struct linux_pic {
	struct rig *r;
	uint16_t cached_mask;
	unsigned spurious_seen;
};

static void write_masks(struct linux_pic *l)
{
	outb(l->r, 0x21, (uint8_t)l->cached_mask);
	outb(l->r, 0xa1, (uint8_t)(l->cached_mask >> 8));
}

static void linux_unmask(struct linux_pic *l, unsigned irq)
{
	l->cached_mask &= (uint16_t) ~(1u << irq);
	write_masks(l);
}

/* i8259A_irq_real: the ISR through OCW3, then IRR selected again. */
static bool irq_real(struct linux_pic *l, unsigned irq)
{
	if (irq < 8)
		return read_isr(l->r, 0x20) & (1u << irq);
	return read_isr(l->r, 0xa0) & (1u << (irq - 8));
}

/* mask_and_ack_8259A. */
static void mask_and_ack(struct linux_pic *l, unsigned irq)
{
	uint16_t bit = (uint16_t)(1u << irq);

	if ((l->cached_mask & bit) && !irq_real(l, irq))
		l->spurious_seen++;
	l->cached_mask |= bit;
	if (irq & 8) {
		(void)inb(l->r, 0xa1);
		outb(l->r, 0xa1, (uint8_t)(l->cached_mask >> 8));
		outb(l->r, 0xa0, (uint8_t)(0x60 + (irq & 7)));
		outb(l->r, 0x20, 0x62);
	} else {
		(void)inb(l->r, 0x21);
		outb(l->r, 0x21, (uint8_t)l->cached_mask);
		outb(l->r, 0x20, (uint8_t)(0x60 + irq));
	}
}

/* handle_level_irq for the IRQ a vector belongs to, base 0x30. */
static void linux_handle(struct linux_pic *l, int vector)
{
	unsigned irq = (unsigned)(vector - 0x30);
	bool was_masked = l->cached_mask & (1u << irq);

	mask_and_ack(l, irq);
	if (!was_masked)
		linux_unmask(l, irq);
}

static void linux_boot(struct rig *r, struct linux_pic *l)
{
	rig_init(r);
	*l = (struct linux_pic){.r = r, .cached_mask = 0xfffb};
	rig_linux_init(r, 0x30, 0x38);
}

TEST(linux_probe_reads_the_mask_back)
{
	struct rig r;
	rig_init(&r);
	outb(&r, 0xa1, 0xff); /* probe_8259A */
	outb(&r, 0x21, 0xfb);
	CHECK_EQ(inb(&r, 0x21), 0xfb);
	outb(&r, 0x21, 0xff); /* the older probe's value */
	CHECK_EQ(inb(&r, 0x21), 0xff);
	CHECK_EQ(inb(&r, 0xa1), 0xff);
}

TEST(linux_init_sequence_programs_both_chips)
{
	struct rig r;
	struct linux_pic l;
	linux_boot(&r, &l);
	CHECK_EQ(r.pic.master.vector_base, 0x30);
	CHECK_EQ(r.pic.slave.vector_base, 0x38);
	CHECK_EQ(r.pic.master.icw3, 0x04);
	CHECK_EQ(r.pic.slave.icw3, 0x02);
	CHECK_EQ(r.pic.master.icw4, 0x01);
	CHECK_EQ(r.pic.slave.icw4, 0x01);
	CHECK(!i8259_chip_initializing(&r.pic.master));
	CHECK(!i8259_chip_initializing(&r.pic.slave));
	CHECK_EQ(inb(&r, 0x21), 0xfb);
	CHECK_EQ(inb(&r, 0xa1), 0xff);
}

TEST(linux_irq_pending_reads_the_irr)
{
	struct rig r;
	struct linux_pic l;
	linux_boot(&r, &l);
	irq_pulse(&r, 1); /* masked, yet pending in the IRR */
	irq_pulse(&r, 14);
	CHECK_EQ(inb(&r, 0x20) & 0x02, 0x02); /* i8259A_irq_pending(1) */
	CHECK_EQ(inb(&r, 0xa0) & 0x40, 0x40); /* i8259A_irq_pending(14) */
	CHECK_EQ(inb(&r, 0x20) & 0x08, 0x00);
	CHECK_EQ(pending(&r), IO_INTR_NONE);
}

TEST(linux_timer_interrupts_repeat)
{
	struct rig r;
	struct linux_pic l;
	linux_boot(&r, &l);
	linux_unmask(&l, 0);
	for (int tick = 0; tick < 5; tick++) {
		irq_pulse(&r, 0);
		int v = ack(&r);
		CHECK_EQ(v, 0x30);
		linux_handle(&l, v);
		CHECK_EQ(read_isr(&r, 0x20), 0x00);
	}
	CHECK_EQ(r.pic.delivered[0], 5);
	CHECK_EQ(inb(&r, 0x21), 0xfa);
	CHECK_EQ(l.spurious_seen, 0);
}

TEST(linux_slave_irq_acks_both_chips)
{
	struct rig r;
	struct linux_pic l;
	linux_boot(&r, &l);
	linux_unmask(&l, 14);
	irq_pulse(&r, 14);
	int v = ack(&r);
	CHECK_EQ(v, 0x3e);
	linux_handle(&l, v);
	CHECK_EQ(read_isr(&r, 0x20), 0x00);
	CHECK_EQ(read_isr(&r, 0xa0), 0x00);
	CHECK_EQ(inb(&r, 0xa1), 0xbf);
	irq_pulse(&r, 14);
	CHECK_EQ(ack(&r), 0x3e);
}

TEST(linux_sees_a_spurious_irq7)
{
	struct rig r;
	struct linux_pic l;
	linux_boot(&r, &l);
	outb(&r, 0x4d0, 0x20);
	linux_unmask(&l, 5);
	irq_set(&r, 5, true);
	CHECK_EQ(pending(&r), 0x35);
	irq_set(&r, 5, false);
	int v = ack(&r);
	CHECK_EQ(v, 0x37); /* IRQ7 is masked in cached_irq_mask ... */
	linux_handle(&l, v);
	CHECK_EQ(l.spurious_seen, 1); /* ... and not in the ISR: spurious */
	CHECK_EQ(read_isr(&r, 0x20), 0x00);
}

TEST(linux_sees_a_spurious_irq15)
{
	struct rig r;
	struct linux_pic l;
	linux_boot(&r, &l);
	outb(&r, 0x4d1, 0x08);
	linux_unmask(&l, 11);
	irq_set(&r, 11, true);
	CHECK_EQ(pending(&r), 0x3b);
	irq_set(&r, 11, false);
	int v = ack(&r);
	CHECK_EQ(v, 0x3f);
	CHECK_EQ(read_isr(&r, 0x20), 0x04);
	linux_handle(&l, v);
	CHECK_EQ(l.spurious_seen, 1);
	CHECK_EQ(read_isr(&r, 0x20), 0x00); /* the EOI to IR2 cleaned up */
	CHECK_EQ(read_isr(&r, 0xa0), 0x00);
	irq_set(&r, 11, true); /* and the next real one gets through */
	CHECK_EQ(ack(&r), 0x3b);
}

TEST(linux_shutdown_masks_everything)
{
	struct rig r;
	struct linux_pic l;
	linux_boot(&r, &l);
	linux_unmask(&l, 0);
	outb(&r, 0xa1, 0xff); /* i8259A_shutdown */
	outb(&r, 0x21, 0xff);
	irq_pulse(&r, 0);
	CHECK_EQ(pending(&r), IO_INTR_NONE);
	CHECK(!i8259_intr_output(&r.pic));
}
