/* Shared support of the isolation guests (iso_*.c): their own exception stubs that record
 * the whole hardware frame, IDT gate and TSS IST edits, a stack-switching capture handler
 * for exceptions delivered onto odd stacks, ring-3 stubs and the 4-level set-up. */
#ifndef GUESTS_ISO_H
#define GUESTS_ISO_H

#include <stdbool.h>
#include <stdint.h>

#include "tests/guests/trap.h"

#define VEC_DB 1
#define VEC_OF 4
#define VEC_NM 7
#define VEC_DF 8
#define VEC_NP 11

/* RFLAGS bits (SDM Vol. 1 §3.4.3, Vol. 3A §2.3). */
#define RFLAGS_CF    (1ul << 0)
#define RFLAGS_FIXED (1ul << 1)
#define RFLAGS_TF    (1ul << 8)
#define RFLAGS_IF    (1ul << 9)
#define RFLAGS_OF    (1ul << 11)
#define RFLAGS_RF    (1ul << 16)

/* DR6 (SDM Vol. 3B §18.2.3): reserved bits read as 1 (0xffff0ff0 at reset), BS = bit 14. */
#define DR6_INIT 0xffff0ff0ul
#define DR6_BS   (1ul << 14)

/* The last exception the iso stubs saw: the full frame plus CR2 (#PF) and DR6 (#DB). */
struct iso_trap_rec {
	uint32_t count;
	uint32_t vector;
	uint64_t error, ip, cs, flags, sp, ss;
	uint64_t cr2, dr6;
};

extern volatile struct iso_trap_rec iso_trap;

/* Installs the iso stubs on vectors 0..31 (after desc_init): every exception is recorded
 * in iso_trap, then a trap-class #DB/#OF resumes after its instruction (with TF cleared
 * in the image: one step is all a test asks for) and anything else goes to trap_dispatch
 * (fix-ups, ring-3 returns, #BP). */
void iso_trap_init(void);
/* Forgets the last exception (count 0, vector ~0). */
void iso_trap_clear(void);

/* IDT gates (SDM Vol. 3A §6.14.1, 64-bit interrupt gate). */
struct iso_gate {
	uint64_t lo, hi;
};
struct iso_gate iso_gate_get(unsigned vec);
void iso_gate_put(unsigned vec, struct iso_gate g);
/* An interrupt gate to HANDLER in the kernel code segment with stack table entry IST. */
void iso_gate_set(unsigned vec, uintptr_t handler, unsigned ist);
void iso_gate_set_present(unsigned vec, bool present);
/* TSS interrupt stack table entry N (1..7) (SDM Vol. 3A §8.7, Figure 8-11). */
void iso_tss_set_ist(unsigned n, uintptr_t top);

/* The capture handler: a gate pointing at iso_capture_entry (vectors without an error
 * code) or iso_capture_err_entry (with one) copies the frame the CPU pushed (RIP, CS,
 * RFLAGS, RSP, SS; the error code first) into iso_capture.words, notes the stack pointer,
 * then continues at iso_capture.resume on stack iso_capture.sp. The assembly helpers
 * below arm it themselves. */
struct iso_capture {
	uint64_t words[6];
	uint64_t at;     /* stack pointer after the CPU pushed the frame */
	uint64_t sp;     /* stack to continue on */
	uint64_t resume; /* where to continue */
	uint64_t taken;
};
extern volatile struct iso_capture iso_capture;
extern char iso_capture_entry[], iso_capture_err_entry[];

/* ud2 with RSP = STACK_TOP; the #UD gate must point at iso_capture_entry. iso_ud_insn is
 * the address of the ud2. */
void iso_ud_on_stack(uintptr_t stack_top);
extern char iso_ud_insn[];
/* A read of the non-canonical address 1 << 63 (raises #GP(0)); the gates decide what
 * follows. The caller arms iso_capture when a double fault is to be caught. */
void iso_gp_noncanonical(void);
extern char iso_gp_insn[];
/* PUSHFQ then PUSHQ $ISO_PUSH_IMM with RSP = STACK_TOP; returns the RFLAGS image. */
uint64_t iso_push_on_stack(uintptr_t stack_top);
#define ISO_PUSH_IMM 0x1234f0e0ull
/* The same PUSHFQ with the guest's own TF set: one #DB follows, at iso_push_tf_after. */
uint64_t iso_push_on_stack_tf(uintptr_t stack_top);
extern char iso_push_tf_after[];
/* Sets TF and stores VAL at ADDR: the store is the one stepped instruction. */
void iso_step_write(uintptr_t addr, uint64_t val);
extern char iso_step_insn[], iso_step_after[];
/* The store right after STI (interrupt shadow) / after MOV to SS (MOV-SS shadow). */
void iso_sti_write(uintptr_t addr, uint64_t val);
void iso_movss_write(uintptr_t addr, uint64_t val);
/* INTO with OF = 1 in a 32-bit code segment; INT3 in 64-bit mode. */
void iso_into_compat(void);
extern char iso_into_after[];
void iso_int3(void);
extern char iso_int3_after[];

/* Ring-3 stubs for user_enter: VMCALL with EAX = val, EBX = addr; RDPMC with ECX = val;
 * SYSCALL with CF set (the accumulator returns ISO_SYSCALL_BACK when SYSRET came back). */
extern char iso_user_vmcall[], iso_user_vmcall_insn[], iso_user_rdpmc[];
extern char iso_user_syscall[], iso_user_syscall_ret[];
#define ISO_SYSCALL_BACK 0x5c5c
/* The SYSCALL target: saves RCX, R11 and its own RFLAGS, then SYSRETQ. */
extern char iso_syscall_entry[];
/* A SYSCALL target that goes back to the instruction after a CPL-0 SYSCALL. */
extern char iso_syscall_kernel_entry[];
extern volatile uint64_t iso_sys_rcx, iso_sys_r11, iso_sys_flags, iso_sys_count;

/* 4-level paging in a tree of the guest's own (pt_new_root), like guest-long. */
uintptr_t iso_long_setup(void);
/* Identity-maps the local APIC page uncached (supervisor, writable). */
#define ISO_APIC_BASE 0xfee00000u
void iso_map_apic(uintptr_t root);
uint32_t iso_apic_read(uint32_t off);
void iso_apic_write(uint32_t off, uint32_t v);
/* Masks every line of both 8259s: nothing reaches the CPU even with IF=1. */
void iso_pic_mask_all(void);
/* The 1 GiB page check of guest-iso-exc and guest-iso-features: a PS=1 PDPTE at VA (a
 * PML4 slot of its own) maps RAM when CPUID has PDPE1GB, else #PF 0x9 (one line NAME). */
void iso_test_1g_page(uintptr_t root, uintptr_t va, const char *name);
/* Bare Bochs (no hypervisor bit, its port 0xe9 hack answers): for its known defects. */
bool iso_is_bochs(void);
#define SKIP_BOCHS_MSR "known Bochs defect: its CPU model advertises this, the MSRs are missing"

/* Arms last_fault before a fix-up-guarded instruction (check it with fault_is). CPUID,
 * MSR and CR4 helpers are platform_util.c's (platform.h). */
void iso_arm(void);

static inline uint64_t iso_rflags(void)
{
	uint64_t f;
	__asm__ volatile("pushfq; popq %0" : "=r"(f));
	return f;
}

static inline uint64_t iso_read_dr6(void)
{
	uint64_t v;
	__asm__ volatile("mov %%dr6, %0" : "=r"(v));
	return v;
}

static inline void iso_write_dr6(uint64_t v)
{
	__asm__ volatile("mov %0, %%dr6" : : "r"(v));
}

#endif
