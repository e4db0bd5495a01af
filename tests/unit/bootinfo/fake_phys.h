/*
 * A fake physical memory for the boot-information tests: FAKE_PHYS_SIZE bytes
 * that the parsers see at physical address FAKE_PHYS_BASE through
 * bootinfo_phys_hook. Anything outside is refused, so a parser that follows a
 * bad pointer gets NULL instead of reading host memory.
 */
#ifndef TESTS_UNIT_BOOTINFO_FAKE_PHYS_H
#define TESTS_UNIT_BOOTINFO_FAKE_PHYS_H

#include <stddef.h>
#include <stdint.h>

#include "boot/bootinfo.h"

#define FAKE_PHYS_BASE 0x10000u
#define FAKE_PHYS_SIZE 0x10000u

extern uint8_t fake_phys[FAKE_PHYS_SIZE];

/* Clears the fake memory and installs the hook. */
void fake_phys_reset(void);

/* The physical address of a pointer into fake_phys. */
uint32_t fake_pa(const void *p);

/* Normalizes bi's regions into out (BOOT_MAX_REGIONS); the count, or -1 with err set. */
int normalized(const struct boot_info *bi, struct mem_region *out, char *err, size_t errlen);

#endif
