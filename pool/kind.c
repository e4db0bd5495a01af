/*
 * Shadow table kinds: level, whether the guest page is monitored, and how
 * guest entries of the shadowed page map onto shadow entries (pool.h, enum
 * pool_kind; SDM Vol. 3A §4.3 32-bit, §4.4 PAE, §4.5 4-level paging).
 */
#include "pool/internal.h"

struct kind_info {
	const char *name;
	uint8_t level;
	uint8_t monitored;
	uint8_t entry_size; /* guest entry bytes, for monitored kinds */
	uint8_t per;        /* shadow entries per guest entry */
	uint16_t first;     /* first guest entry covered */
	uint16_t count;     /* guest entries covered */
};

static const struct kind_info kinds[POOL_KIND_COUNT] = {
    [POOL_KIND_NONE] = {"NONE", 0, 0, 0, 0, 0, 0},
    [POOL_KIND_PT_32_LO] = {"PT_32_LO", 1, 1, 4, 1, 0, 512},
    [POOL_KIND_PT_32_HI] = {"PT_32_HI", 1, 1, 4, 1, 512, 512},
    [POOL_KIND_PT_PAE] = {"PT_PAE", 1, 1, 8, 1, 0, 512},
    [POOL_KIND_PT_SPLIT_2M] = {"PT_SPLIT_2M", 1, 0, 0, 0, 0, 0},
    [POOL_KIND_PT_SPLIT_4M_LO] = {"PT_SPLIT_4M_LO", 1, 0, 0, 0, 0, 0},
    [POOL_KIND_PT_SPLIT_4M_HI] = {"PT_SPLIT_4M_HI", 1, 0, 0, 0, 0, 0},
    [POOL_KIND_PT_IDENTITY] = {"PT_IDENTITY", 1, 0, 0, 0, 0, 0},
    [POOL_KIND_PD_32_Q0] = {"PD_32_Q0", 2, 1, 4, 2, 0, 256},
    [POOL_KIND_PD_32_Q1] = {"PD_32_Q1", 2, 1, 4, 2, 256, 256},
    [POOL_KIND_PD_32_Q2] = {"PD_32_Q2", 2, 1, 4, 2, 512, 256},
    [POOL_KIND_PD_32_Q3] = {"PD_32_Q3", 2, 1, 4, 2, 768, 256},
    [POOL_KIND_PD_PAE] = {"PD_PAE", 2, 1, 8, 1, 0, 512},
    [POOL_KIND_PD_SPLIT_1G] = {"PD_SPLIT_1G", 2, 0, 0, 0, 0, 0},
    [POOL_KIND_PD_IDENTITY] = {"PD_IDENTITY", 2, 0, 0, 0, 0, 0},
    [POOL_KIND_PDPT_LONG] = {"PDPT_LONG", 3, 1, 8, 1, 0, 512},
    /* first depends on gpa: see kind_geometry() */
    [POOL_KIND_PDPT_PAE] = {"PDPT_PAE", 3, 1, 8, 1, 0, 4},
    [POOL_KIND_PDPT_FOR_32] = {"PDPT_FOR_32", 3, 0, 0, 0, 0, 0},
    [POOL_KIND_PDPT_IDENTITY] = {"PDPT_IDENTITY", 3, 0, 0, 0, 0, 0},
    [POOL_KIND_PML4_LONG] = {"PML4_LONG", 4, 1, 8, 1, 0, 512},
    [POOL_KIND_PML4_FOR_PAE] = {"PML4_FOR_PAE", 4, 0, 0, 0, 0, 0},
    [POOL_KIND_PML4_FOR_32] = {"PML4_FOR_32", 4, 0, 0, 0, 0, 0},
    [POOL_KIND_PML4_IDENTITY] = {"PML4_IDENTITY", 4, 0, 0, 0, 0, 0},
};

unsigned pool_kind_level(enum pool_kind kind)
{
	return (unsigned)kind < POOL_KIND_COUNT ? kinds[kind].level : 0;
}

bool pool_kind_monitored(enum pool_kind kind)
{
	return (unsigned)kind < POOL_KIND_COUNT && kinds[kind].monitored;
}

const char *pool_kind_name(enum pool_kind kind)
{
	return (unsigned)kind < POOL_KIND_COUNT ? kinds[kind].name : "?";
}

void kind_geometry(enum pool_kind kind, uint64_t gpa, struct kind_geometry *g)
{
	const struct kind_info *k = &kinds[(unsigned)kind < POOL_KIND_COUNT ? kind : 0];

	g->entry_size = k->entry_size;
	g->first = k->first;
	g->count = k->count;
	g->per = k->per;
	/* A PAE PDPT is 32 bytes at CR3 & ~0x1F (SDM §4.4.1): four 8-byte
	 * entries starting at that offset of the page. */
	if (kind == POOL_KIND_PDPT_PAE)
		g->first = (unsigned)((gpa & 0xFE0) >> 3);
}
