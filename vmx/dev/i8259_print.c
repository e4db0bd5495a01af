/*
 * The 8259A pair's report lines (format in vmx/dev/i8259.h): how the guest
 * programmed it, what it delivered, and the registers as they stand.
 */
#include "vmx/dev/i8259_chip.h"

static void print_programming(const struct i8259 *p, struct io_log *log)
{
	io_log_print(log, "pic: master base 0x%x mask 0x%x, slave base 0x%x mask 0x%x\n",
	             p->master.vector_base, p->master.imr, p->slave.vector_base, p->slave.imr);
}

/* Only the IRQs that were delivered, in IRQ order. */
static void print_deliveries(const struct i8259 *p, struct io_log *log)
{
	bool any = false;

	io_log_print(log, "pic: irqs");
	for (unsigned irq = 0; irq < I8259_IRQS; irq++) {
		if (!p->delivered[irq])
			continue;
		io_log_print(log, " %u:%llu", irq, (unsigned long long)p->delivered[irq]);
		any = true;
	}
	io_log_print(log, "%s, spurious 7:%llu 15:%llu\n", any ? "" : " none",
	             (unsigned long long)p->spurious_master, (unsigned long long)p->spurious_slave);
}

static void print_registers(const struct i8259 *p, struct io_log *log)
{
	io_log_print(log,
	             "pic: master irr 0x%02x isr 0x%02x elcr 0x%02x, slave irr 0x%02x isr 0x%02x "
	             "elcr 0x%02x\n",
	             p->master.irr, p->master.isr, p->master.elcr, p->slave.irr, p->slave.isr,
	             p->slave.elcr);
}

void i8259_print(const struct i8259 *p, struct io_log *log)
{
	print_programming(p, log);
	print_deliveries(p, log);
	print_registers(p, log);
}
