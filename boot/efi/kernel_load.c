/* The kernel's segments at their physical addresses: see boot/efi/kernel_load.h. */
#include "boot/efi/kernel_load.h"

#include "boot/efi/efi_log.h"
#include "boot/efi/firmware.h"
#include "boot/efi/pages.h"

#define PAGE_MASK (EFI_PAGE_SIZE - 1)

static EFI_STATUS load_segment(const struct elf_segment *s, uint32_t index, const uint8_t *file)
{
	uint64_t base = s->paddr & ~(uint64_t)PAGE_MASK;
	uint64_t bytes = s->paddr + s->memsz - base;
	EFI_MEMORY_TYPE type = (s->flags & ELF_PF_X) ? EfiLoaderCode : EfiLoaderData;
	uint64_t addr = base;

	EFI_STATUS st = pages_alloc(AllocateAddress, type, bytes, &addr);
	if (EFI_ERROR(st)) {
		efi_log("efi: kernel segment %u at 0x%llx-0x%llx: memory not free (%s): "
		        "the firmware holds it",
		        index, (unsigned long long)base,
		        (unsigned long long)(base + pages_for(bytes) * EFI_PAGE_SIZE),
		        fw_status_name(st));
		return EFI_LOAD_ERROR;
	}
	uint8_t *dst = (uint8_t *)(uintptr_t)base;
	__builtin_memset(dst, 0, pages_for(bytes) * EFI_PAGE_SIZE);
	__builtin_memcpy(dst + (s->paddr - base), file + s->offset, s->filesz);
	return EFI_SUCCESS;
}

EFI_STATUS kernel_load(const struct elf_image *img, const uint8_t *file)
{
	for (uint32_t i = 0; i < img->segment_count; i++) {
		if (img->segments[i].memsz == 0)
			continue;
		EFI_STATUS st = load_segment(&img->segments[i], i, file);
		if (EFI_ERROR(st))
			return st;
	}
	return EFI_SUCCESS;
}
