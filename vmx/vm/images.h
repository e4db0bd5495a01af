#ifndef VMX_VM_IMAGES_H
#define VMX_VM_IMAGES_H

#include <stdint.h>

/* The test guests built into the hypervisor image (tools/mkimages generates
 * the table from build/guests/ at build time). */
struct guest_image {
	const char *name;
	const uint8_t *start;
	const uint8_t *end;
};

extern const struct guest_image guest_images[];
extern const uint64_t guest_image_count;

#endif
