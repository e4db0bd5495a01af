/* The fake physical memory of the boot-information tests: see fake_phys.h. */
#include "tests/unit/bootinfo/fake_phys.h"

#include <string.h>

#include "boot/bootinfo_build.h"
#include "mm/memmap.h"

_Alignas(8) uint8_t fake_phys[FAKE_PHYS_SIZE];

static const void *fake_map(uint64_t pa, uint64_t len)
{
	if (pa < FAKE_PHYS_BASE || pa - FAKE_PHYS_BASE >= FAKE_PHYS_SIZE ||
	    len > FAKE_PHYS_SIZE - (pa - FAKE_PHYS_BASE))
		return NULL;
	return fake_phys + (pa - FAKE_PHYS_BASE);
}

void fake_phys_reset(void)
{
	memset(fake_phys, 0, sizeof(fake_phys));
	bootinfo_phys_hook = fake_map;
}

uint32_t fake_pa(const void *p)
{
	return FAKE_PHYS_BASE + (uint32_t)((const uint8_t *)p - fake_phys);
}

int normalized(const struct boot_info *bi, struct mem_region *out, char *err, size_t errlen)
{
	return memmap_normalize(bi->regions, bi->region_count, out, BOOT_MAX_REGIONS, err, errlen);
}
