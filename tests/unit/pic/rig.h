/*
 * The pic suite's test machine: the 8259A pair on a real I/O bus at its PC
 * ports, its IRQ lines as devices see them, and the vCPU's view of INTR.
 * Every test goes through these paths only.
 */
#ifndef TESTS_UNIT_PIC_RIG_H
#define TESTS_UNIT_PIC_RIG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "vmx/dev/i8259.h"
#include "vmx/io/bus.h"

struct rig {
	struct i8259 pic;
	struct io_bus bus;
	struct io_log log;
	struct io_irq line[I8259_IRQS];
};

/* The pair as a BIOS leaves it, on the bus at 0x20, 0xA0 and 0x4D0. */
void rig_init(struct rig *r);

/* Linux's init_8259A: the master's vectors at `master`, the slave's at `slave`, no AEOI. */
void rig_linux_init(struct rig *r, uint8_t master, uint8_t slave);

static inline void outb(struct rig *r, uint16_t port, uint8_t v)
{
	io_port_write(&r->bus, port, 1, v);
}

static inline uint8_t inb(struct rig *r, uint16_t port)
{
	return (uint8_t)io_port_read(&r->bus, port, 1);
}

static inline void irq_set(struct rig *r, unsigned irq, bool level)
{
	io_irq_set(&r->line[irq], level);
}

static inline void irq_pulse(struct rig *r, unsigned irq)
{
	io_irq_pulse(&r->line[irq]);
}

static inline int pending(struct rig *r)
{
	return io_intr_pending(&r->bus.intr);
}

static inline int ack(struct rig *r)
{
	return io_intr_ack(&r->bus.intr);
}

/* OCW3 read selection then a command-port read, as Linux's i8259A_irq_real does. */
uint8_t read_isr(struct rig *r, uint16_t command_port);
uint8_t read_irr(struct rig *r, uint16_t command_port);

/* What the log captured since the last capture_reset(). */
extern char captured[4096];
void capture_reset(void);
int capture_vprintf(const char *fmt, va_list ap);

#endif
