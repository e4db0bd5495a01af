/*
 * 64-bit entry from our own UEFI loader (boot/efi/), after ExitBootServices:
 * long mode on the firmware's identity-mapped page tables, interrupts off,
 * RDI = the struct boot_info the loader filled in (in loader memory, which
 * the kernel copies before it allocates anything). The loader finds this
 * symbol's address at build time.
 */
#include "arch/x86/cr.h"

	.section .text.boot, "ax"
	.code64
	.global hv_efi_entry
hv_efi_entry:
	cli
	cld
	movq $boot_stack_top, %rsp
	xorl %ebp, %ebp
	movq %rdi, %r12

	/* The direct map uses no-execute pages: turn on EFER.NXE where the CPU
	 * has it (CPUID 80000001h EDX bit 20); CR0.WP keeps read-only pages
	 * read-only for the kernel too. */
	movl $0x80000001, %eax
	cpuid
	testl $CPUID80000001_EDX_NX, %edx
	jz 1f
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_NXE, %eax
	wrmsr
1:	movq %cr0, %rax
	orq $CR0_WP, %rax
	movq %rax, %cr0

	movq %r12, %rdi
	call kernel_main_efi
2:	cli
	hlt
	jmp 2b
