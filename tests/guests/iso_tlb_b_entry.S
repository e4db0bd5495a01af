/*
 * Entry of guest-iso-tlb-b: before anything else (no paging, no CR3 load, no stack), read
 * linear TLB_L..+256 KiB through the flat data segment the multiboot loader left
 * (Multiboot 0.6.96 §3.2: flat 4 GiB segments, paging off). Paging is off, so linear is
 * guest-physical: B's own fresh RAM. The per-page OR of the words and the count of words
 * that look like guest A's secret go to tlb_early (struct tlb_scan) for the C checks; then
 * the usual start: zero .bss, a stack, guest_start(magic, info).
 */
#include "tests/guests/mb_header.h"

#define TLB_L         0x4000000
#define TLB_PAGES     64
#define TLB_SECRET_HI 0xa5ec
#define WORDS         1024

	MULTIBOOT_HEADER

	.text
	.globl _start
_start:
	cli
	mov %eax, %esi
	mov $TLB_L, %edx
	xor %ebp, %ebp
1:	xor %eax, %eax
	mov $WORDS, %ecx
2:	or (%edx), %eax
	cmpw $TLB_SECRET_HI, 2(%edx)
	jne 3f
	incl tlb_early + TLB_PAGES * 4(, %ebp, 4)
3:	add $4, %edx
	dec %ecx
	jnz 2b
	mov %eax, tlb_early(, %ebp, 4)
	inc %ebp
	cmp $TLB_PAGES, %ebp
	jne 1b

	mov $__bss_start, %edi
	mov $_end, %ecx
	sub %edi, %ecx
	xor %eax, %eax
	cld
	rep stosb
	mov $boot_stack_top, %esp
	pushl $0
	popf
	push %ebx
	push %esi
	call guest_start
4:	cli
	hlt
	jmp 4b

	/* In .data, not .bss: the .bss is zeroed after the scan. */
	.data
	.p2align 2
	.globl tlb_early
tlb_early:
	.fill 2 * TLB_PAGES, 4, 0

	.bss
	.p2align 4
boot_stack:
	.skip BOOT_STACK_SIZE
	.globl boot_stack_top
boot_stack_top:
