/*
 * The ELF side of the PVH loader (vmx/load/linux_elf.c): an x86 ELF32 or ELF64 executable
 * (System V ABI, "ELF Header" and "Program Header"), its PT_LOAD segments by physical
 * address and the PVH entry from its PT_NOTE segments. Internal to the Linux loaders.
 */
#ifndef VMX_LOAD_LINUX_ELF_H
#define VMX_LOAD_LINUX_ELF_H

#include <stdbool.h>
#include <stdint.h>

#include "vmx/load/linux_int.h"

#define LX_ELF_MAX_SEGMENTS 32u /* PT_LOAD segments with a size */

/* File bytes [offset, offset + filesz) at paddr, zeros up to memsz. */
struct lx_elf_seg {
	uint32_t index; /* program header index, for messages */
	uint64_t offset, paddr, filesz, memsz;
};

struct lx_elf {
	bool is64;
	uint64_t phoff; /* program headers, checked to lie in the file */
	uint32_t phentsize, phnum;
	struct lx_elf_seg segs[LX_ELF_MAX_SEGMENTS];
	uint32_t nsegs;
	uint64_t entry; /* from the note: XEN_ELFNOTE_PHYS32_ENTRY */
};

/* Check the ELF and program headers and find the note; refused with the reason. */
bool lx_elf_find_note(struct linux_ctx *c, struct lx_elf *e);
/* That, then collect the PT_LOAD segments. */
bool lx_elf_parse(struct linux_ctx *c, struct lx_elf *e);

#endif
