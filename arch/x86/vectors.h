/*
 * Architectural numbers the whole kernel shares: exception vectors (Intel
 * SDM Vol. 3A §7.3, table 7-1), the RFLAGS bits the hypervisor looks at
 * (Vol. 1 §3.4.3) and the code-segment bits that tell the CPU mode (Vol. 3A
 * §3.4.5, in the VMCS access-rights layout of Vol. 3C §24.4.1).
 */
#ifndef ARCH_X86_VECTORS_H
#define ARCH_X86_VECTORS_H

#define VEC_DE         0  /* divide error */
#define VEC_DB         1  /* debug */
#define VEC_NMI        2  /* non-maskable interrupt */
#define VEC_BP         3  /* breakpoint */
#define VEC_OF         4  /* overflow */
#define VEC_BR         5  /* BOUND range exceeded */
#define VEC_UD         6  /* invalid opcode */
#define VEC_NM         7  /* device not available */
#define VEC_DF         8  /* double fault */
#define VEC_TS         10 /* invalid TSS */
#define VEC_NP         11 /* segment not present */
#define VEC_SS         12 /* stack fault */
#define VEC_GP         13 /* general protection */
#define VEC_PF         14 /* page fault */
#define VEC_MF         16 /* x87 floating-point error */
#define VEC_AC         17 /* alignment check */
#define VEC_MC         18 /* machine check */
#define VEC_XM         19 /* SIMD floating-point exception */
#define VEC_VE         20 /* virtualization exception */
#define VEC_CP         21 /* control protection */
#define VEC_EXCEPTIONS 32

#define RFLAGS_CF    (1ull << 0)
#define RFLAGS_FIXED (1ull << 1) /* always 1 */
#define RFLAGS_ZF    (1ull << 6)
#define RFLAGS_TF    (1ull << 8)
#define RFLAGS_IF    (1ull << 9)
#define RFLAGS_DF    (1ull << 10)
#define RFLAGS_RF    (1ull << 16)
#define RFLAGS_VM    (1ull << 17)
#define RFLAGS_AC    (1ull << 18)

/* Segment access rights as the VMCS holds them. */
#define SEG_AR_L  (1u << 13) /* 64-bit code segment */
#define SEG_AR_DB (1u << 14) /* default operation size 32 bits */

#endif
