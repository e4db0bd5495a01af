/* Internals shared by the multiboot loader's files (vmx/mbload*.c); not an API. */
#ifndef VMX_MBLOAD_INT_H
#define VMX_MBLOAD_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "vmx/load/mbload.h"

/* One piece of the kernel: file bytes [offset, offset + filesz) at gpa, zeros up to memsz. */
struct mbload_seg {
	uint32_t index; /* program header index (0 for the a.out kludge), for messages */
	uint64_t offset, gpa, filesz, memsz;
};

/* What the multiboot header asks for, v1 or v2 (0 = not given). */
struct mbload_header {
	uint32_t version;
	uint64_t offset;
	bool aout; /* v1 flags bit 16 / v2 address tag */
	uint32_t header_addr, load_addr, load_end_addr, bss_end_addr;
	bool has_entry; /* v1 kludge entry_addr / v2 entry address tag */
	uint32_t entry_addr;
};

struct mbload_ctx {
	const struct load_mem *mem;
	const struct mbload_request *req;
	const uint8_t *img;
	uint64_t size;
	char *why;
	uint32_t why_len;
	struct mbload_header hdr;
	enum mbload_format format;
	struct mbload_seg segs[MBLOAD_MAX_SEGMENTS];
	uint32_t nsegs;
	uint64_t entry;
	uint64_t mod_gpa[MBLOAD_MAX_MODULES];
	uint64_t info_next; /* bump pointer in [MBLOAD_INFO_GPA, MBLOAD_INFO_END) */
};

static inline uint16_t mbl_rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t mbl_rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t mbl_rd64(const uint8_t *p)
{
	return mbl_rd32(p) | (uint64_t)mbl_rd32(p + 4) << 32;
}

static inline uint64_t mbl_align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* True when [off, off + len) lies inside the image (overflow-safe). */
static inline bool mbl_in_file(const struct mbload_ctx *c, uint64_t off, uint64_t len)
{
	return off <= c->size && len <= c->size - off;
}

/*
 * Write the reason: fmt with %x (hex digits, write "0x%x") and %u (decimal), each taking
 * the next of args[1..]. Returns false, so refusals read "return MBL_REFUSE(c, ...);".
 */
bool mbl_refuse(struct mbload_ctx *c, const char *fmt, const uint64_t *args);
#define MBL_REFUSE(c, ...) \
	mbl_refuse((c), MBL_FIRST(__VA_ARGS__, 0), (const uint64_t[]){MBL_REST(__VA_ARGS__, 0)})
#define MBL_FIRST(f, ...) (f)
#define MBL_REST(f, ...)  0, __VA_ARGS__

/* vmx/mbload_header.c: find the v2 header, else the v1 header, and read its fields. */
bool mbl_find_header(struct mbload_ctx *c);
/* vmx/mbload_elf.c: the PT_LOAD segments and the entry point of an ELF32/ELF64 image. */
bool mbl_parse_elf(struct mbload_ctx *c);
/* vmx/mbload_aout.c: the one segment and the entry given by the a.out-kludge fields. */
bool mbl_parse_aout(struct mbload_ctx *c);
/* vmx/mbload_info.c: the v1 or v2 information structure in the loader's area. */
bool mbl_build_info(struct mbload_ctx *c, struct mbload_result *res);

#endif
