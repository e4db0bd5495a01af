/* Memory-map normalization and placement: see mm/memmap.h. */
#include "mm/memmap.h"

#include <stdbool.h>

#include "boot/msgfmt.h"

/* One region being assembled by the sweep, not yet written out. */
struct pending_region {
	uint64_t base;
	uint64_t end;
	uint32_t type;
	bool valid;
};

struct normalize_state {
	struct mem_region *out;
	uint32_t cap;
	uint32_t count;
	uint32_t usable;
	struct pending_region pending;
	char *err;
	size_t errlen;
};

static uint64_t align_down(uint64_t v, uint64_t align)
{
	return v & ~(align - 1);
}

/* Rounds up; the caller makes sure v + align - 1 does not wrap. */
static uint64_t align_up(uint64_t v, uint64_t align)
{
	return align_down(v + align - 1, align);
}

uint32_t memmap_known_type(uint32_t type)
{
	switch (type) {
	case MEM_USABLE:
	case MEM_RESERVED:
	case MEM_ACPI_RECLAIM:
	case MEM_ACPI_NVS:
	case MEM_BAD:
		return type;
	default:
		return MEM_RESERVED;
	}
}

/*
 * Bad memory must never be touched; NVS must survive sleep states; reserved
 * is firmware's; ACPI reclaim only becomes free once the tables are read.
 */
uint32_t memmap_type_rank(uint32_t type)
{
	switch (memmap_known_type(type)) {
	case MEM_USABLE:
		return 0;
	case MEM_ACPI_RECLAIM:
		return 1;
	case MEM_RESERVED:
		return 2;
	case MEM_ACPI_NVS:
		return 3;
	default: /* MEM_BAD */
		return 4;
	}
}

/* True when base + length runs past 2^64 (ending exactly at 2^64 is no wrap). */
static bool region_wraps(const struct mem_region *r)
{
	return r->length != 0 && r->length - 1 > UINT64_MAX - r->base;
}

/* The clipped span [*base, *end) of an entry; false when nothing is left. */
static bool region_span(const struct mem_region *r, uint64_t *base, uint64_t *end)
{
	if (r->length == 0 || r->base >= MEMMAP_ADDR_LIMIT)
		return false;
	*base = r->base;
	*end = r->length > MEMMAP_ADDR_LIMIT - r->base ? MEMMAP_ADDR_LIMIT : r->base + r->length;
	return true;
}

static int check_wraps(const struct mem_region *in, uint32_t n, char *err, size_t errlen)
{
	for (uint32_t i = 0; i < n; i++) {
		if (region_wraps(&in[i]) && memmap_known_type(in[i].type) == MEM_USABLE) {
			msg_format(err, errlen,
			           "memmap: entry %u (base 0x%llx length 0x%llx, usable) "
			           "wraps past 2^64",
			           i, (unsigned long long)in[i].base,
			           (unsigned long long)in[i].length);
			return -1;
		}
	}
	return 0;
}

/* Writes the pending region out (usable ones shrunk to whole pages). */
static int flush_pending(struct normalize_state *st)
{
	struct pending_region *p = &st->pending;
	uint64_t base = p->base, end = p->end;

	if (!p->valid)
		return 0;
	p->valid = false;
	if (p->type == MEM_USABLE) {
		base = align_up(base, MEMMAP_PAGE_SIZE);
		end = align_down(end, MEMMAP_PAGE_SIZE);
		if (base >= end)
			return 0;
		st->usable++;
	}
	if (st->count == st->cap) {
		msg_format(st->err, st->errlen, "memmap: more than %u regions after normalizing",
		           st->cap);
		return -1;
	}
	st->out[st->count++] =
	    (struct mem_region){.base = base, .length = end - base, .type = p->type};
	return 0;
}

/* Adds the piece [base, end) of the given type after everything emitted so far. */
static int emit_piece(struct normalize_state *st, uint64_t base, uint64_t end, uint32_t type)
{
	struct pending_region *p = &st->pending;

	if (p->valid && p->end == base && p->type == type) {
		p->end = end;
		return 0;
	}
	if (flush_pending(st) < 0)
		return -1;
	*p = (struct pending_region){.base = base, .end = end, .type = type, .valid = true};
	return 0;
}

/*
 * Looks at the elementary piece starting at pos: sets *next to the following
 * boundary and *type to the winning type of the entries covering pos.
 * Returns false when there is no boundary after pos; *covered says whether
 * any entry covers pos at all (else it is a hole).
 */
static bool piece_at(const struct mem_region *in, uint32_t n, uint64_t pos, uint64_t *next,
                     uint32_t *type, bool *covered)
{
	bool found = false;
	uint32_t best_rank = 0;

	*covered = false;
	for (uint32_t i = 0; i < n; i++) {
		uint64_t base, end;
		if (!region_span(&in[i], &base, &end))
			continue;
		uint64_t boundary = base > pos ? base : end;
		if (boundary <= pos)
			continue;
		if (!found || boundary < *next)
			*next = boundary;
		found = true;
		if (base <= pos) {
			uint32_t rank = memmap_type_rank(in[i].type);
			if (!*covered || rank > best_rank) {
				best_rank = rank;
				*type = memmap_known_type(in[i].type);
			}
			*covered = true;
		}
	}
	return found;
}

static bool lowest_base(const struct mem_region *in, uint32_t n, uint64_t *lowest)
{
	bool found = false;
	for (uint32_t i = 0; i < n; i++) {
		uint64_t base, end;
		if (region_span(&in[i], &base, &end) && (!found || base < *lowest)) {
			*lowest = base;
			found = true;
		}
	}
	return found;
}

int memmap_normalize(const struct mem_region *in, uint32_t n, struct mem_region *out, uint32_t cap,
                     char *err, size_t errlen)
{
	struct normalize_state st = {.out = out, .cap = cap, .err = err, .errlen = errlen};
	uint64_t pos = 0, next = 0;
	uint32_t type = MEM_RESERVED;
	bool covered;

	if (err && errlen)
		err[0] = '\0';
	if (n == 0 || !in) {
		msg_format(err, errlen, "memmap: empty memory map");
		return -1;
	}
	if (check_wraps(in, n, err, errlen) < 0)
		return -1;
	if (!lowest_base(in, n, &pos)) {
		msg_format(err, errlen, "memmap: all %u entries are empty", n);
		return -1;
	}
	while (piece_at(in, n, pos, &next, &type, &covered)) {
		if (covered && emit_piece(&st, pos, next, type) < 0)
			return -1;
		pos = next;
	}
	if (flush_pending(&st) < 0)
		return -1;
	if (st.usable == 0) {
		msg_format(err, errlen,
		           "memmap: no usable memory (%u entries, no whole usable 4 KiB page)", n);
		return -1;
	}
	return (int)st.count;
}

uint64_t memmap_usable_bytes(const struct mem_region *map, uint32_t n)
{
	uint64_t total = 0;
	for (uint32_t i = 0; i < n; i++)
		if (map[i].type == MEM_USABLE)
			total += map[i].length;
	return total;
}

/* The exclusive end of an avoided range, saturating instead of wrapping. */
static uint64_t range_end(const struct mem_range *r)
{
	return r->length > UINT64_MAX - r->base ? UINT64_MAX : r->base + r->length;
}

/*
 * Moves *cand past the first avoided range that [*cand, *cand + size)
 * overlaps (the caller has checked that *cand + size does not wrap).
 * Returns false when the candidate cannot move any further (end of space).
 */
static bool skip_avoided(uint64_t *cand, uint64_t size, uint64_t align,
                         const struct mem_range *avoid, uint32_t navoid, bool *moved)
{
	*moved = false;
	for (uint32_t i = 0; i < navoid; i++) {
		uint64_t a_end = range_end(&avoid[i]);
		if (avoid[i].length == 0 || *cand >= a_end || avoid[i].base >= *cand + size)
			continue;
		if (a_end > UINT64_MAX - align)
			return false;
		*cand = align_up(a_end, align);
		*moved = true;
		return true;
	}
	return true;
}

/* The lowest fit inside [start, end), or 0. */
static uint64_t place_in(uint64_t start, uint64_t end, uint64_t size, uint64_t align,
                         const struct mem_range *avoid, uint32_t navoid)
{
	uint64_t cand;
	bool moved = true;

	if (start > UINT64_MAX - align)
		return 0;
	cand = align_up(start, align);
	while (moved) {
		if (cand >= end || end - cand < size)
			return 0;
		if (!skip_avoided(&cand, size, align, avoid, navoid, &moved))
			return 0;
	}
	return cand;
}

uint64_t memmap_place(const struct mem_region *map, uint32_t n, uint64_t size, uint64_t align,
                      uint64_t min_addr, const struct mem_range *avoid, uint32_t navoid)
{
	uint64_t lo = min_addr < MEMMAP_PAGE_SIZE ? MEMMAP_PAGE_SIZE : min_addr;

	if (align < MEMMAP_PAGE_SIZE)
		align = MEMMAP_PAGE_SIZE;
	if ((align & (align - 1)) != 0 || size == 0 || size > MEMMAP_ADDR_LIMIT)
		return 0;
	size = align_up(size, MEMMAP_PAGE_SIZE);
	for (uint32_t i = 0; i < n; i++) {
		const struct mem_region *r = &map[i];
		if (r->type != MEM_USABLE || r->length == 0 || r->length > UINT64_MAX - r->base)
			continue;
		uint64_t end = r->base + r->length;
		if (end <= lo)
			continue;
		uint64_t found =
		    place_in(r->base > lo ? r->base : lo, end, size, align, avoid, navoid);
		if (found)
			return found;
	}
	return 0;
}
