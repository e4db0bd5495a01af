/* Remembered page allocations: see boot/efi/pages.h. */
#include "boot/efi/pages.h"

#include "boot/efi/firmware.h"

struct allocation {
	EFI_PHYSICAL_ADDRESS base;
	UINTN pages;
};

static struct allocation allocations[PAGES_MAX_ALLOCATIONS];
static uint32_t allocation_count;

EFI_STATUS pages_alloc(EFI_ALLOCATE_TYPE how, EFI_MEMORY_TYPE type, uint64_t bytes, uint64_t *addr)
{
	EFI_PHYSICAL_ADDRESS base = *addr;
	UINTN pages = pages_for(bytes);

	if (allocation_count >= PAGES_MAX_ALLOCATIONS)
		return EFI_OUT_OF_RESOURCES;
	EFI_STATUS st = fw_bs->AllocatePages(how, type, pages, &base);
	if (EFI_ERROR(st))
		return st;
	allocations[allocation_count++] = (struct allocation){base, pages};
	*addr = base;
	return EFI_SUCCESS;
}

void pages_free_all(void)
{
	while (allocation_count > 0) {
		struct allocation *a = &allocations[--allocation_count];
		fw_bs->FreePages(a->base, a->pages);
	}
}
