/*
 * Software walker of guest page tables: see walk.h. Facts cited from Intel SDM Vol. 3A
 * chapter 4 (§4.3 32-bit paging, §4.4 PAE, §4.5 4-level, §4.6 access rights, §4.7 #PF
 * error code, §4.8 accessed and dirty flags).
 */
#include "pool/shadow/walk.h"

#define ADDR32_TABLE_MASK ((uint64_t)0xfffff000)
#define ADDR32_4M_MASK    ((uint64_t)0xffc00000)
#define PAE_CR3_MASK      ((uint64_t)0xffffffe0) /* §4.4.1: PDPT is 32-byte aligned */
#define SIZE_2M           ((uint64_t)1 << 21)
#define SIZE_4M           ((uint64_t)1 << 22)
#define SIZE_1G           ((uint64_t)1 << 30)

/* Bits lo..hi inclusive; empty when lo > hi. */
static uint64_t bit_range(unsigned lo, unsigned hi)
{
	if (lo > hi || lo > 63)
		return 0;
	uint64_t upper = hi >= 63 ? ~(uint64_t)0 : (((uint64_t)1 << (hi + 1)) - 1);
	return upper & ~(((uint64_t)1 << lo) - 1);
}

enum walk_mode walk_mode_from_regs(uint64_t cr0, uint64_t cr4, uint64_t efer)
{
	const uint64_t cr0_pg = (uint64_t)1 << 31, cr4_pae = (uint64_t)1 << 5;
	const uint64_t efer_lma = (uint64_t)1 << 10;

	if (!(cr0 & cr0_pg))
		return WALK_MODE_NONE;
	if (!(cr4 & cr4_pae))
		return WALK_MODE_32BIT;
	return (efer & efer_lma) ? WALK_MODE_LONG4 : WALK_MODE_PAE;
}

uint64_t walk_phys_mask(uint8_t maxphyaddr)
{
	return bit_range(WALK_PAGE_SHIFT, maxphyaddr - 1u);
}

static bool is_large_leaf(const struct walk_paging *p, unsigned level, uint64_t entry)
{
	if (!(entry & GPTE_PS))
		return false;
	switch (p->mode) {
	case WALK_MODE_32BIT:
		return level == 2 && p->pse; /* PS is ignored when CR4.PSE = 0 (§4.3) */
	case WALK_MODE_PAE:
		return level == 2;
	case WALK_MODE_LONG4:
		return level == 2 || (level == 3 && p->gbpages);
	default:
		return false;
	}
}

uint64_t walk_reserved_bits(const struct walk_paging *p, unsigned level, uint64_t entry)
{
	unsigned m = p->maxphyaddr;
	uint64_t rsvd;

	switch (p->mode) {
	case WALK_MODE_32BIT:
		/* Table 4-4: a 4 MiB PDE reserves bits 21:(M-19), M = min(MAXPHYADDR, 40). */
		if (!is_large_leaf(p, level, entry))
			return 0;
		return bit_range((m > 40 ? 40 : m) - 19, 21);
	case WALK_MODE_PAE:
		if (level == 3) /* PDPTE register, Table 4-8 */
			return bit_range(1, 2) | bit_range(5, 8) | bit_range(m, 63);
		rsvd = bit_range(m, 62) | (p->nxe ? 0 : GPTE_XD); /* Tables 4-9..4-11 */
		if (is_large_leaf(p, level, entry))
			rsvd |= bit_range(13, 20);
		return rsvd;
	case WALK_MODE_LONG4:
		rsvd = bit_range(m, 51) | (p->nxe ? 0 : GPTE_XD); /* Tables 4-15..4-20 */
		if (level == 4)
			rsvd |= GPTE_PS;
		else if (level == 3 && (entry & GPTE_PS))
			rsvd |= p->gbpages ? bit_range(13, 29) : GPTE_PS;
		else if (level == 2 && (entry & GPTE_PS))
			rsvd |= bit_range(13, 20);
		return rsvd;
	default:
		return 0;
	}
}

enum walk_status walk_load_pdptes(struct walk_paging *p, walk_read_fn read, void *ctx)
{
	uint64_t base = p->cr3 & PAE_CR3_MASK;
	uint64_t e[4];

	for (unsigned i = 0; i < 4; i++) {
		if (!read(ctx, base + 8 * i, 8, &e[i]))
			return WALK_TABLE_NOT_RAM;
		if ((e[i] & GPTE_P) && (e[i] & walk_reserved_bits(p, 3, e[i])))
			return WALK_FAULT; /* §4.4.1: MOV to CR3 raises #GP(0) */
	}
	for (unsigned i = 0; i < 4; i++) /* all or nothing, like the MOV */
		p->pdpte[i] = e[i];
	return WALK_OK;
}

/* §4.7: I/D is reported only with SMEP, or with PAE/4-level paging and NXE. */
static uint32_t fault_access_bits(const struct walk_paging *p, uint32_t access)
{
	uint32_t err = access & (PF_ERR_W | PF_ERR_U);
	bool nx_mode = (p->mode == WALK_MODE_PAE || p->mode == WALK_MODE_LONG4) && p->nxe;

	if ((access & WALK_ACC_FETCH) && (p->smep || nx_mode))
		err |= PF_ERR_I;
	return err;
}

static void fail(const struct walk_paging *p, uint32_t access, uint32_t extra,
                 struct walk_result *r)
{
	r->status = WALK_FAULT;
	r->error_code = fault_access_bits(p, access) | extra;
}

/* The access-rights rules of §4.6.1, given rights accumulated over the whole walk. */
static bool rights_allow(const struct walk_paging *p, uint32_t access, const struct walk_result *r)
{
	bool user_mode = access & WALK_ACC_USER;
	bool smap_blocks = r->user && p->smap && !(access & WALK_ACC_AC);

	if (access & WALK_ACC_FETCH) {
		if (user_mode)
			return r->user && !r->exec_disabled;
		return !(r->user && p->smep) && !r->exec_disabled;
	}
	if (user_mode)
		return r->user && (!(access & WALK_ACC_WRITE) || r->writable);
	if (smap_blocks)
		return false;
	return !(access & WALK_ACC_WRITE) || !p->wp || r->writable;
}

static unsigned level_index(const struct walk_paging *p, uint64_t la, unsigned level)
{
	if (p->mode == WALK_MODE_32BIT)
		return (unsigned)(la >> (12 + 10 * (level - 1))) & 0x3ff;
	return (unsigned)(la >> (12 + 9 * (level - 1))) & 0x1ff;
}

static uint64_t leaf_frame(const struct walk_paging *p, unsigned level, uint64_t entry,
                           uint64_t *size)
{
	uint64_t mask = walk_phys_mask(p->maxphyaddr);

	if (level == 1) {
		*size = WALK_PAGE_SIZE;
		return entry & (p->mode == WALK_MODE_32BIT ? ADDR32_TABLE_MASK : mask);
	}
	if (p->mode == WALK_MODE_32BIT) {
		*size = SIZE_4M;
		uint64_t hi = (entry & GPTE32_PSE_HI_MASK) >> GPTE32_PSE_HI_SHIFT;
		return (entry & ADDR32_4M_MASK) | (hi << 32);
	}
	*size = level == 2 ? SIZE_2M : SIZE_1G;
	return entry & mask & ~(*size - 1);
}

static uint64_t next_table(const struct walk_paging *p, uint64_t entry)
{
	if (p->mode == WALK_MODE_32BIT)
		return entry & ADDR32_TABLE_MASK;
	return entry & walk_phys_mask(p->maxphyaddr);
}

static bool is_canonical48(uint64_t la)
{
	uint64_t top = la >> 47;
	return top == 0 || top == ((uint64_t)1 << 17) - 1;
}

/* Start of the walk: the first table and its level, or a fault from a PAE PDPTE. */
static bool walk_start(const struct walk_paging *p, uint64_t la, uint32_t access, uint64_t *table,
                       unsigned *level, struct walk_result *r)
{
	if (p->mode == WALK_MODE_LONG4) {
		*table = p->cr3 & walk_phys_mask(p->maxphyaddr);
		*level = 4;
		return true;
	}
	if (p->mode == WALK_MODE_32BIT) {
		*table = p->cr3 & ADDR32_TABLE_MASK;
		*level = 2;
		return true;
	}
	uint64_t pdpte = p->pdpte[(la >> 30) & 3];
	if (!(pdpte & GPTE_P)) {
		fail(p, access, 0, r);
		return false;
	}
	if (pdpte & walk_reserved_bits(p, 3, pdpte)) {
		fail(p, access, PF_ERR_P | PF_ERR_RSVD, r);
		return false;
	}
	*table = pdpte & walk_phys_mask(p->maxphyaddr);
	*level = 2;
	return true;
}

static void translate_unpaged(uint64_t la, struct walk_result *r)
{
	r->status = WALK_OK;
	r->gpa = la & 0xffffffff; /* protected mode without paging: 32-bit linear */
	r->page_size = WALK_PAGE_SIZE;
	r->writable = true;
	r->user = true;
}

/* Record which A/D bits the successful walk sets (§4.8: A on every entry used, D on the
 * entry that maps the page, for a write). */
static void note_ad_bits(uint32_t access, struct walk_result *r)
{
	for (unsigned i = 0; i < r->nr_levels; i++) {
		struct walk_level *l = &r->level[i];
		bool leaf = i + 1 == r->nr_levels;
		if (!(l->entry & GPTE_A))
			l->set_bits |= GPTE_A;
		if (leaf && (access & WALK_ACC_WRITE) && !(l->entry & GPTE_D))
			l->set_bits |= GPTE_D;
	}
}

void walk_translate(const struct walk_paging *p, uint64_t la, uint32_t access, walk_read_fn read,
                    void *ctx, struct walk_result *r)
{
	uint64_t table;
	unsigned level;

	__builtin_memset(r, 0, sizeof(*r));
	if (p->mode == WALK_MODE_NONE) {
		translate_unpaged(la, r);
		return;
	}
	if (p->mode == WALK_MODE_LONG4 && !is_canonical48(la)) {
		r->status = WALK_NONCANONICAL;
		return;
	}
	if (p->mode != WALK_MODE_LONG4)
		la &= 0xffffffff;
	if (!walk_start(p, la, access, &table, &level, r))
		return;
	r->writable = r->user = true;
	for (;;) {
		struct walk_level *l = &r->level[r->nr_levels];
		l->size = p->mode == WALK_MODE_32BIT ? 4 : 8;
		l->entry_gpa = table + (uint64_t)level_index(p, la, level) * l->size;
		if (!read(ctx, l->entry_gpa, l->size, &l->entry)) {
			r->status = WALK_TABLE_NOT_RAM;
			r->bad_table_gpa = table;
			return;
		}
		r->nr_levels++;
		if (!(l->entry & GPTE_P)) {
			fail(p, access, 0, r);
			return;
		}
		if (l->entry & walk_reserved_bits(p, level, l->entry)) {
			fail(p, access, PF_ERR_P | PF_ERR_RSVD, r);
			return;
		}
		r->writable = r->writable && (l->entry & GPTE_RW);
		r->user = r->user && (l->entry & GPTE_US);
		if (p->nxe && p->mode != WALK_MODE_32BIT && (l->entry & GPTE_XD))
			r->exec_disabled = true;
		if (level == 1 || is_large_leaf(p, level, l->entry))
			break;
		table = next_table(p, l->entry);
		level--;
	}
	uint64_t frame = leaf_frame(p, level, r->level[r->nr_levels - 1].entry, &r->page_size);
	r->gpa = frame + (la & (r->page_size - 1));
	if (!rights_allow(p, access, r)) {
		fail(p, access, PF_ERR_P, r);
		return;
	}
	r->status = WALK_OK;
	note_ad_bits(access, r);
}

bool walk_commit_ad(const struct walk_result *r, walk_write_fn write, void *ctx)
{
	if (r->status != WALK_OK)
		return true;
	for (unsigned i = 0; i < r->nr_levels; i++) {
		const struct walk_level *l = &r->level[i];
		if (l->set_bits && !write(ctx, l->entry_gpa, l->size, l->entry | l->set_bits))
			return false;
	}
	return true;
}
