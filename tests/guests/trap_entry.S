/*
 * Exception stubs: each pushes a zero error code when the CPU does not push one
 * (SDM Vol. 3A §6.13), then its vector, saves the general registers and calls
 * trap_dispatch(struct trap_frame *). The handler may edit the saved IP.
 */
#include "tests/guests/desc.h"

.macro STUB vec
	.p2align 4
trap_stub_\vec:
	/* CPU-pushed error code: #DF #TS #NP #SS #GP #PF #AC #CP #VC #SX. */
	.set has_err, (\vec == 8) | ((\vec >= 10) & (\vec <= 14)) | (\vec == 17) | \
		(\vec == 21) | (\vec == 29) | (\vec == 30)
	.if has_err == 0
	push $0
	.endif
	push $\vec
	jmp trap_common
.endm

	.text
.altmacro
.set i, 0
.rept 32
	STUB %i
	.set i, i + 1
.endr
	STUB 128

#ifdef __x86_64__
trap_common:
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
	call trap_dispatch
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
#define PTR .quad
#else
trap_common:
	pusha
	mov %esp, %eax
	cld
	push %eax
	call trap_dispatch
	add $4, %esp
	popa
	add $8, %esp
	iret
#define PTR .long
#endif

	.section .rodata
	.p2align 3
	.globl trap_stub_table
trap_stub_table:
.set i, 0
.rept 32
	.irp s, %i
	PTR trap_stub_\s
	.endr
	.set i, i + 1
.endr
	.globl trap_stub_user_return
trap_stub_user_return:
	PTR trap_stub_128
