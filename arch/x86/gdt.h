#ifndef ARCH_X86_GDT_H
#define ARCH_X86_GDT_H

#include <stdint.h>

/* Selectors of the kernel GDT. The VMCS host state uses them too. */
#define GDT_KERNEL_CODE 0x08
#define GDT_KERNEL_DATA 0x10
#define GDT_TSS         0x18

/* Interrupt stack table slots (Intel SDM Vol. 3A §8.14.5). */
#define IST_DOUBLE_FAULT  1
#define IST_NMI           2
#define IST_MACHINE_CHECK 3
#define IST_COUNT         3

struct descriptor_table_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

void gdt_init(void);
uint64_t gdt_base(void);
uint64_t tss_base(void);

#endif
