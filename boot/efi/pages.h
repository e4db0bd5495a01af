/*
 * Page allocations of the loader, remembered so that a failed boot gives
 * them all back before returning to the firmware (the shell or boot manager
 * carries on with its memory intact).
 */
#ifndef BOOT_EFI_PAGES_H
#define BOOT_EFI_PAGES_H

#include <efi.h>

#define PAGES_MAX_ALLOCATIONS 32
#define PAGES_BELOW_4G        0xffffffffULL /* AllocateMaxAddress: highest address allowed */

/*
 * AllocatePages(how, type) for bytes rounded up to 4 KiB pages; *addr is the
 * address (AllocateAddress) or the highest one (AllocateMaxAddress) in, the
 * allocation's base out.
 */
EFI_STATUS pages_alloc(EFI_ALLOCATE_TYPE how, EFI_MEMORY_TYPE type, uint64_t bytes, uint64_t *addr);

/* Frees every allocation made so far. */
void pages_free_all(void);

static inline uint64_t pages_for(uint64_t bytes)
{
	return (bytes + EFI_PAGE_SIZE - 1) / EFI_PAGE_SIZE;
}

#endif
