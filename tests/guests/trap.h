/* Exception handling for the test guests: expected faults, fix-ups and ring-3 calls. */
#ifndef GUESTS_TRAP_H
#define GUESTS_TRAP_H

#include <stdbool.h>
#include <stdint.h>

#define VEC_DE 0
#define VEC_BP 3
#define VEC_UD 6
#define VEC_GP 13
#define VEC_PF 14

/* #PF error code bits (SDM Vol. 3A §4.7). */
#define PF_P    (1u << 0)
#define PF_W    (1u << 1)
#define PF_U    (1u << 2)
#define PF_RSVD (1u << 3)
#define PF_ID   (1u << 4)

/* Saved state, in the order trap_entry.S pushes it (lowest address first). */
struct trap_frame {
#ifdef __x86_64__
	unsigned long r15, r14, r13, r12, r11, r10, r9, r8, bp, di, si, dx, cx, bx, ax;
#else
	unsigned long di, si, bp, sp_unused, bx, dx, cx, ax;
#endif
	unsigned long vector, error, ip, cs, flags;
	unsigned long sp, ss; /* 32-bit: only present for traps from ring 3 */
};

/* The last expected fault, recorded by the handler. */
struct fault_record {
	bool taken;
	uint32_t vector;
	uint32_t error;
	uintptr_t cr2;
	uintptr_t ip;
};

extern volatile struct fault_record last_fault;

/* A #PF hook (e.g. copy-on-write): returns true when it fixed the fault and the access
 * should be retried. */
typedef bool (*pf_hook_fn)(uintptr_t cr2, uint32_t error);
void trap_set_pf_hook(pf_hook_fn hook);

/* Ring-3 code: user_enter runs STUB at CPL 3 with (addr, val) in registers and returns when
 * the stub comes back through int $0x80 or faults; the fault is in last_fault. The value
 * left in the accumulator by the stub is returned. */
uint32_t user_enter(uintptr_t stub, uintptr_t addr, uint32_t val);
__attribute__((noreturn)) void user_resume(void);
extern char user_stub_read32[], user_stub_write32[], user_stub_exec[], user_stub_hlt[];

/* Arms recovery from a fault at the instruction fetch of TARGET (see probe.c). */
extern volatile uintptr_t exec_probe_target, exec_probe_fixup;

void trap_dispatch(struct trap_frame *f);

#endif
