/*
 * The IDT: 64-bit interrupt gates for all 256 vectors, the 32 exceptions and
 * the host's interrupts (Intel SDM Vol. 3A §7.14.1). Double fault, NMI and
 * machine check switch to their own IST stacks so that a broken kernel stack
 * still gives a readable dump.
 */
#include "arch/x86/gdt.h"
#include "arch/x86/vectors.h"
#include "arch/x86/trap.h"

#define IDT_VECTORS         256
#define GATE_TYPE_INTERRUPT 0xe
#define GATE_PRESENT        0x80

struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_gate) == 16, "long-mode gate is 16 bytes");

extern const uint64_t isr_stub_table[IDT_VECTORS];
static struct idt_gate idt[IDT_VECTORS] __attribute__((aligned(16)));

static uint8_t ist_for(int vector)
{
	switch (vector) {
	case VEC_DF:
		return IST_DOUBLE_FAULT;
	case VEC_NMI:
		return IST_NMI;
	case VEC_MC:
		return IST_MACHINE_CHECK;
	default:
		return 0;
	}
}

void idt_init(void)
{
	for (int v = 0; v < IDT_VECTORS; v++) {
		uint64_t handler = isr_stub_table[v];
		idt[v] = (struct idt_gate){
		    .offset_low = (uint16_t)handler,
		    .selector = GDT_KERNEL_CODE,
		    .ist = ist_for(v),
		    .type_attr = GATE_PRESENT | GATE_TYPE_INTERRUPT,
		    .offset_mid = (uint16_t)(handler >> 16),
		    .offset_high = (uint32_t)(handler >> 32),
		};
	}
	struct descriptor_table_ptr ptr = {sizeof(idt) - 1, (uint64_t)(uintptr_t)idt};
	__asm__ volatile("lidt %0" ::"m"(ptr));
}
