/* guest-iso-state-set and guest-iso-state-check: -set plants distinctive values in the
 * x87/SSE state, the debug registers, IA32_DEBUGCTL, the SYSCALL and SWAPGS MSRs, the
 * task priority and CR4.PCE, then exits; -check, the next guest, must find the values a
 * freshly started CPU hands over (SDM Vol. 3A §10.1.1 Table 10-1, after the FNINIT a
 * firmware or loader leaves), never -set's. */
#ifndef GUESTS_ISO_STATE_H
#define GUESTS_ISO_STATE_H

#include <stdbool.h>
#include <stdint.h>

/* MSRs (SDM Vol. 4 Table 2-2). */
#define MSR_DEBUGCTL       0x1d9u
#define DEBUGCTL_BTF       (1ull << 1)
#define MSR_STAR           0xc0000081u
#define MSR_LSTAR          0xc0000082u
#define MSR_CSTAR          0xc0000083u
#define MSR_FMASK          0xc0000084u
#define MSR_GS_BASE        0xc0000101u
#define MSR_KERNEL_GS_BASE 0xc0000102u
#define EFER_SCE           (1ull << 0)

/* CR0 and CR4 bits of the FPU and of RDPMC (SDM Vol. 3A §2.5). */
#define CR0_MP         (1ul << 1)
#define CR0_EM         (1ul << 2)
#define CR0_TS         (1ul << 3)
#define CR4_PCE        (1ul << 8)
#define CR4_OSFXSR     (1ul << 9)
#define CR4_OSXMMEXCPT (1ul << 10)

/* Local APIC task priority register (SDM Vol. 3A §11.8.3.1); CR8 is its bits 7:4. */
#define APIC_TPR 0x80u

/* The handed-over values -check expects. */
#define FCW_FNINIT  0x037fu /* FNINIT (SDM Vol. 1 §8.1.5); power-up is 0x0040 */
#define MXCSR_RESET 0x1f80u
#define DR6_RESET   0xffff0ff0ull
#define DR7_RESET   0x400ull

/* The values -set plants. */
#define SET_FCW      0x0f7fu       /* round toward zero, every exception still masked */
#define SET_MXCSR    0xff80u       /* FZ, round toward zero, every exception masked */
#define SET_DR7      0xdddd0755ull /* L0-L3, LE, GE: 4-byte write breakpoints */
#define SET_DR6      0xffff6ff3ull /* B0, B1, BD, BS */
#define SET_STAR     0x0023001812345678ull
#define SET_LSTAR    0xffff8000deadb000ull
#define SET_CSTAR    0xffff8000c0de0000ull
#define SET_FMASK    0x00047700ull
#define SET_KGS_BASE 0xffff8000cafe0000ull
#define SET_CR8      0xbul
#define SET_TPR      0xa7u
static inline uint64_t set_dr(unsigned n)
{
	return 0x00007f0000000000ull + (uint64_t)(n + 1) * 0x1000; /* canonical, never mapped */
}

/* Words I of XMM register R that -set plants. */
static inline uint32_t set_xmm_word(unsigned r, unsigned i)
{
	return 0x5e700000u | r << 8 | i;
}

/* The FXSAVE image (SDM Vol. 1 §10.5.1 Table 10-2). */
struct fxsave_area {
	uint16_t fcw, fsw;
	uint8_t ftw, reserved0;
	uint16_t fop;
	uint64_t fip, fdp;
	uint32_t mxcsr, mxcsr_mask;
	uint8_t st[8][16];
	uint32_t xmm[16][4];
	uint8_t reserved1[96];
} __attribute__((aligned(16)));
_Static_assert(sizeof(struct fxsave_area) == 512, "FXSAVE image size");
_Static_assert(__builtin_offsetof(struct fxsave_area, mxcsr) == 24, "FXSAVE MXCSR offset");
_Static_assert(__builtin_offsetof(struct fxsave_area, xmm) == 160, "FXSAVE XMM0 offset");

/* CR4.OSFXSR and OSXMMEXCPT on, CR0.EM and TS off, MP on: FXSAVE and SSE work. The
 * x87/SSE state itself is left alone. */
void state_fpu_enable(void);
void state_fxsave(struct fxsave_area *a);

uint64_t state_read_dr(unsigned n);
void state_write_dr(unsigned n, uint64_t v);
unsigned long state_read_cr8(void);
void state_write_cr8(unsigned long v);

/* RDPMC with ECX = 0 at CPL 3: true when it faulted (last_fault tells how). */
bool state_user_rdpmc(void);

/* The SYSCALL, SYSRET, SWAPGS and MSR round trips of -check (iso_state_syscall.c). */
void state_syscall_tests(void);

#endif
