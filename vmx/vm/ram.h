#ifndef VMX_VM_RAM_H
#define VMX_VM_RAM_H

#include <stdbool.h>
#include <stdint.h>

#include "boot/layout.h"
#include "pool/pool.h"

/*
 * A guest's RAM and its shadow page pool. RAM is guest-physical
 * [0, frames * 4 KiB), backed by single frames from the kernel allocator (not
 * contiguous), described by the pool's tracking entries.
 */
struct guest_mem {
	uint64_t frames;
	uint64_t *track; /* one tracking entry per guest frame */
	uint64_t track_phys, track_frames;
	uint64_t meta_phys, meta_frames;
	struct pool pool;
	bool pool_ready;
};

/* Take bytes of RAM (rounded up to 4 KiB) and start the pool. 0 or -1 (printed). */
int guest_mem_create(struct guest_mem *gm, uint64_t bytes);
/* Give every frame back: RAM, pool pages, metadata. */
void guest_mem_destroy(struct guest_mem *gm);

/* Host pointer to guest-physical gpa, or 0 outside RAM. Valid up to the page end. */
void *guest_mem_ptr(struct guest_mem *gm, uint64_t gpa);
/* Copy into / zero guest-physical memory; false if any byte is outside RAM. */
bool guest_mem_write(struct guest_mem *gm, uint64_t gpa, const void *src, uint64_t len);
bool guest_mem_zero(struct guest_mem *gm, uint64_t gpa, uint64_t len);
bool guest_mem_read(struct guest_mem *gm, uint64_t gpa, void *dst, uint64_t len);

#endif
