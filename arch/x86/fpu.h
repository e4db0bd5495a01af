/*
 * The x87/SSE state. The hypervisor itself never uses it (it is built with
 * -mno-sse): while a guest runs the registers are the guest's, and between
 * guests they are reset so that nothing of one guest reaches the next.
 */
#ifndef ARCH_X86_FPU_H
#define ARCH_X86_FPU_H

/* Enable FXSAVE/FXRSTOR and SSE (CR4.OSFXSR, CR4.OSXMMEXCPT; CR0.EM = 0, MP = 1). */
void fpu_enable(void);
/* The state after FNINIT with MXCSR at its power-up value and every XMM
 * register zero (SDM Vol. 1 §8.1.10, table 10-1 for MXCSR 0x1F80). */
void fpu_reset(void);

#endif
