/*
 * Exception handling: a fault the self-test expects is recorded and skipped;
 * anything else is fatal and gets a full dump (vector, error code, CR2, all
 * registers, a short stack dump) before the machine is left.
 */
#include "arch/x86/trap.h"
#include "arch/x86/vectors.h"
#include "arch/x86/cpu.h"
#include "arch/x86/hostirq.h"
#include "arch/x86/platform_exit.h"
#include "arch/x86/printf.h"

#define STACK_DUMP_WORDS 16

static const char *const names[] = {
    "#DE divide error",
    "#DB debug",
    "NMI",
    "#BP breakpoint",
    "#OF overflow",
    "#BR bound range",
    "#UD invalid opcode",
    "#NM device not available",
    "#DF double fault",
    "coprocessor segment overrun",
    "#TS invalid TSS",
    "#NP segment not present",
    "#SS stack fault",
    "#GP general protection",
    "#PF page fault",
    "reserved 15",
    "#MF x87 error",
    "#AC alignment check",
    "#MC machine check",
    "#XM SIMD exception",
    "#VE virtualization exception",
    "#CP control protection",
};

static struct trap_expectation *expected;

const char *exception_name(uint64_t vector)
{
	if (vector < sizeof(names) / sizeof(names[0]))
		return names[vector];
	return "reserved";
}

void trap_expect(struct trap_expectation *e)
{
	e->hit = 0;
	e->armed = 1;
	expected = e;
}

static int take_expected(struct trap_frame *f)
{
	struct trap_expectation *e = expected;
	if (!e || !e->armed || e->vector != f->vector)
		return 0;
	e->armed = 0;
	e->hit = 1;
	e->error_code = f->error_code;
	e->cr2 = f->vector == VEC_PF ? read_cr2() : 0;
	f->rip = e->resume_rip;
	expected = 0;
	return 1;
}

static void dump_stack(uint64_t rsp)
{
	const uint64_t *sp = (const uint64_t *)(uintptr_t)rsp;
	printf("  stack at %p:\n", (const void *)sp);
	for (int i = 0; i < STACK_DUMP_WORDS; i += 4)
		printf("    %016lx %016lx %016lx %016lx\n", (unsigned long)sp[i],
		       (unsigned long)sp[i + 1], (unsigned long)sp[i + 2],
		       (unsigned long)sp[i + 3]);
}

static void dump_frame(const struct trap_frame *f)
{
	printf("PANIC: exception %lu (%s) error=0x%lx cr2=0x%lx\n", (unsigned long)f->vector,
	       exception_name(f->vector), (unsigned long)f->error_code, (unsigned long)read_cr2());
	printf("  rip=%016lx cs=%04lx rflags=%016lx rsp=%016lx ss=%04lx\n", (unsigned long)f->rip,
	       (unsigned long)f->cs, (unsigned long)f->rflags, (unsigned long)f->rsp,
	       (unsigned long)f->ss);
	printf("  rax=%016lx rbx=%016lx rcx=%016lx rdx=%016lx\n", (unsigned long)f->rax,
	       (unsigned long)f->rbx, (unsigned long)f->rcx, (unsigned long)f->rdx);
	printf("  rsi=%016lx rdi=%016lx rbp=%016lx r8 =%016lx\n", (unsigned long)f->rsi,
	       (unsigned long)f->rdi, (unsigned long)f->rbp, (unsigned long)f->r8);
	printf("  r9 =%016lx r10=%016lx r11=%016lx r12=%016lx\n", (unsigned long)f->r9,
	       (unsigned long)f->r10, (unsigned long)f->r11, (unsigned long)f->r12);
	printf("  r13=%016lx r14=%016lx r15=%016lx\n", (unsigned long)f->r13, (unsigned long)f->r14,
	       (unsigned long)f->r15);
	printf("  cr0=%016lx cr3=%016lx cr4=%016lx\n", (unsigned long)read_cr0(),
	       (unsigned long)read_cr3(), (unsigned long)read_cr4());
}

void trap_handler(struct trap_frame *f)
{
	if (take_expected(f))
		return;
	if (f->vector >= VEC_EXCEPTIONS || f->vector == VEC_NMI) {
		host_interrupt(f->vector);
		return;
	}
	dump_frame(f);
	dump_stack(f->rsp);
	printf("hv: halted after exception\n");
	platform_exit(HV_EXIT_PANIC);
}
