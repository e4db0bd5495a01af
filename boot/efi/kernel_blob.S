/*
 * The kernel (build/hv.elf, debug info stripped) carried inside the loader,
 * and the address of its 64-bit EFI entry, hv_efi_entry, read from its
 * symbol table at build time (boot/efi/efi.mk passes both in).
 */
#ifndef HV_KERNEL_ELF
#error "HV_KERNEL_ELF (path of the kernel ELF) is not defined"
#endif
#ifndef HV_EFI_ENTRY
#error "HV_EFI_ENTRY (address of hv_efi_entry) is not defined"
#endif

	/* gnu-efi's linker script gathers .rodata.* into .data. */
	.section .rodata.hv_kernel, "a"
	.balign 4096
	.global hv_kernel_image, hv_kernel_image_end, hv_kernel_efi_entry
	.hidden hv_kernel_image
	.hidden hv_kernel_image_end
	.hidden hv_kernel_efi_entry
hv_kernel_image:
	.incbin HV_KERNEL_ELF
hv_kernel_image_end:

	.balign 8
hv_kernel_efi_entry:
	.quad HV_EFI_ENTRY

	.section .note.GNU-stack, "", @progbits
