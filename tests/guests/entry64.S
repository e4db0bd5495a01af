/*
 * Entry of the long-mode guests, as a 64-bit OS's multiboot entry does it: start in
 * 32-bit protected mode with paging off, identity-map the first 1 GiB with 2 MiB pages,
 * set CR4.PAE, EFER.LME, CR0.PG and jump to a 64-bit code segment (SDM Vol. 3A §10.8.5).
 * The C code then builds its own page tables.
 */
#include "tests/guests/desc.h"
#include "tests/guests/mb_header.h"

#define PTE_P 0x1
#define PTE_W 0x2
#define PTE_PS 0x80
#define CR0_PE 0x1
#define CR0_PG 0x80000000
#define CR4_PAE 0x20
#define MSR_EFER 0xc0000080
#define EFER_LME 0x100

	MULTIBOOT_HEADER

	.text
	.code32
	.globl _start
_start:
	cli
	mov %eax, %esi
	mov $__bss_start, %edi
	mov $_end, %ecx
	sub %edi, %ecx
	xor %eax, %eax
	cld
	rep stosb
	mov $boot_stack_top, %esp

	/* PML4[0] -> PDPT, PDPT[0] -> PD, PD[i] -> i * 2 MiB. */
	mov $boot_pdpt + PTE_P + PTE_W, %eax
	mov %eax, boot_pml4
	mov $boot_pd + PTE_P + PTE_W, %eax
	mov %eax, boot_pdpt
	xor %ecx, %ecx
1:	mov %ecx, %eax
	shl $21, %eax
	or $PTE_P + PTE_W + PTE_PS, %eax
	mov %eax, boot_pd(,%ecx,8)
	inc %ecx
	cmp $512, %ecx
	jne 1b

	mov %cr4, %eax
	or $CR4_PAE, %eax
	mov %eax, %cr4
	mov $boot_pml4, %eax
	mov %eax, %cr3
	mov $MSR_EFER, %ecx
	rdmsr
	or $EFER_LME, %eax
	wrmsr
	mov %cr0, %eax
	or $CR0_PG + CR0_PE, %eax
	mov %eax, %cr0
	lgdt boot_gdt_ptr
	ljmp $SEL_KCODE64, $start64

	.code64
start64:
	mov $SEL_KDATA, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	mov %eax, %fs
	mov %eax, %gs
	mov $boot_stack_top, %rsp
	pushq $0
	popfq
	mov %esi, %edi
	mov %ebx, %esi
	call guest_start
2:	cli
	hlt
	jmp 2b

	.section .rodata
	.p2align 3
boot_gdt:
	.quad 0
	.quad 0x00cf9a000000ffff /* 0x08 code32 */
	.quad 0x00cf92000000ffff /* 0x10 data */
	.quad 0x00af9a000000ffff /* 0x18 code64 */
boot_gdt_end:
boot_gdt_ptr:
	.word boot_gdt_end - boot_gdt - 1
	.long boot_gdt

	.bss
	.p2align 12
boot_pml4:
	.skip 4096
boot_pdpt:
	.skip 4096
boot_pd:
	.skip 4096
	.p2align 4
boot_stack:
	.skip BOOT_STACK_SIZE
	.globl boot_stack_top
boot_stack_top:
