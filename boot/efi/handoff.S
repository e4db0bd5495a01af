/*
 * The last step of the loader, copied into a page below 4 GiB that both the
 * firmware's page tables and ours map at its own address (the loader image
 * itself may lie above 4 GiB, which our tables do not map):
 *   efi_handoff(cr3 = RDI, entry = RSI, boot_info = RDX)
 * switches to our identity map and jumps to the kernel's hv_efi_entry with
 * RDI = boot_info. Uses no stack: the kernel sets its own first thing.
 */
	.text
	.global efi_handoff
	.hidden efi_handoff
efi_handoff:
	cli
	movq %rdi, %cr3
	movq %rdx, %rdi
	jmpq *%rsi
efi_handoff_end:

	.section .rodata.efi_handoff, "a"
	.balign 8
	.global efi_handoff_size
	.hidden efi_handoff_size
efi_handoff_size:
	.quad efi_handoff_end - efi_handoff

	.section .note.GNU-stack, "", @progbits
