/* GDT, TSS and IDT (SDM Vol. 3A §3.4.5 segment descriptors, §6.11/§6.14 IDT gates,
 * §7.2 TSS). */
#include "tests/guests/desc.h"

#include <stdint.h>

/* Segment descriptor fields. */
#define SEG_LIMIT_4G  0x000f00000000ffffull
#define SEG_PRESENT   (1ull << 47)
#define SEG_DPL3      (3ull << 45)
#define SEG_S         (1ull << 44)
#define SEG_CODE      (0xaull << 40) /* execute/read */
#define SEG_DATA      (0x2ull << 40) /* read/write */
#define SEG_TSS_AVAIL (0x9ull << 40)
#define SEG_L         (1ull << 53)
#define SEG_DB        (1ull << 54)
#define SEG_G         (1ull << 55)

#define FLAT (SEG_LIMIT_4G | SEG_PRESENT | SEG_S | SEG_G)

/* Gate fields. */
#define GATE_INTR    0xeu
#define GATE_PRESENT 0x80u
#define GATE_DPL3    0x60u

#define IDT_VECTORS    256
#define TSS_STACK_SIZE 8192

struct tss32 {
	uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
	uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint32_t es, cs, ss, ds, fs, gs, ldt;
	uint16_t trap, iomap_base;
};
_Static_assert(sizeof(struct tss32) == 104, "32-bit TSS size");

struct __attribute__((packed)) tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3, iomap_base;
};
_Static_assert(sizeof(struct tss64) == 104, "64-bit TSS size");

struct __attribute__((packed)) table_ptr {
	uint16_t limit;
	uintptr_t base;
};

#ifdef __x86_64__
struct idt_gate {
	uint16_t off_lo, sel;
	uint8_t ist, type;
	uint16_t off_mid;
	uint32_t off_hi, reserved;
};
_Static_assert(sizeof(struct idt_gate) == 16, "64-bit gate size");
static struct tss64 tss;
#else
struct idt_gate {
	uint16_t off_lo, sel;
	uint8_t zero, type;
	uint16_t off_hi;
};
_Static_assert(sizeof(struct idt_gate) == 8, "32-bit gate size");
static struct tss32 tss;
#endif

static uint64_t gdt[10] __attribute__((aligned(16)));
static struct idt_gate idt[IDT_VECTORS] __attribute__((aligned(16)));
static uint8_t tss_stack[TSS_STACK_SIZE] __attribute__((aligned(16)));

/* Stub addresses, one per vector 0..31 and VEC_USER_RETURN (trap_entry.S). */
extern const uintptr_t trap_stub_table[];
extern const uintptr_t trap_stub_user_return;

static void set_gate(unsigned vec, uintptr_t handler, uint8_t dpl_bits)
{
	struct idt_gate *g = &idt[vec];
	g->off_lo = (uint16_t)handler;
	g->sel = SEL_KCODE;
	g->type = GATE_PRESENT | GATE_INTR | dpl_bits;
#ifdef __x86_64__
	g->off_mid = (uint16_t)(handler >> 16);
	g->off_hi = (uint32_t)((uint64_t)handler >> 32);
#else
	g->off_hi = (uint16_t)(handler >> 16);
#endif
}

static void build_gdt(void)
{
	gdt[SEL_KCODE32 >> 3] = FLAT | SEG_CODE | SEG_DB;
	gdt[SEL_KDATA >> 3] = FLAT | SEG_DATA | SEG_DB;
	gdt[SEL_KCODE64 >> 3] = FLAT | SEG_CODE | SEG_L;
	gdt[SEL_UCODE32 >> 3] = FLAT | SEG_CODE | SEG_DB | SEG_DPL3;
	gdt[SEL_UDATA >> 3] = FLAT | SEG_DATA | SEG_DB | SEG_DPL3;
	gdt[SEL_UCODE64 >> 3] = FLAT | SEG_CODE | SEG_L | SEG_DPL3;

	uint64_t base = (uintptr_t)&tss, limit = sizeof(tss) - 1;
	gdt[SEL_TSS >> 3] = limit | ((base & 0xffffff) << 16) | SEG_TSS_AVAIL | SEG_PRESENT |
	                    ((base >> 24) & 0xff) << 56;
	gdt[(SEL_TSS >> 3) + 1] = base >> 32; /* upper half of the 16-byte 64-bit TSS descriptor */
}

static void build_tss(void)
{
	uintptr_t top = (uintptr_t)tss_stack + TSS_STACK_SIZE;
#ifdef __x86_64__
	tss.rsp[0] = top;
#else
	tss.esp0 = top;
	tss.ss0 = SEL_KDATA;
#endif
	tss.iomap_base = sizeof(tss); /* no I/O bitmap: ring 3 has no port access */
}

static void load_tables(void)
{
	struct table_ptr g = {sizeof(gdt) - 1, (uintptr_t)gdt};
	struct table_ptr i = {sizeof(idt) - 1, (uintptr_t)idt};
	__asm__ volatile("lgdt %0" : : "m"(g));
	__asm__ volatile("lidt %0" : : "m"(i));
#ifdef __x86_64__
	__asm__ volatile("pushq %0; leaq 1f(%%rip), %%rax; pushq %%rax; lretq; 1:\n"
	                 "mov %1, %%ds; mov %1, %%es; mov %1, %%ss; mov %1, %%fs; mov %1, %%gs"
	                 :
	                 : "i"(SEL_KCODE), "r"(SEL_KDATA)
	                 : "rax", "memory");
#else
	__asm__ volatile("ljmp %0, $1f; 1:\n"
	                 "mov %1, %%ds; mov %1, %%es; mov %1, %%ss; mov %1, %%fs; mov %1, %%gs"
	                 :
	                 : "i"(SEL_KCODE), "r"(SEL_KDATA)
	                 : "memory");
#endif
	__asm__ volatile("ltr %w0" : : "r"(SEL_TSS));
}

void desc_init(void)
{
	build_gdt();
	build_tss();
	for (unsigned v = 0; v < 32; v++)
		set_gate(v, trap_stub_table[v], 0);
	set_gate(VEC_USER_RETURN, trap_stub_user_return, GATE_DPL3);
	load_tables();
}
