#ifndef MM_KMEM_H
#define MM_KMEM_H

#include "boot/bootinfo.h"
#include "mm/frame.h"

/*
 * Bring up the kernel's memory from the boot information: normalize the map,
 * start the frame allocator with the kernel image, boot data, modules and the
 * first 1 MiB reserved, and build the direct map. Prints the "mm: " lines.
 * Returns 0, or -1 after printing why.
 */
int kmem_init(const struct boot_info *bi);

/* The one frame allocator of the kernel. */
struct frame_allocator *kmem_frames(void);

#endif
