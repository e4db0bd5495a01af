/*
 * How a loader reaches guest RAM: guest-physical [0, ram_bytes), written
 * through callbacks (the machine's RAM in the kernel, a buffer in host
 * tests). Both return false if any byte is outside RAM; a loader never
 * writes anywhere else.
 */
#ifndef VMX_LOAD_LOAD_MEM_H
#define VMX_LOAD_LOAD_MEM_H

#include <stdbool.h>
#include <stdint.h>

struct load_mem {
	void *ctx;
	uint64_t ram_bytes;
	bool (*write)(void *ctx, uint64_t gpa, const void *src, uint64_t len);
	bool (*zero)(void *ctx, uint64_t gpa, uint64_t len);
};

#endif
