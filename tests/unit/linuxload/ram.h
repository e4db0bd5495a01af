/*
 * A fake guest RAM for the loader tests: any size up to 4 GiB, backed lazily in 1 MiB
 * chunks (so a 3 GiB guest costs only what is written), every byte RAM_FILL until
 * written. An access reaching outside [0, ram_bytes) is counted and fails, as does one
 * touching fail_gpa when it is set.
 */
#ifndef TESTS_UNIT_LINUXLOAD_RAM_H
#define TESTS_UNIT_LINUXLOAD_RAM_H

#include <stdbool.h>
#include <stdint.h>

#include "vmx/load/loader.h"

#define RAM_FILL       0xa5u
#define RAM_CHUNK_BITS 20
#define RAM_NO_FAIL    UINT64_MAX

struct ram {
	struct load_mem mem; /* what the loader gets; ctx points back here */
	uint8_t **chunks;
	uint64_t nchunks;
	uint64_t outside; /* accesses reaching outside guest RAM */
	uint64_t writes;  /* successful write and zero calls */
	uint64_t fail_gpa;
};

void ram_init(struct ram *r, uint64_t ram_bytes);
void ram_free(struct ram *r);

uint8_t ram_u8(const struct ram *r, uint64_t gpa);
uint16_t ram_u16(const struct ram *r, uint64_t gpa);
uint32_t ram_u32(const struct ram *r, uint64_t gpa);
uint64_t ram_u64(const struct ram *r, uint64_t gpa);
/* The NUL-terminated string at gpa, copied into buf (cut at cap - 1). */
const char *ram_str(const struct ram *r, uint64_t gpa, char *buf, uint64_t cap);
/* True when RAM [gpa, gpa + len) equals bytes. */
bool ram_equals(const struct ram *r, uint64_t gpa, const uint8_t *bytes, uint64_t len);
/* True when RAM [gpa, gpa + len) is all v. */
bool ram_all(const struct ram *r, uint64_t gpa, uint64_t len, uint8_t v);
/* The lowest address outside every keep[i] not holding RAM_FILL, or UINT64_MAX. */
uint64_t ram_touched_outside(const struct ram *r, const struct load_range *keep, uint32_t n);

#endif
