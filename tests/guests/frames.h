/* Guest-physical page allocator over the RAM the multiboot info reports. */
#ifndef GUESTS_FRAMES_H
#define GUESTS_FRAMES_H

#include <stdint.h>

#define PAGE_SIZE   4096u
/* The guests use RAM below this bound only (identity-mapped by every page-table tree). */
#define RAM_USE_CAP (512ull << 20)

/* Free RAM is [after the image and multiboot data, min(RAM end, RAM_USE_CAP)). */
void frames_init(void);
/* A zeroed 4 KiB frame; ends the program with a FAIL when RAM runs out. */
uintptr_t frame_alloc(void);
/* Frees are LIFO: the next frame_alloc returns the frame freed last. */
void frame_free(uintptr_t frame);
/* SIZE bytes aligned to SIZE (a large page), not zeroed, taken from the top of RAM. */
uintptr_t frame_alloc_large(uint32_t size);
/* The RAM not yet handed out: [*lo, *hi). */
void frames_free_span(uintptr_t *lo, uintptr_t *hi);
/* End of the RAM the guest uses (identity-mapped in every tree). */
uintptr_t frames_usable_end(void);

#endif
