/*
 * Interrupt stubs of the irq guests: the NMI (vector 2) and every vector from 32 up. None
 * of them comes with an error code (SDM Vol. 3A §6.13), so each pushes 0 and its vector,
 * which gives the struct trap_frame layout of trap_entry.S, saves the general registers
 * and calls irq_dispatch(struct trap_frame *). Handlers may read every saved register.
 */
.macro IRQ_STUB vec
	.p2align 4
irq_stub_\vec:
	push $0
	push $\vec
	jmp irq_common
.endm

	.text
.altmacro
	IRQ_STUB 2
.set i, 32
.rept 224
	IRQ_STUB %i
	.set i, i + 1
.endr

#ifdef __x86_64__
irq_common:
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
	call irq_dispatch
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
#define PTR_BYTES 8
#else
irq_common:
	pusha
	mov %esp, %eax
	cld
	push %eax
	call irq_dispatch
	add $4, %esp
	popa
	add $8, %esp
	iret
#define PTR .long
#define PTR_BYTES 4
#endif

	.section .rodata
	.p2align 3
	.globl irq_stub_table
irq_stub_table:
	PTR 0, 0, irq_stub_2
	.fill 29, PTR_BYTES, 0
.set i, 32
.rept 224
	.irp s, %i
	PTR irq_stub_\s
	.endr
	.set i, i + 1
.endr
