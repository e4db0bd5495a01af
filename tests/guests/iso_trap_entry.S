/*
 * Assembly of the isolation guests (64-bit only):
 *  - exception stubs that save the registers in struct trap_frame order and call
 *    iso_trap_dispatch (each pushes a zero error code where the CPU pushes none,
 *    SDM Vol. 3A §6.13);
 *  - the capture handler, which copies the frame the CPU pushed and continues on another
 *    stack without IRET (for exceptions delivered onto page-table pages, and #DF);
 *  - instruction sequences whose exact addresses the tests check;
 *  - ring-3 stubs for user_enter and the SYSCALL target (SDM Vol. 3A §5.8.8).
 */
#include "tests/guests/desc.h"

#ifndef __x86_64__
#error "iso_trap_entry.S is for the 64-bit guests"
#endif

#define RFLAGS_TF 0x100
/* struct iso_capture offsets (iso_trap.c asserts them). */
#define CAP_AT     48
#define CAP_SP     56
#define CAP_RESUME 64
#define CAP_TAKEN  72

.macro ISO_STUB vec
	.p2align 4
iso_stub_\vec:
	.set has_err, (\vec == 8) | ((\vec >= 10) & (\vec <= 14)) | (\vec == 17) | \
		(\vec == 21) | (\vec == 29) | (\vec == 30)
	.if has_err == 0
	push $0
	.endif
	push $\vec
	jmp iso_trap_common
.endm

	.text
.altmacro
.set i, 0
.rept 32
	ISO_STUB %i
	.set i, i + 1
.endr

iso_trap_common:
	push %rax
	push %rbx
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %rbp
	push %r8
	push %r9
	push %r10
	push %r11
	push %r12
	push %r13
	push %r14
	push %r15
	mov %rsp, %rdi
	cld
	call iso_trap_dispatch
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rbp
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rbx
	pop %rax
	add $16, %rsp
	iretq

/* Capture: the frame's quadwords (five, or six with an error code), the stack pointer,
 * then on to the armed resume. Nothing is read above the frame: it may be the last
 * mapped byte. */
.macro CAPTURE words
	.irp n, 0, 1, 2, 3, 4, 5
	.if \n < \words
	mov \n * 8(%rsp), %rax
	mov %rax, iso_capture + \n * 8(%rip)
	.endif
	.endr
	mov %rsp, iso_capture + CAP_AT(%rip)
	movq $1, iso_capture + CAP_TAKEN(%rip)
	mov iso_capture + CAP_SP(%rip), %rsp
	jmp *iso_capture + CAP_RESUME(%rip)
.endm
	.globl iso_capture_entry, iso_capture_err_entry
iso_capture_entry:
	CAPTURE 5
iso_capture_err_entry:
	CAPTURE 6

/* Arms the capture to come back to label 1 of the caller's sequence on this stack. */
.macro ARM_CAPTURE
	mov %rsp, iso_capture + CAP_SP(%rip)
	lea 1f(%rip), %rax
	mov %rax, iso_capture + CAP_RESUME(%rip)
	movq $0, iso_capture + CAP_TAKEN(%rip)
.endm

/* void iso_ud_on_stack(uintptr_t stack_top) */
	.globl iso_ud_on_stack, iso_ud_insn
iso_ud_on_stack:
	ARM_CAPTURE
	mov %rdi, %rsp
iso_ud_insn:
	ud2
1:	ret

/* void iso_gp_noncanonical(void): the fix-up resumes at 1 when #GP is handled normally;
 * the capture (armed here) resumes there when it is a double fault instead. */
	.globl iso_gp_noncanonical, iso_gp_insn
iso_gp_noncanonical:
	ARM_CAPTURE
	movabs $0x8000000000000000, %rax
iso_gp_insn:
	mov (%rax), %rax
1:	ret
	.pushsection .fixup_table, "a"
	.quad iso_gp_insn, 1b
	.popsection

/* uint64_t iso_push_on_stack(uintptr_t stack_top) */
	.globl iso_push_on_stack
iso_push_on_stack:
	mov %rsp, %rsi
	mov %rdi, %rsp
	pushfq
	pushq $0x1234f0e0 /* ISO_PUSH_IMM */
	mov 8(%rsp), %rax
	mov %rsi, %rsp
	ret

/* uint64_t iso_push_on_stack_tf(uintptr_t stack_top): TF is set on the new stack; the
 * PUSHFQ after the POPFQ is the first instruction that runs with TF = 1, so one #DB
 * follows it (its frame lands on the new stack too). Returns the image PUSHFQ stored. */
	.globl iso_push_on_stack_tf, iso_push_tf_after
iso_push_on_stack_tf:
	mov %rsp, %rsi
	pushfq
	pop %rdx
	or $RFLAGS_TF, %rdx
	mov %rdi, %rsp
	push %rdx
	popfq
	pushfq
iso_push_tf_after:
	mov (%rsp), %rax
	mov %rsi, %rsp
	ret

/* void iso_step_write(uintptr_t addr, uint64_t val): sets TF, then the MOV is the one
 * instruction that runs with it (SDM Vol. 3B §18.3.1.4 single-step trap). */
	.globl iso_step_write, iso_step_insn, iso_step_after
iso_step_write:
	pushfq
	orq $RFLAGS_TF, (%rsp)
	popfq
iso_step_insn:
	mov %rsi, (%rdi)
iso_step_after:
	ret

/* void iso_sti_write(uintptr_t addr, uint64_t val): the MOV in the STI shadow. */
	.globl iso_sti_write
iso_sti_write:
	sti
	mov %rsi, (%rdi)
	cli
	ret

/* void iso_movss_write(uintptr_t addr, uint64_t val): the MOV in the MOV-SS shadow. */
	.globl iso_movss_write
iso_movss_write:
	mov %ss, %eax
	mov %eax, %ss
	mov %rsi, (%rdi)
	ret

/* void iso_into_compat(void): INTO with OF = 1 in a 32-bit code segment (INTO is #UD
 * in 64-bit mode, SDM Vol. 2A INTn/INTO/INT3), back through a far jump. */
	.globl iso_into_compat, iso_into_after
iso_into_compat:
	push %rbx
	push %rbp
	push %r12
	push %r13
	push %r14
	push %r15
	mov %rsp, into_saved_sp(%rip)
	pushq $SEL_KCODE32
	lea into_compat(%rip), %rax
	push %rax
	lretq
	.code32
into_compat:
	mov $0x7f, %al
	add $1, %al
	into
iso_into_after:
	ljmp $SEL_KCODE64, $into_back
	.code64
into_back:
	mov into_saved_sp(%rip), %rsp
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbp
	pop %rbx
	ret

/* void iso_int3(void) */
	.globl iso_int3, iso_int3_after
iso_int3:
	int3
iso_int3_after:
	ret

/* Ring-3 stubs, entered by user_enter with RBX = addr, ECX = val. */
	.p2align 4
	.globl iso_user_vmcall, iso_user_vmcall_insn, iso_user_rdpmc, iso_user_syscall
	.globl iso_user_syscall_ret
iso_user_vmcall:
	mov %ecx, %eax
iso_user_vmcall_insn:
	vmcall
	int $VEC_USER_RETURN
iso_user_rdpmc:
	rdpmc
	int $VEC_USER_RETURN
iso_user_syscall:
	stc
	syscall
iso_user_syscall_ret:
	mov $0x5c5c, %eax
	int $VEC_USER_RETURN

/* SYSCALL target: runs at CPL 0 on the caller's stack (SYSCALL switches no stack). */
	.globl iso_syscall_entry
iso_syscall_entry:
	mov %rcx, iso_sys_rcx(%rip)
	mov %r11, iso_sys_r11(%rip)
	pushfq
	popq iso_sys_flags(%rip)
	incq iso_sys_count(%rip)
	sysretq

/* SYSCALL target for a SYSCALL at CPL 0 that should not have worked: back to the next
 * instruction at CPL 0 with a proper SS and the caller's RFLAGS. */
	.globl iso_syscall_kernel_entry
iso_syscall_kernel_entry:
	mov $SEL_KDATA, %eax
	mov %eax, %ss
	incq iso_sys_count(%rip)
	push %r11
	popfq
	jmp *%rcx

	.section .rodata
	.p2align 3
	.globl iso_stub_table
iso_stub_table:
.set i, 0
.rept 32
	.irp s, %i
	.quad iso_stub_\s
	.endr
	.set i, i + 1
.endr

	.bss
	.p2align 3
into_saved_sp:
	.skip 8
	.globl iso_sys_rcx, iso_sys_r11, iso_sys_flags, iso_sys_count
iso_sys_rcx:
	.skip 8
iso_sys_r11:
	.skip 8
iso_sys_flags:
	.skip 8
iso_sys_count:
	.skip 8
