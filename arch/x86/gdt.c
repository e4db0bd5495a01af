/*
 * The kernel's GDT and TSS. Long mode ignores most descriptor fields, but the
 * TSS still matters: it holds the IST stacks that let a double fault, NMI or
 * machine check run on a known-good stack (Intel SDM Vol. 3A §8.7).
 */
#include "arch/x86/gdt.h"
#include "boot/layout.h"

/* Descriptor bits (Intel SDM Vol. 3A §3.4.5). */
#define DESC_ACCESSED       (1ull << 40)
#define DESC_RW             (1ull << 41)
#define DESC_EXEC           (1ull << 43)
#define DESC_CODE_DATA      (1ull << 44)
#define DESC_PRESENT        (1ull << 47)
#define DESC_LONG           (1ull << 53)
#define DESC_GRAN_4K        (1ull << 55)
#define DESC_LIMIT_MAX      (0xffffull | (0xfull << 48))
#define DESC_TYPE_TSS_AVAIL (0x9ull << 40)

struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss64) == 104, "TSS is 104 bytes (SDM Vol. 3A Fig. 8-11)");

enum { GDT_ENTRIES = 5 }; /* null, code, data, TSS (two slots) */

static uint64_t gdt[GDT_ENTRIES] __attribute__((aligned(16)));
static struct tss64 tss __attribute__((aligned(16)));
static uint8_t ist_stacks[IST_COUNT][IST_STACK_SIZE] __attribute__((aligned(16)));

static void set_tss_descriptor(void)
{
	uint64_t base = (uint64_t)(uintptr_t)&tss;
	uint64_t limit = sizeof(tss) - 1;

	gdt[GDT_TSS / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) | DESC_TYPE_TSS_AVAIL |
	                   DESC_PRESENT | (((base >> 24) & 0xff) << 56);
	gdt[GDT_TSS / 8 + 1] = base >> 32;
}

static void load_gdt_and_segments(void)
{
	struct descriptor_table_ptr ptr = {sizeof(gdt) - 1, (uint64_t)(uintptr_t)gdt};

	__asm__ volatile("lgdt %0\n\t"
	                 "pushq %1\n\t"
	                 "leaq 1f(%%rip), %%rax\n\t"
	                 "pushq %%rax\n\t"
	                 "lretq\n"
	                 "1:\n\t"
	                 "movw %w2, %%ds\n\t"
	                 "movw %w2, %%es\n\t"
	                 "movw %w2, %%ss\n\t"
	                 "ltr %w3"
	                 :
	                 : "m"(ptr), "i"(GDT_KERNEL_CODE), "r"(GDT_KERNEL_DATA), "r"(GDT_TSS)
	                 : "rax", "memory");
}

void gdt_init(void)
{
	gdt[0] = 0;
	gdt[GDT_KERNEL_CODE / 8] = DESC_LIMIT_MAX | DESC_ACCESSED | DESC_RW | DESC_EXEC |
	                           DESC_CODE_DATA | DESC_PRESENT | DESC_LONG | DESC_GRAN_4K;
	gdt[GDT_KERNEL_DATA / 8] = DESC_LIMIT_MAX | DESC_ACCESSED | DESC_RW | DESC_CODE_DATA |
	                           DESC_PRESENT | DESC_GRAN_4K | (1ull << 54) /* D/B */;
	for (int i = 0; i < IST_COUNT; i++)
		tss.ist[i] = (uint64_t)(uintptr_t)(ist_stacks[i] + IST_STACK_SIZE);
	tss.iomap_base = sizeof(tss); /* no I/O bitmap */
	set_tss_descriptor();
	load_gdt_and_segments();
}

uint64_t gdt_base(void)
{
	return (uint64_t)(uintptr_t)gdt;
}

uint64_t tss_base(void)
{
	return (uint64_t)(uintptr_t)&tss;
}
