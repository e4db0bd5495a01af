/* Entry of the 32-bit guests: protected mode, paging off, EAX = magic, EBX = info. */
#include "tests/guests/mb_header.h"

	MULTIBOOT_HEADER

	.text
	.globl _start
_start:
	cli
	mov %eax, %esi
	/* Zero .bss ourselves: loaders differ. EBX and ESI survive rep stosb. */
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
1:	cli
	hlt
	jmp 1b

	.bss
	.p2align 4
boot_stack:
	.skip BOOT_STACK_SIZE
	.globl boot_stack_top
boot_stack_top:
