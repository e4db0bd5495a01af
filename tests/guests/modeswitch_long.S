/*
 * The long-mode leg of guest-modeswitch, called from 32-bit C with PAE paging on:
 * paging off, CR3 = a 4-level tree, EFER.LME=1, paging on (EFER.LMA becomes 1), far jump
 * to 64-bit code, record a few reads, then leave long mode the architectural way (SDM
 * Vol. 3A §10.8.5.4): far return to a 32-bit (compatibility-mode) segment, clear CR0.PG
 * (EFER.LMA becomes 0), clear EFER.LME. Returns to C with paging off.
 *
 *   void long_mode_roundtrip(uint32_t pml4, struct long_results *out)
 *   out: +0 read of MS_LOW_VA, +4 read of MS_HIGH_VA, +8 EFER (low half) in 64-bit mode
 */
#include "tests/guests/desc.h"
#include "tests/guests/modeswitch.h"

#define CR0_PG 0x80000000
#define CR4_PAE 0x20
#define MSR_EFER 0xc0000080
#define EFER_LME 0x100

	.text
	.code32
	.globl long_mode_roundtrip
long_mode_roundtrip:
	push %ebp
	push %ebx
	push %esi
	push %edi
	mov 20(%esp), %esi
	mov 24(%esp), %edi
	sidt saved_idt32

	mov %cr0, %eax
	and $~CR0_PG, %eax
	mov %eax, %cr0
	mov %cr4, %eax
	or $CR4_PAE, %eax
	mov %eax, %cr4
	mov %esi, %cr3
	mov $MSR_EFER, %ecx
	rdmsr
	or $EFER_LME, %eax
	wrmsr
	mov %cr0, %eax
	or $CR0_PG, %eax
	mov %eax, %cr0
	ljmp $SEL_KCODE64, $in_long_mode

	.code64
in_long_mode:
	/* RIP-relative: this ELF32 object cannot carry 64-bit absolute relocations */
	lidt idt64_ptr(%rip)
	mov %edi, %edi /* upper halves are undefined after the mode switch */
	mov $MS_LOW_VA, %eax
	mov (%rax), %edx
	mov %edx, 0(%rdi)
	movabs $MS_HIGH_VA, %rax
	mov (%rax), %edx
	mov %edx, 4(%rdi)
	movl $MS_LONG_MARK, 4(%rax)
	mov $MSR_EFER, %ecx
	rdmsr
	mov %eax, 8(%rdi)
	pushq $SEL_KCODE32
	lea in_compat_mode(%rip), %rax
	push %rax
	lretq

	.code32
in_compat_mode:
	mov %cr0, %eax
	and $~CR0_PG, %eax
	mov %eax, %cr0
	mov $MSR_EFER, %ecx
	rdmsr
	and $~EFER_LME, %eax
	wrmsr
	lidt saved_idt32
	pop %edi
	pop %esi
	pop %ebx
	pop %ebp
	ret

/* Any exception in 64-bit mode: one FAIL line on COM1 and exit status 1. */
	.code64
	.globl long_mode_fault
long_mode_fault:
	lea fault_msg(%rip), %rsi
1:	movzbl (%rsi), %ebx
	test %ebx, %ebx
	jz 3f
2:	mov $0x3fd, %dx
	in %dx, %al
	test $0x20, %al
	jz 2b
	mov $0x3f8, %dx
	mov %ebx, %eax
	out %al, %dx
	inc %rsi
	jmp 1b
3:	mov $0xf4, %dx
	mov $1, %eax
	out %eax, %dx
4:	cli
	hlt
	jmp 4b

	.section .rodata
fault_msg:
	.asciz "FAIL: modeswitch: exception in 64-bit mode\r\n"

	.data
	.p2align 3
saved_idt32:
	.word 0
	.long 0
	.p2align 3
	.word 0, 0, 0
idt64_ptr:
	.word 32 * 16 - 1
	.long idt64, 0

	.bss
	.p2align 4
	.globl idt64
idt64:
	.skip 32 * 16
