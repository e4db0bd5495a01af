/*
 * Loading a guest image of any supported kind. load_image() looks at the bytes and picks
 * the loader:
 *   1. a bzImage (boot flag 0xaa55 at 0x1fe and "HdrS" at 0x202): the Linux 32-bit boot
 *      protocol (vmx/load/linux_bzimage.c);
 *   2. an image with a multiboot1 or multiboot2 header (magic and a good checksum in its
 *      search window): the multiboot loader (vmx/load/mbload.c);
 *   3. an ELF with a PVH entry note (Xen ELF note 18): PVH (vmx/load/linux_pvh.c);
 *   4. anything else: refused (with the multiboot loader's reason when the image carries
 *      a damaged multiboot header).
 * A multiboot header wins over a PVH note, as in QEMU's -kernel: the header is the
 * image's explicit request, and it keeps today's multiboot guests on the path they were
 * tested on. Linux's vmlinux has no multiboot header, so it goes to PVH.
 * Every loader returns the whole entry state (struct boot_state), so the caller needs no
 * knowledge of the protocol.
 */
#ifndef VMX_LOAD_LOADER_H
#define VMX_LOAD_LOADER_H

#include <stdbool.h>
#include <stdint.h>

#include "vmx/load/boot_state.h"
#include "vmx/load/load_mem.h"
#include "vmx/load/mbload.h"

/* What to load. The guest RAM size is the load_mem's ram_bytes. */
struct load_request {
	const uint8_t *image; /* the kernel file */
	uint64_t size;
	const char *cmdline;                 /* may be 0: an empty command line */
	const struct mbload_module *modules; /* Linux: module 0 is the initrd */
	uint32_t module_count;
};

enum load_kind { LOAD_LINUX_BZIMAGE, LOAD_LINUX_PVH, LOAD_MULTIBOOT };

/* A guest-physical range [start, end); start == end when empty. */
struct load_range {
	uint64_t start, end;
};

#define LOAD_NAME_BYTES 40u

struct load_result {
	enum load_kind kind;
	char name[LOAD_NAME_BYTES]; /* "linux boot protocol 2.15", "pvh ELF64", ... */
	uint64_t entry;             /* the first instruction, = state.rip */
	struct boot_state state;
	struct load_range kernel;  /* what the kernel occupies or may use at start */
	struct load_range modules; /* the initrd / all modules (their hull) */
	struct load_range info;    /* the loader's own structures: boot information, GDT */
};

/*
 * Load req into mem with the loader the image calls for. true and *res filled, or false
 * with a one-line reason in why (the caller logs "vmx: guest <name>: image refused:
 * <why>"). Guest RAM may be partly written when the image is refused; nothing outside
 * [0, mem->ram_bytes) is ever written.
 */
bool load_image(const struct load_mem *mem, const struct load_request *req, struct load_result *res,
                char *why, uint32_t why_len);

#endif
