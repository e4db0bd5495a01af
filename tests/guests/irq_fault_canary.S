/*
 * guest-irq-fault's loops, in assembly so that known values sit in registers the whole
 * time: any interrupt, #PF or IRET on the way that loses or mixes up a register shows up
 * in the mask they return (and in the frames the handlers check).
 */
#include "tests/guests/irq_fault_guest.h"

#define PAGE 4096

.macro LOAD_CANARIES
	movabs $CANARY_VALUE(0), %rbx
	movabs $CANARY_VALUE(1), %rbp
	movabs $CANARY_VALUE(2), %r8
	movabs $CANARY_VALUE(3), %r9
	movabs $CANARY_VALUE(4), %r10
	movabs $CANARY_VALUE(5), %r11
	movabs $CANARY_VALUE(6), %r12
	movabs $CANARY_VALUE(7), %r13
	movabs $CANARY_VALUE(8), %r14
	movabs $CANARY_VALUE(9), %r15
.endm

/* Sets bit BIT of %rax when REG no longer holds CANARY_VALUE(BIT); uses %rdx. */
.macro CHECK reg, bit
	movabs $CANARY_VALUE(\bit), %rdx
	cmp %rdx, \reg
	je 1f
	or $(1 << \bit), %rax
1:
.endm

.macro CHECK_CANARIES
	xor %eax, %eax
	CHECK %rbx, 0
	CHECK %rbp, 1
	CHECK %r8, 2
	CHECK %r9, 3
	CHECK %r10, 4
	CHECK %r11, 5
	CHECK %r12, 6
	CHECK %r13, 7
	CHECK %r14, 8
	CHECK %r15, 9
.endm

.macro SAVE_CALLEE
	push %rbx
	push %rbp
	push %r12
	push %r13
	push %r14
	push %r15
.endm

.macro RESTORE_CALLEE
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbp
	pop %rbx
.endm

	.text
	.code64
/* uint64_t canary_touch(uintptr_t base, uint64_t pages, uint64_t offset) */
	.globl canary_touch, canary_touch_live, canary_touch_done
canary_touch:
	SAVE_CALLEE
	LOAD_CANARIES
	lea (%rdi, %rdx), %rax
	xor %ecx, %ecx
canary_touch_live:
2:	cmp %rsi, %rcx
	jae 3f
	mov %rcx, (%rax)
	add $PAGE, %rax
	inc %rcx
	jmp 2b
3:
canary_touch_done:
	CHECK_CANARIES
	RESTORE_CALLEE
	ret

/* uint64_t canary_int80(uint64_t count) */
	.globl canary_int80, canary_int_live, canary_int_done
canary_int80:
	SAVE_CALLEE
	LOAD_CANARIES
	mov %rdi, %rcx
canary_int_live:
2:	test %rcx, %rcx
	jz 3f
	int $0x80
	dec %rcx
	jmp 2b
3:
canary_int_done:
	CHECK_CANARIES
	RESTORE_CALLEE
	ret
