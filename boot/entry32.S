/*
 * 32-bit entry from a multiboot loader: protected mode, paging off,
 * EAX = magic, EBX = physical address of the boot information (multiboot 1
 * spec §3.2, multiboot 2 spec §3.3). We check the magic and long-mode
 * support, identity-map the low 4 GiB with 2 MiB pages, enable PAE, LME,
 * NXE (when present) and paging (Intel SDM Vol. 3A §10.8.5), and enter
 * 64-bit C. Anything wrong: a message on COM1 and halt.
 */
#include "boot/layout.h"
#include "arch/x86/cr.h"
#include "arch/x86/paging.h"

#define COM1 0x3f8
#define EARLY_GDT_CODE64 0x08
#define EARLY_GDT_DATA 0x10

	.section .text.boot, "ax"
	.code32
	.global _start32
_start32:
	cli
	cld
	movl $boot_stack_top, %esp
	movl %eax, boot_magic
	movl %ebx, boot_info_phys

	call early_serial_init
	cmpl $MB2_BOOT_MAGIC, %eax
	je 1f
	cmpl $MB1_BOOT_MAGIC, %eax
	je 1f
	movl $msg_bad_magic, %esi
	jmp early_fail
1:
	/* Long mode: CPUID 0x80000001 EDX bit 29 (SDM Vol. 2A, CPUID). */
	movl $0x80000000, %eax
	cpuid
	cmpl $0x80000001, %eax
	jb no_long_mode
	movl $0x80000001, %eax
	cpuid
	testl $CPUID80000001_EDX_LM, %edx
	jz no_long_mode
	movl %edx, cpuid_ext_edx

	call build_early_page_tables

	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl $early_pml4, %eax
	movl %eax, %cr3

	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	testl $CPUID80000001_EDX_NX, cpuid_ext_edx
	jz 2f
	orl $EFER_NXE, %eax
2:	wrmsr

	movl %cr0, %eax
	orl $(CR0_PG | CR0_PE | CR0_WP | CR0_NE), %eax
	movl %eax, %cr0

	lgdt early_gdt_ptr
	ljmp $EARLY_GDT_CODE64, $start64

no_long_mode:
	movl $msg_no_long_mode, %esi
	jmp early_fail

/* PML4[0] -> PDPT; PDPT[0..3] -> 4 PDs; each PD maps 1 GiB with 2 MiB pages. */
build_early_page_tables:
	movl $early_pdpt, %eax
	orl $(PTE_P | PTE_W), %eax
	movl %eax, early_pml4

	xorl %ecx, %ecx
1:	movl %ecx, %eax
	shll $12, %eax
	addl $early_pd, %eax
	orl $(PTE_P | PTE_W), %eax
	movl %eax, early_pdpt(, %ecx, 8)
	incl %ecx
	cmpl $4, %ecx
	jb 1b

	xorl %ecx, %ecx
2:	movl %ecx, %eax
	shll $21, %eax
	orl $(PTE_P | PTE_W | PTE_PS), %eax
	movl %eax, early_pd(, %ecx, 8)
	movl %ecx, %eax
	shrl $11, %eax               /* bits 32+ of the 2 MiB frame: 0 below 4 GiB */
	movl %eax, early_pd + 4(, %ecx, 8)
	incl %ecx
	cmpl $2048, %ecx
	jb 2b
	ret

/* 115200 8N1 on COM1, so that even the earliest failure is readable. */
early_serial_init:
	pushl %eax
	pushl %edx
	movw $(COM1 + 1), %dx; movb $0x00, %al; outb %al, %dx  /* no IRQs */
	movw $(COM1 + 3), %dx; movb $0x80, %al; outb %al, %dx  /* DLAB */
	movw $(COM1 + 0), %dx; movb $0x01, %al; outb %al, %dx  /* divisor 1 */
	movw $(COM1 + 1), %dx; movb $0x00, %al; outb %al, %dx
	movw $(COM1 + 3), %dx; movb $0x03, %al; outb %al, %dx  /* 8N1 */
	movw $(COM1 + 2), %dx; movb $0xc7, %al; outb %al, %dx  /* FIFO */
	movw $(COM1 + 4), %dx; movb $0x03, %al; outb %al, %dx  /* DTR|RTS */
	popl %edx
	popl %eax
	ret

/* Print the string at ESI on COM1, then halt for good. */
early_fail:
	movb (%esi), %bl
	testb %bl, %bl
	jz 3f
1:	movw $(COM1 + 5), %dx
	inb %dx, %al
	testb $0x20, %al             /* transmit holding register empty */
	jz 1b
	movw $COM1, %dx
	movb %bl, %al
	outb %al, %dx
	incl %esi
	jmp early_fail
3:	cli
	hlt
	jmp 3b

	.code64
start64:
	movw $EARLY_GDT_DATA, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorw %ax, %ax
	movw %ax, %fs
	movw %ax, %gs
	movq $boot_stack_top, %rsp
	xorl %ebp, %ebp
	movl boot_magic, %edi
	movl boot_info_phys, %esi
	call kernel_main_multiboot
4:	cli
	hlt
	jmp 4b

	.section .rodata
msg_bad_magic:
	.asciz "hv: boot: bad boot magic in EAX (not multiboot 1 or 2), halting\r\n"
msg_no_long_mode:
	.asciz "hv: boot: CPU has no long mode (CPUID 80000001h EDX.LM=0), halting\r\n"

	.balign 8
early_gdt:
	.quad 0
	.quad 0x00af9a000000ffff     /* 0x08: 64-bit code, DPL 0 */
	.quad 0x00cf92000000ffff     /* 0x10: data, DPL 0 */
early_gdt_end:
early_gdt_ptr:
	.short early_gdt_end - early_gdt - 1
	.long early_gdt

	.section .data
	.balign 4
boot_magic:
	.long 0
boot_info_phys:
	.long 0
cpuid_ext_edx:
	.long 0

	.section .bss
	.balign PAGE_SIZE
early_pml4:
	.skip PAGE_SIZE
early_pdpt:
	.skip PAGE_SIZE
early_pd:
	.skip 4 * PAGE_SIZE
	.balign 16
	.global boot_stack_top
boot_stack:
	.skip BOOT_STACK_SIZE
boot_stack_top:
