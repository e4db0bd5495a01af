/* The pic suite's test machine (see rig.h). */
#include <stdarg.h>
#include <string.h>

#include "tests/unit/pic/rig.h"

static uint64_t frozen_clock(void *ctx)
{
	(void)ctx;
	return 0;
}

void rig_init(struct rig *r)
{
	memset(r, 0, sizeof(*r));
	io_log_init(&r->log, capture_vprintf, "test: ");
	io_bus_init(&r->bus, &r->log, (struct io_clock){.now = frozen_clock});
	i8259_init(&r->pic);
	io_bus_add_ports(&r->bus, I8259_MASTER_BASE, I8259_PORTS, "pic master", &r->pic,
	                 i8259_master_read, i8259_master_write);
	io_bus_add_ports(&r->bus, I8259_SLAVE_BASE, I8259_PORTS, "pic slave", &r->pic,
	                 i8259_slave_read, i8259_slave_write);
	io_bus_add_ports(&r->bus, I8259_ELCR_BASE, I8259_PORTS, "elcr", &r->pic, i8259_elcr_read,
	                 i8259_elcr_write);
	r->bus.intr = (struct io_intr){.ops = &i8259_intr_ops, .ctrl = &r->pic};
	for (unsigned i = 0; i < I8259_IRQS; i++)
		r->line[i] = (struct io_irq){.chip = &r->pic.irq_chip, .pin = i};
	capture_reset();
}

/* The order of arch/x86/kernel/i8259.c init_8259A(0), masks restored after. */
void rig_linux_init(struct rig *r, uint8_t master, uint8_t slave)
{
	outb(r, 0x21, 0xff);
	outb(r, 0x20, 0x11); /* ICW1: edge, cascade, ICW4 follows */
	outb(r, 0x21, master);
	outb(r, 0x21, 0x04); /* ICW3: slave on IR2 */
	outb(r, 0x21, 0x01); /* ICW4: 8086, normal EOI */
	outb(r, 0xa0, 0x11);
	outb(r, 0xa1, slave);
	outb(r, 0xa1, 0x02); /* ICW3: slave ID 2 */
	outb(r, 0xa1, 0x01);
	outb(r, 0x21, 0xfb); /* restore: everything masked but the cascade */
	outb(r, 0xa1, 0xff);
}

uint8_t read_isr(struct rig *r, uint16_t command_port)
{
	outb(r, command_port, 0x0b);
	uint8_t v = inb(r, command_port);
	outb(r, command_port, 0x0a); /* back to IRR, as Linux leaves it */
	return v;
}

uint8_t read_irr(struct rig *r, uint16_t command_port)
{
	outb(r, command_port, 0x0a);
	return inb(r, command_port);
}
