/*
 * Interrupt request lines, from a device's output to an input pin of an
 * interrupt controller (the 8259 pair, the local APIC's LINT pins). A device
 * only drives its line's level; whether the controller latches edges or
 * follows levels is the controller's business (8259: ELCR). A line with no
 * chip is not connected and goes nowhere.
 */
#ifndef VMX_IO_IRQ_H
#define VMX_IO_IRQ_H

#include <stdbool.h>

struct io_irq_chip {
	void (*set_level)(void *chip, unsigned pin, bool level);
	void *chip;
};

struct io_irq {
	const struct io_irq_chip *chip; /* 0: not connected */
	unsigned pin;
};

static inline void io_irq_set(const struct io_irq *l, bool level)
{
	if (l->chip)
		l->chip->set_level(l->chip->chip, l->pin, level);
}

static inline void io_irq_raise(const struct io_irq *l)
{
	io_irq_set(l, true);
}

static inline void io_irq_lower(const struct io_irq *l)
{
	io_irq_set(l, false);
}

/* A rising edge that does not stay: what an edge-triggered input latches. */
static inline void io_irq_pulse(const struct io_irq *l)
{
	io_irq_set(l, true);
	io_irq_set(l, false);
}

#endif
