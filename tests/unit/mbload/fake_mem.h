/* A fake guest RAM for the loader tests: bounds-checked, every byte starts as FAKE_FILL. */
#ifndef TESTS_UNIT_MBLOAD_FAKE_MEM_H
#define TESTS_UNIT_MBLOAD_FAKE_MEM_H

#include <stdbool.h>
#include <stdint.h>

#include "vmx/load/mbload.h"

#define FAKE_FILL 0xcc

struct fake_mem {
	struct load_mem mem; /* what the loader gets; ctx points back here */
	uint8_t *bytes;        /* backing for [0, backed) */
	uint64_t backed;
	uint64_t bad_writes; /* writes reaching outside [0, ram_bytes) */
	uint64_t unbacked;   /* writes inside RAM but above the backing */
	uint64_t calls;
};

/* RAM of ram_bytes, of which the first backed bytes are real memory. */
void fake_mem_init(struct fake_mem *f, uint64_t ram_bytes, uint64_t backed);
void fake_mem_free(struct fake_mem *f);

/* Little-endian reads of the fake RAM (0 and a failed check outside the backing). */
uint32_t fake_rd32(const struct fake_mem *f, uint64_t gpa);
uint64_t fake_rd64(const struct fake_mem *f, uint64_t gpa);
uint16_t fake_rd16(const struct fake_mem *f, uint64_t gpa);
const char *fake_str(const struct fake_mem *f, uint64_t gpa);

#endif
