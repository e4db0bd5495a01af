/* Internals shared by the Linux loaders' files (vmx/load/linux_*.c); not an API. */
#ifndef VMX_LOAD_LINUX_INT_H
#define VMX_LOAD_LINUX_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "vmx/load/linux_boot.h"

#define LINUX_PAGE_BYTES 4096u

/* One load in progress: the request, guest RAM and where a refusal's reason goes. */
struct linux_ctx {
	const struct load_mem *mem;
	const struct load_request *req;
	const uint8_t *img;
	uint64_t size;
	char *why;
	uint32_t why_len;
	uint64_t str_next; /* next free byte of [LINUX_CMDLINE_GPA, LINUX_AREA_END) */
};

static inline uint16_t lx_rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t lx_rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t lx_rd64(const uint8_t *p)
{
	return lx_rd32(p) | (uint64_t)lx_rd32(p + 4) << 32;
}

static inline void lx_wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void lx_wr32(uint8_t *p, uint32_t v)
{
	lx_wr16(p, (uint16_t)v);
	lx_wr16(p + 2, (uint16_t)(v >> 16));
}

static inline void lx_wr64(uint8_t *p, uint64_t v)
{
	lx_wr32(p, (uint32_t)v);
	lx_wr32(p + 4, (uint32_t)(v >> 32));
}

/* a is a power of two; the result may wrap for v near 2^64, callers check. */
static inline uint64_t lx_align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static inline uint64_t lx_align_down(uint64_t v, uint64_t a)
{
	return v & ~(a - 1);
}

/* True when [off, off + len) lies inside the image (overflow-safe). */
static inline bool lx_in_file(const struct linux_ctx *c, uint64_t off, uint64_t len)
{
	return off <= c->size && len <= c->size - off;
}

static inline bool lx_overlap(struct load_range a, struct load_range b)
{
	return a.start < b.end && b.start < a.end;
}

/* Grow *hull to cover r; an empty hull (start == end) becomes r. */
static inline void lx_hull(struct load_range *hull, struct load_range r)
{
	if (hull->start == hull->end) {
		*hull = r;
		return;
	}
	hull->start = r.start < hull->start ? r.start : hull->start;
	hull->end = r.end > hull->end ? r.end : hull->end;
}

static inline uint64_t lx_strlen(const char *s)
{
	uint64_t n = 0;
	while (s && s[n])
		n++;
	return n;
}

/* Start a load: fill c, clear *res and why. */
void lx_begin(struct linux_ctx *c, const struct load_mem *mem, const struct load_request *req,
              struct load_result *res, char *why, uint32_t why_len);

/* Write the reason (linux_text.h conversions); returns false for "return lx_refuse(...)". */
bool lx_refuse(struct linux_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* RAM size within what the memory map describes (vmx/load/e820.h). */
bool lx_check_ram(struct linux_ctx *c);

/* Guest RAM writes; a failure is refused with the address. */
bool lx_write(struct linux_ctx *c, uint64_t gpa, const void *src, uint64_t len);
bool lx_zero(struct linux_ctx *c, uint64_t gpa, uint64_t len);

/*
 * Strings in [LINUX_CMDLINE_GPA, LINUX_AREA_END): reserve s's place (0 "" for none) before
 * anything is written, NUL included; its address, or 0 and refused when the area is full.
 * Then write it there.
 */
uint64_t lx_reserve_string(struct linux_ctx *c, const char *s);
bool lx_write_string(struct linux_ctx *c, uint64_t gpa, const char *s);

/*
 * The highest page-aligned address for size bytes with the range inside [E820_HIGH_RAM,
 * limit) and outside every avoid[i]; 0 when there is none.
 */
uint64_t lx_place_high(uint64_t size, uint64_t limit, const struct load_range *avoid,
                       uint32_t navoid);

/* The GDT at LINUX_GDT_GPA and the entry state that uses it (boot_state_flat32()). */
bool lx_write_gdt(struct linux_ctx *c);
void lx_entry_state(struct boot_state *s, uint32_t entry);

/* The loader's area: [LINUX_INFO_GPA, LINUX_AREA_END). */
static inline struct load_range lx_area(void)
{
	return (struct load_range){LINUX_INFO_GPA, LINUX_AREA_END};
}

#endif
