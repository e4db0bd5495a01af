/*
 * Checks of an ELF file held in memory before the EFI loader trusts it: the
 * header, the program header table and every PT_LOAD segment's file range
 * must lie inside the file (a truncated guest image fails here, not in the
 * kernel). ELF-64 for the kernel, ELF-32 or ELF-64 for guest images (System V
 * ABI, "Object Files": ELF header and program header). Pure C: built into
 * the loader and into the host tests.
 */
#ifndef BOOT_EFI_ELF_IMAGE_H
#define BOOT_EFI_ELF_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#define ELF_MAX_SEGMENTS 16

#define ELF_PF_X 0x1 /* p_flags: executable */

struct elf_segment {
	uint64_t offset; /* in the file */
	uint64_t filesz;
	uint64_t paddr;
	uint64_t memsz;
	uint32_t flags; /* ELF_PF_* */
};

struct elf_image {
	uint32_t elf_class; /* 32 or 64 */
	uint32_t machine;   /* e_machine */
	uint32_t type;      /* e_type */
	uint64_t entry;
	uint32_t segment_count; /* PT_LOAD segments, in file order */
	struct elf_segment segments[ELF_MAX_SEGMENTS];
};

/*
 * Reads the header and the PT_LOAD segments of size bytes at file. Returns 0,
 * or -1 with the reason in err: not ELF, a class or byte order we do not
 * take, a program header table or segment outside the file, p_filesz above
 * p_memsz, no PT_LOAD segment, or more than ELF_MAX_SEGMENTS of them.
 */
int elf_image_parse(struct elf_image *img, const void *file, uint64_t size, char *err,
                    size_t err_cap);

/*
 * What loading the kernel at its physical addresses needs: ELF-64 x86-64
 * executable, segments in ascending order that share no 4 KiB page (each is
 * allocated by itself), all below limit, and efi_entry inside an executable
 * segment's loaded bytes. Returns 0, or -1 with the reason in err.
 */
int elf_kernel_check(const struct elf_image *img, uint64_t efi_entry, uint64_t limit, char *err,
                     size_t err_cap);

#endif
