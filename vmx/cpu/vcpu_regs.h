/*
 * The guest register save area shared by the exit stub (vmx/exit_stub.S)
 * and C. The VMCS holds guest RSP, RIP and RFLAGS (§24.4.1); everything
 * else the guest can see in a general-purpose register, and CR2 (which VM
 * exits neither save nor load, §27.3, §27.5), lives here.
 *
 * gpr[] is indexed by the x86 register number used in exit qualifications
 * (CR/DR access, table 27-3) and instruction encodings: 0 RAX, 1 RCX, 2 RDX,
 * 3 RBX, 4 RSP, 5 RBP, 6 RSI, 7 RDI, 8..15 R8..R15. The stub saves and loads
 * the 15 registers other than RSP; gpr[VCPU_RSP] is a slot the C code may
 * fill from/store to VMCS_GUEST_RSP so that gpr[qual_gpr] works for all 16.
 *
 * The offsets below are shared with the assembly: they are plain #defines
 * here, checked against the struct with _Static_assert.
 */
#ifndef VMX_VCPU_REGS_H
#define VMX_VCPU_REGS_H

#define VCPU_RAX     0
#define VCPU_RCX     1
#define VCPU_RDX     2
#define VCPU_RBX     3
#define VCPU_RSP     4 /* not touched by the stub: the guest RSP is in the VMCS */
#define VCPU_RBP     5
#define VCPU_RSI     6
#define VCPU_RDI     7
#define VCPU_R8      8
#define VCPU_R9      9
#define VCPU_R10     10
#define VCPU_R11     11
#define VCPU_R12     12
#define VCPU_R13     13
#define VCPU_R14     14
#define VCPU_R15     15
#define VCPU_NR_GPRS 16

/* Byte offsets in struct vcpu_regs, used by vmx/exit_stub.S. */
#define VCPU_OFF_GPR(n)       ((n)*8)
#define VCPU_OFF_RAX          0
#define VCPU_OFF_RCX          8
#define VCPU_OFF_RDX          16
#define VCPU_OFF_RBX          24
#define VCPU_OFF_RBP          40
#define VCPU_OFF_RSI          48
#define VCPU_OFF_RDI          56
#define VCPU_OFF_R8           64
#define VCPU_OFF_R9           72
#define VCPU_OFF_R10          80
#define VCPU_OFF_R11          88
#define VCPU_OFF_R12          96
#define VCPU_OFF_R13          104
#define VCPU_OFF_R14          112
#define VCPU_OFF_R15          120
#define VCPU_OFF_CR2          128
#define VCPU_OFF_LAUNCHER_RSP 136
#define VCPU_REGS_SIZE        144

/*
 * The exit stack: HOST_RSP points at a 16-byte-aligned pair of slots holding
 * the struct vcpu_regs pointer and the C function to call for each exit (see
 * vcpu_exit_stack_init()). At a VM exit RSP = HOST_RSP, so the stub finds
 * its save area at 0(%rsp) and the handler at 8(%rsp): the stub names no C
 * function of the layers above it.
 */
#define VCPU_EXIT_STACK_REGS_SLOT    0
#define VCPU_EXIT_STACK_HANDLER_SLOT 8
#define VCPU_EXIT_STACK_RESERVED     16 /* bytes above HOST_RSP used by the slots */

#ifndef __ASSEMBLER__

#include <stddef.h>
#include <stdint.h>

struct vcpu_regs {
	uint64_t gpr[VCPU_NR_GPRS];
	uint64_t cr2; /* guest CR2: saved at every exit, loaded before every entry */
	/* Host RSP inside vmx_launch() after it saved the callee-saved
	 * registers; vmx_guest_stop() returns there. Not guest state. */
	uint64_t launcher_rsp;
};

_Static_assert(offsetof(struct vcpu_regs, gpr[VCPU_RAX]) == VCPU_OFF_RAX, "rax");
_Static_assert(offsetof(struct vcpu_regs, gpr[VCPU_RCX]) == VCPU_OFF_RCX, "rcx");
_Static_assert(offsetof(struct vcpu_regs, gpr[VCPU_RDX]) == VCPU_OFF_RDX, "rdx");
_Static_assert(offsetof(struct vcpu_regs, gpr[VCPU_RBX]) == VCPU_OFF_RBX, "rbx");
_Static_assert(offsetof(struct vcpu_regs, gpr[VCPU_RBP]) == VCPU_OFF_RBP, "rbp");
_Static_assert(offsetof(struct vcpu_regs, gpr[VCPU_RSI]) == VCPU_OFF_RSI, "rsi");
_Static_assert(offsetof(struct vcpu_regs, gpr[VCPU_RDI]) == VCPU_OFF_RDI, "rdi");
_Static_assert(offsetof(struct vcpu_regs, gpr[VCPU_R8]) == VCPU_OFF_R8, "r8");
_Static_assert(offsetof(struct vcpu_regs, gpr[VCPU_R9]) == VCPU_OFF_R9, "r9");
_Static_assert(offsetof(struct vcpu_regs, gpr[VCPU_R10]) == VCPU_OFF_R10, "r10");
_Static_assert(offsetof(struct vcpu_regs, gpr[VCPU_R11]) == VCPU_OFF_R11, "r11");
_Static_assert(offsetof(struct vcpu_regs, gpr[VCPU_R12]) == VCPU_OFF_R12, "r12");
_Static_assert(offsetof(struct vcpu_regs, gpr[VCPU_R13]) == VCPU_OFF_R13, "r13");
_Static_assert(offsetof(struct vcpu_regs, gpr[VCPU_R14]) == VCPU_OFF_R14, "r14");
_Static_assert(offsetof(struct vcpu_regs, gpr[VCPU_R15]) == VCPU_OFF_R15, "r15");
_Static_assert(offsetof(struct vcpu_regs, cr2) == VCPU_OFF_CR2, "cr2");
_Static_assert(offsetof(struct vcpu_regs, launcher_rsp) == VCPU_OFF_LAUNCHER_RSP, "launcher");
_Static_assert(sizeof(struct vcpu_regs) == VCPU_REGS_SIZE, "size");

/* What the stub calls for each exit, with the save area as argument. */
typedef void (*vcpu_regs_exit_fn)(struct vcpu_regs *regs);

/*
 * Prepare a per-vCPU exit stack [base, base + size) and return the value
 * for VMCS_HOST_RSP: the top, rounded down to 16 bytes, minus one 16-byte
 * slot pair holding `regs` and `handler`. The stub calls C with RSP =
 * HOST_RSP, which is 16-byte aligned as the SysV ABI wants before a call.
 */
static inline uint64_t vcpu_exit_stack_init(void *base, size_t size, struct vcpu_regs *regs,
                                            vcpu_regs_exit_fn handler)
{
	uintptr_t top = ((uintptr_t)base + size) & ~(uintptr_t)15;
	uintptr_t host_rsp = top - VCPU_EXIT_STACK_RESERVED;

	*(struct vcpu_regs **)(host_rsp + VCPU_EXIT_STACK_REGS_SLOT) = regs;
	*(vcpu_regs_exit_fn *)(host_rsp + VCPU_EXIT_STACK_HANDLER_SLOT) = handler;
	return (uint64_t)host_rsp;
}

#endif /* __ASSEMBLER__ */

#endif
