#ifndef ARCH_X86_TRAP_H
#define ARCH_X86_TRAP_H

/* Offsets into struct trap_frame, shared with isr.S. */
#define TRAP_FRAME_VECTOR 120
#define TRAP_FRAME_SIZE   176

#ifndef __ASSEMBLER__
#include <stdint.h>
#include <stddef.h>

/* What the exception stubs push, lowest address first. */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector;
	uint64_t error_code; /* 0 for vectors without one */
	/* pushed by the CPU (Intel SDM Vol. 3A §7.14.4) */
	uint64_t rip, cs, rflags, rsp, ss;
};
_Static_assert(offsetof(struct trap_frame, vector) == TRAP_FRAME_VECTOR, "isr.S layout");
_Static_assert(sizeof(struct trap_frame) == TRAP_FRAME_SIZE, "isr.S layout");

void idt_init(void);
void trap_handler(struct trap_frame *f);
const char *exception_name(uint64_t vector);

/*
 * The self-test provokes faults on purpose: it announces the vector it
 * expects and where to resume, and the handler records what happened instead
 * of panicking.
 */
struct trap_expectation {
	uint64_t vector;
	uint64_t resume_rip;
	int armed;
	int hit;
	uint64_t error_code;
	uint64_t cr2;
};
void trap_expect(struct trap_expectation *e);
#endif

#endif
