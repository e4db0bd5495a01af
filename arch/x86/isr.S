/*
 * Entry stubs for all 256 vectors: the exceptions 0-31 and the host's
 * interrupts 32-255. Each pushes a dummy error code where the CPU pushes
 * none (Intel SDM Vol. 3A §7.3, table 7-1), then the vector, then all GPRs,
 * and calls trap_handler(struct trap_frame *).
 */
#include "arch/x86/trap.h"

.macro isr_stub vector, has_error
	.balign 16
isr_\vector:
	.if \has_error == 0
	pushq $0
	.endif
	pushq $\vector
	jmp isr_common
.endm

	.text
isr_common:
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, %rdi
	cld
	call trap_handler
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp /* vector and error code */
	iretq

isr_stub 0, 0
isr_stub 1, 0
isr_stub 2, 0
isr_stub 3, 0
isr_stub 4, 0
isr_stub 5, 0
isr_stub 6, 0
isr_stub 7, 0
isr_stub 8, 1
isr_stub 9, 0
isr_stub 10, 1
isr_stub 11, 1
isr_stub 12, 1
isr_stub 13, 1
isr_stub 14, 1
isr_stub 15, 0
isr_stub 16, 0
isr_stub 17, 1
isr_stub 18, 0
isr_stub 19, 0
isr_stub 20, 0
isr_stub 21, 1
isr_stub 22, 0
isr_stub 23, 0
isr_stub 24, 0
isr_stub 25, 0
isr_stub 26, 0
isr_stub 27, 0
isr_stub 28, 0
isr_stub 29, 1
isr_stub 30, 1
isr_stub 31, 0

/* Interrupts push no error code. %vector needs .altmacro to expand. */
	.altmacro
.macro irq_stub n
	isr_stub \n, 0
.endm
.macro table_entry n
	.quad isr_\n
.endm
	.set vector, 32
	.rept 224
	irq_stub %vector
	.set vector, vector + 1
	.endr

	.section .rodata
	.balign 8
	.global isr_stub_table
isr_stub_table:
	.set vector, 0
	.rept 256
	table_entry %vector
	.set vector, vector + 1
	.endr
