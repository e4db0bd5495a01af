/* The isolation guests' exception path: their own stubs on vectors 0..31 record the whole
 * hardware frame (RFLAGS, RSP, SS included) before the shared dispatcher runs, and the
 * IDT and TSS edits the tests need (SDM Vol. 3A §6.14.1 64-bit gates, §8.7 the TSS). */
#include "tests/guests/iso.h"

#include "tests/guests/cpu.h"
#include "tests/guests/desc.h"

volatile struct iso_trap_rec iso_trap;
volatile struct iso_capture iso_capture;

/* iso_trap_entry.S addresses the capture record by these offsets. */
_Static_assert(__builtin_offsetof(struct iso_capture, at) == 48, "capture.at");
_Static_assert(__builtin_offsetof(struct iso_capture, sp) == 56, "capture.sp");
_Static_assert(__builtin_offsetof(struct iso_capture, resume) == 64, "capture.resume");
_Static_assert(__builtin_offsetof(struct iso_capture, taken) == 72, "capture.taken");

/* 64-bit interrupt gate fields (SDM Vol. 3A Figure 6-8). */
#define GATE_SEL_SHIFT  16
#define GATE_IST_SHIFT  32
#define GATE_IST_MASK   0x7ull
#define GATE_TYPE_SHIFT 40
#define GATE_INTR_P     0x8eull /* present, DPL 0, 64-bit interrupt gate */
#define GATE_P          (1ull << 47)
#define GATE_OFF_MID    48

/* 64-bit TSS descriptor base fields (SDM Vol. 3A Figure 8-4) and IST1's offset. */
#define TSS_IST1_OFFSET 0x24u

struct __attribute__((packed)) table_reg {
	uint16_t limit;
	uint64_t base;
};

/* iso_trap_entry.S: one stub per vector 0..31. */
extern const uintptr_t iso_stub_table[32];
void iso_trap_dispatch(struct trap_frame *f);

static volatile struct iso_gate *idt_base(void)
{
	struct table_reg r;
	__asm__ volatile("sidt %0" : "=m"(r));
	return (volatile struct iso_gate *)r.base;
}

struct iso_gate iso_gate_get(unsigned vec)
{
	volatile struct iso_gate *g = &idt_base()[vec];
	return (struct iso_gate){g->lo, g->hi};
}

void iso_gate_put(unsigned vec, struct iso_gate g)
{
	volatile struct iso_gate *d = &idt_base()[vec];
	d->lo = g.lo;
	d->hi = g.hi;
}

void iso_gate_set(unsigned vec, uintptr_t handler, unsigned ist)
{
	uint64_t h = handler;
	struct iso_gate g;
	g.lo = (h & 0xffff) | (uint64_t)SEL_KCODE << GATE_SEL_SHIFT |
	       (ist & GATE_IST_MASK) << GATE_IST_SHIFT | GATE_INTR_P << GATE_TYPE_SHIFT |
	       ((h >> 16) & 0xffff) << GATE_OFF_MID;
	g.hi = h >> 32;
	iso_gate_put(vec, g);
}

void iso_gate_set_present(unsigned vec, bool present)
{
	struct iso_gate g = iso_gate_get(vec);
	g.lo = present ? g.lo | GATE_P : g.lo & ~GATE_P;
	iso_gate_put(vec, g);
}

static uintptr_t tss_base(void)
{
	struct table_reg r;
	uint16_t sel;
	__asm__ volatile("sgdt %0; str %1" : "=m"(r), "=r"(sel));
	const volatile uint64_t *d = (const volatile uint64_t *)(r.base + (sel & ~7u));
	uint64_t base = ((d[0] >> 16) & 0xffffff) | ((d[0] >> 56) & 0xff) << 24;
	return (uintptr_t)(base | d[1] << 32);
}

void iso_tss_set_ist(unsigned n, uintptr_t top)
{
	/* The 64-bit TSS is not naturally aligned for its quadwords: write it as bytes. */
	volatile uint8_t *slot = (volatile uint8_t *)(tss_base() + TSS_IST1_OFFSET + (n - 1) * 8);
	for (unsigned i = 0; i < 8; i++)
		slot[i] = (uint8_t)((uint64_t)top >> (8 * i));
}

void iso_trap_init(void)
{
	for (unsigned v = 0; v < 32; v++)
		iso_gate_set(v, iso_stub_table[v], 0);
}

void iso_trap_clear(void)
{
	iso_trap.count = 0;
	iso_trap.vector = ~0u;
	iso_trap.error = iso_trap.ip = iso_trap.flags = 0;
}

static void record(const struct trap_frame *f)
{
	iso_trap.count++;
	iso_trap.vector = (uint32_t)f->vector;
	iso_trap.error = f->error;
	iso_trap.ip = f->ip;
	iso_trap.cs = f->cs;
	iso_trap.flags = f->flags;
	iso_trap.sp = f->sp;
	iso_trap.ss = f->ss;
	iso_trap.cr2 = f->vector == VEC_PF ? read_cr2() : 0;
	iso_trap.dr6 = f->vector == VEC_DB ? iso_read_dr6() : 0;
}

void iso_trap_dispatch(struct trap_frame *f)
{
	record(f);
	if (f->vector == VEC_DB || f->vector == VEC_OF) {
		f->flags &= ~RFLAGS_TF; /* one step is all a test asks for */
		return;
	}
	trap_dispatch(f);
}

void iso_arm(void)
{
	last_fault.taken = false;
	last_fault.vector = ~0u;
	last_fault.error = 0;
	last_fault.cr2 = 0;
}
