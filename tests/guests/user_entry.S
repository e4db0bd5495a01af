/*
 * Ring-3 round trip: user_enter(stub, addr, val) saves the callee-saved registers and
 * the stack pointer, then IRETs to STUB at CPL 3 (SDM Vol. 3A §6.14.4 / §5.8.5 return to
 * an outer privilege level) with ADDR in %ebx/%rbx and VAL in %ecx. The stub ends with
 * int $0x80; trap_dispatch then calls user_resume, which returns from user_enter with
 * user_result. A fault in ring 3 takes the same way back.
 */
#include "tests/guests/desc.h"

#define EFLAGS_RESERVED1 0x2 /* IF=0, IOPL=0 */

	.text
#ifdef __x86_64__
	.globl user_enter
user_enter:
	push %rbx
	push %rbp
	push %r12
	push %r13
	push %r14
	push %r15
	mov %rsp, kernel_resume_sp(%rip)
	mov %rsi, %rbx
	mov %edx, %ecx
	pushq $SEL_UDATA
	pushq $user_stack_top
	pushq $EFLAGS_RESERVED1
	pushq $SEL_UCODE
	push %rdi
	iretq

	.globl user_resume
user_resume:
	mov $SEL_KDATA, %eax
	mov %eax, %ss
	mov kernel_resume_sp(%rip), %rsp
	mov user_result(%rip), %eax
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbp
	pop %rbx
	ret
#define REG_ADDR %rbx
#define PTRSZ 8
#else
	.globl user_enter
user_enter:
	push %ebp
	push %ebx
	push %esi
	push %edi
	mov %esp, kernel_resume_sp
	mov 20(%esp), %eax
	mov 24(%esp), %ebx
	mov 28(%esp), %ecx
	mov $SEL_UDATA, %edx
	mov %edx, %ds
	mov %edx, %es
	push $SEL_UDATA
	push $user_stack_top
	push $EFLAGS_RESERVED1
	push $SEL_UCODE
	push %eax
	iret

	.globl user_resume
user_resume:
	mov $SEL_KDATA, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	mov kernel_resume_sp, %esp
	mov user_result, %eax
	pop %edi
	pop %esi
	pop %ebx
	pop %ebp
	ret
#define REG_ADDR %ebx
#define PTRSZ 4
#endif

/* The stubs run at CPL 3; they live in the identity-mapped image, mapped user-accessible. */
	.p2align 4
	.globl user_stub_read32
user_stub_read32:
	mov (REG_ADDR), %eax
	int $VEC_USER_RETURN

	.globl user_stub_write32
user_stub_write32:
	mov %ecx, (REG_ADDR)
	xor %eax, %eax
	int $VEC_USER_RETURN

	.globl user_stub_exec
user_stub_exec:
	call *REG_ADDR
	xor %eax, %eax
	int $VEC_USER_RETURN

	.globl user_stub_hlt
user_stub_hlt:
	hlt
	int $VEC_USER_RETURN

	.bss
	.p2align 3
kernel_resume_sp:
	.skip PTRSZ
	.p2align 12
user_stack:
	.skip 4096
user_stack_top:
