/* 8259A programming for the irq guests (8259A datasheet: "Initialization Command Words"
 * and "Operation Command Words"). */
#include "tests/guests/irq_pic.h"

#include "tests/guests/cpu.h"

#define ICW1_INIT_IC4 0x11u /* ICW1: initialization, edge triggered, cascade, ICW4 needed */
#define ICW4_8086     0x01u /* ICW4: 8086/88 mode, normal EOI, not buffered, fully nested */
#define OCW2_EOI      0x20u
#define OCW2_SPECIFIC 0x60u /* specific EOI; bits 0-2 name the level */
#define OCW3_READ_IRR 0x0au
#define OCW3_READ_ISR 0x0bu
#define OCW3_POLL     0x0cu
#define POLL_REQUEST  0x80u                   /* poll word: a request was acknowledged */
#define MASTER_ICW3   (1u << PIC_CASCADE_IRQ) /* slave on IR2 */
#define SLAVE_ICW3    PIC_CASCADE_IRQ         /* slave identity 2 */
#define LEVEL_MASK    7u

static void init_one(uint16_t cmd, uint16_t data, uint8_t vector, uint8_t icw3)
{
	outb(cmd, ICW1_INIT_IC4);
	outb(data, vector);
	outb(data, icw3);
	outb(data, ICW4_8086);
}

void pic_init(void)
{
	init_one(PIC_MASTER_CMD, PIC_MASTER_DATA, PIC_MASTER_VECTOR, MASTER_ICW3);
	init_one(PIC_SLAVE_CMD, PIC_SLAVE_DATA, PIC_SLAVE_VECTOR, SLAVE_ICW3);
	pic_set_mask(PIC_ALL_MASKED);
}

void pic_set_mask(uint16_t mask)
{
	outb(PIC_MASTER_DATA, (uint8_t)mask);
	outb(PIC_SLAVE_DATA, (uint8_t)(mask >> 8));
}

uint16_t pic_mask(void)
{
	return (uint16_t)(inb(PIC_MASTER_DATA) | inb(PIC_SLAVE_DATA) << 8);
}

/* A slave line also needs the cascade line open on the master. */
void pic_unmask_irq(unsigned irq)
{
	uint16_t mask = (uint16_t)(pic_mask() & ~(1u << irq));
	if (irq >= 8)
		mask = (uint16_t)(mask & ~(1u << PIC_CASCADE_IRQ));
	pic_set_mask(mask);
}

void pic_mask_irq(unsigned irq)
{
	pic_set_mask((uint16_t)(pic_mask() | 1u << irq));
}

static uint8_t poll(uint16_t cmd)
{
	outb(cmd, OCW3_POLL);
	return inb(cmd);
}

/* With only IRQ open, the poll command (datasheet "The Poll Command") acknowledges its
 * request as an INTA would, without a vector reaching the CPU; an EOI then ends it. */
void pic_unmask_clean(unsigned irq)
{
	uint16_t mask = pic_mask();
	uint16_t open = (uint16_t)(1u << irq);
	if (irq >= 8)
		open = (uint16_t)(open | 1u << PIC_CASCADE_IRQ);
	pic_set_mask((uint16_t)~open);
	if (poll(PIC_MASTER_CMD) & POLL_REQUEST) {
		if (irq >= 8)
			(void)poll(PIC_SLAVE_CMD);
		pic_eoi(irq);
	}
	pic_set_mask((uint16_t)(mask & ~open));
}

void pic_eoi(unsigned irq)
{
	if (irq >= 8)
		outb(PIC_SLAVE_CMD, OCW2_EOI);
	outb(PIC_MASTER_CMD, OCW2_EOI);
}

void pic_specific_eoi(unsigned irq)
{
	if (irq >= 8) {
		outb(PIC_SLAVE_CMD, (uint8_t)(OCW2_SPECIFIC | (irq & LEVEL_MASK)));
		outb(PIC_MASTER_CMD, (uint8_t)(OCW2_SPECIFIC | PIC_CASCADE_IRQ));
	} else {
		outb(PIC_MASTER_CMD, (uint8_t)(OCW2_SPECIFIC | irq));
	}
}

static uint16_t read_pair(uint8_t ocw3)
{
	outb(PIC_MASTER_CMD, ocw3);
	outb(PIC_SLAVE_CMD, ocw3);
	uint16_t v = (uint16_t)(inb(PIC_MASTER_CMD) | inb(PIC_SLAVE_CMD) << 8);
	outb(PIC_MASTER_CMD, OCW3_READ_IRR);
	outb(PIC_SLAVE_CMD, OCW3_READ_IRR);
	return v;
}

uint16_t pic_read_irr(void)
{
	return read_pair(OCW3_READ_IRR);
}

uint16_t pic_read_isr(void)
{
	return read_pair(OCW3_READ_ISR);
}
