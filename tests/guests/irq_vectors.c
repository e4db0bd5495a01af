/* IDT gates and the C-level dispatch of the irq guests. desc_init() has loaded the IDT with
 * exception gates; this file adds interrupt gates (SDM Vol. 3A §6.11 and §6.14.1) for the
 * vectors the irq guests use, writing straight into the table SIDT reports. */
#include "tests/guests/irq_vectors.h"

#include "tests/guests/desc.h"
#include "tests/guests/report.h"

#define GATE_TYPE_INTR 0x8eu /* present, DPL 0, 32- or 64-bit interrupt gate */

struct __attribute__((packed)) idt_ptr {
	uint16_t limit;
	uintptr_t base;
};

/* Stub addresses, indexed by vector; 0 where irq_entry.S has no stub. */
extern const uintptr_t irq_stub_table[IRQ_VECTORS];

static irq_handler_fn handlers[IRQ_VECTORS];
volatile uint32_t irq_unexpected_count, irq_unexpected_vector;

static volatile uint8_t *idt_base(void)
{
	struct idt_ptr p;
	__asm__ volatile("sidt %0" : "=m"(p));
	return (volatile uint8_t *)p.base;
}

/* Gate layout: SDM Vol. 3A Figure 6-2 (32-bit) and Figure 6-8 (64-bit). */
static void set_gate(unsigned vec, uintptr_t handler)
{
#ifdef __x86_64__
	volatile uint8_t *g = idt_base() + vec * 16;
	*(volatile uint32_t *)(g + 8) = (uint32_t)((uint64_t)handler >> 32);
	*(volatile uint32_t *)(g + 12) = 0;
#else
	volatile uint8_t *g = idt_base() + vec * 8;
#endif
	*(volatile uint16_t *)(g + 0) = (uint16_t)handler;
	*(volatile uint16_t *)(g + 2) = SEL_KCODE;
	*(volatile uint8_t *)(g + 4) = 0; /* IST 0 in 64-bit mode, reserved in 32-bit */
	*(volatile uint8_t *)(g + 5) = GATE_TYPE_INTR;
	*(volatile uint16_t *)(g + 6) = (uint16_t)(handler >> 16);
}

void irq_vectors_init(void)
{
	set_gate(VEC_NMI, irq_stub_table[VEC_NMI]);
	for (unsigned v = VEC_FIRST_EXT; v < IRQ_VECTORS; v++)
		if (v != VEC_USER_RETURN)
			set_gate(v, irq_stub_table[v]);
}

void irq_set_handler(unsigned vec, irq_handler_fn fn)
{
	handlers[vec] = fn;
	if (vec == VEC_USER_RETURN)
		set_gate(vec, irq_stub_table[vec]);
}

void irq_dispatch(struct trap_frame *f)
{
	unsigned vec = (unsigned)f->vector & (IRQ_VECTORS - 1);
	if (handlers[vec]) {
		handlers[vec](f);
		return;
	}
	irq_unexpected_count++;
	irq_unexpected_vector = vec;
}

void irq_report_unexpected(void)
{
	report(irq_unexpected_count == 0, "no interrupt arrived at a vector without a handler",
	       "%u stray interrupts, last at vector 0x%x", irq_unexpected_count,
	       irq_unexpected_vector);
}
