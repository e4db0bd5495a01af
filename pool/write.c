/*
 * A guest write to one of its monitored page tables (already emulated by the
 * caller). Normally the shadow entries covering the guest entries written are
 * cleared in every shadow of the page, to be refilled on the next fault.
 * When the pattern says following each write is a waste, or the page is no
 * longer a page table, the whole shadow is flushed instead; the rule that
 * fired is counted (enum pool_rule).
 */
#include "pool/internal.h"

/* Reserved bits of a present entry by kind, for a guest MAXPHYADDR of at most
 * 48 (guest RAM is below that): SDM Vol. 3A §4.4.1 Table 4-8 (PAE PDPTE: bits
 * 1, 2, 5..8, 48..63), §4.5 Tables 4-14/4-15 (PML4E: bit 7; bits 48..51),
 * §4.3 Table 4-4 (32-bit 4 MiB PDE: bit 21). */
static uint64_t reserved_bits(enum pool_kind kind, uint64_t value)
{
	switch (kind) {
	case POOL_KIND_PDPT_PAE:
		return 0xFFFF0000000001E6ull;
	case POOL_KIND_PML4_LONG:
		return 0x000F000000000080ull;
	case POOL_KIND_PT_PAE:
	case POOL_KIND_PD_PAE:
	case POOL_KIND_PDPT_LONG:
		return 0x000F000000000000ull;
	case POOL_KIND_PD_32_Q0:
	case POOL_KIND_PD_32_Q1:
	case POOL_KIND_PD_32_Q2:
	case POOL_KIND_PD_32_Q3:
		return (value & POOL_PTE_PS) ? 0x00200000ull : 0;
	default:
		return 0;
	}
}

/* Misaligned writes and full-entry values with reserved bits are not what an
 * OS does to a page table: the page is being reused as data. */
static bool implausible(enum pool_kind kind, unsigned off, unsigned size, uint64_t value,
                        const struct kind_geometry *g)
{
	if ((size != 1 && size != 2 && size != 4 && size != 8) || (off & (size - 1)))
		return true;
	if (size != g->entry_size || !(value & POOL_PTE_P))
		return false;
	return (value & reserved_bits(kind, value)) != 0;
}

/* A full-entry write to a leaf shadow that keeps the frame and leaves R/W
 * clear: what fork does to every PTE of the parent. */
static bool write_protect_only(struct pool *p, uint16_t idx, unsigned off, unsigned size,
                               uint64_t value, const struct kind_geometry *g)
{
	unsigned gentry = off / g->entry_size;
	uint64_t mask = g->entry_size == 4 ? 0xFFFFF000ull : POOL_PTE_ADDR_MASK;

	if (pool_kind_level(pg(p, idx)->kind) != 1 || size != g->entry_size || (off % size) ||
	    gentry < g->first || gentry >= g->first + g->count)
		return false;
	if (!(value & POOL_PTE_P) || (value & POOL_PTE_RW))
		return false;
	return pool_leaf_gfn(p, idx, gentry - g->first) == (value & mask) >> 12;
}

/* Present entries of shadow page idx below shadow entry `limit`. */
static unsigned present_below(struct pool *p, uint16_t idx, unsigned limit)
{
	const uint64_t *e = page_entries(p, idx);
	unsigned n = 0;

	for (unsigned i = 0; i < limit; i++)
		n += pool_pte_present(e[i]);
	return n;
}

/*
 * The fork rule, past fork_limit consecutive write-protect-only writes (the current one
 * included). A fork write-protects the parent's writable PTEs, in address order, and
 * leaves the others alone (read-only text, the zero page, shared mappings). Following
 * the writes costs one trap per write-protect; flushing the shadow saves the traps still
 * to come but drops every entry the fork leaves alone, each of which then refaults. So
 * weigh them on what the run has shown: below the entry written, the fork cleared k - 1
 * entries (k = the run; the k-th is being written) and left s entries present; assume
 * the same share, d = k / (k + s), among the r entries present above it. Flush iff the
 * traps saved exceed the entries lost:
 *     d * r > s + (1 - d) * r   <=>   (k - s) * r > s * (k + s).
 * A page write-protected wholesale (s = 0) still flushes at fork_limit; a page of which
 * the fork touches a small part (most entries read-only) is followed write by write; a
 * run that reached the page's last present entry (r = 0) has nothing left to save.
 * Cost: one scan of the shadow page per write once the run is fork_limit long.
 */
static bool fork_rule_fires(struct pool *p, uint16_t idx, unsigned off,
                            const struct kind_geometry *g)
{
	struct pool_page *page = pg(p, idx);
	/* write_protect_only() made sure: level 1 (one shadow entry per guest entry),
	 * entry in range and present. */
	unsigned entry = off / g->entry_size - g->first;
	uint64_t k = page->wp_run, s, r;

	if (k < p->cfg.fork_limit)
		return false;
	s = present_below(p, idx, entry);
	r = page->present - s - 1;
	return k > s && (k - s) * r > s * (k + s);
}

/*
 * Writes the too-many-writes rule lets through (mod_count counts those since the page
 * last gained an entry, pool/entry.c): write_limit for a page in use; one for a page
 * that holds no entry and that nothing links to (e.g. the shadow of a table the guest
 * has emptied, unlinked and now recycles), as dropping it loses nothing, while keeping
 * it makes every write to its frame trap. Locked pages are never dropped by a rule.
 */
static unsigned write_threshold(const struct pool *p, const struct pool_page *page)
{
	if (!page->present && !page->users && !page->lock)
		return 1;
	return p->cfg.write_limit;
}

static int rule_fired(struct pool *p, uint16_t idx, unsigned off, unsigned end, uint64_t value)
{
	struct pool_page *page = pg(p, idx);
	enum pool_kind kind = (enum pool_kind)page->kind;
	struct kind_geometry g;
	bool sequential = off == page->last_write_end;

	kind_geometry(kind, page->gpa, &g);
	page->mod_count++;
	page->zero_run = value == 0 ? (uint16_t)(sequential ? page->zero_run + 1 : 1) : 0;
	page->last_write_end = (uint16_t)end;
	bool wp = write_protect_only(p, idx, off, end - off, value, &g);
	page->wp_run = !wp ? 0 : page->wp_run == UINT16_MAX ? UINT16_MAX : page->wp_run + 1;

	if (implausible(kind, off, end - off, value, &g))
		return POOL_RULE_REUSE;
	if (page->zero_run >= p->cfg.zero_run_limit)
		return POOL_RULE_ZERO_FILL;
	if (wp && fork_rule_fires(p, idx, off, &g))
		return POOL_RULE_FORK;
	if (page->mod_count >= write_threshold(p, page))
		return POOL_RULE_WRITES;
	return -1;
}

/* Clear the shadow entries of page idx covering guest bytes [off, end). */
static unsigned clear_covered(struct pool *p, uint16_t idx, unsigned off, unsigned end)
{
	struct kind_geometry g;
	uint64_t *e = page_entries(p, idx);
	unsigned cleared = 0;

	kind_geometry((enum pool_kind)pg(p, idx)->kind, pg(p, idx)->gpa, &g);
	for (unsigned ge = off / g.entry_size; ge <= (end - 1) / g.entry_size; ge++) {
		if (ge < g.first || ge >= g.first + g.count)
			continue;
		for (unsigned k = 0; k < g.per; k++) {
			unsigned se = (ge - g.first) * g.per + k;
			if (pool_pte_present(e[se])) {
				pool_entry_clear(p, idx, se);
				cleared++;
			}
		}
	}
	return cleared;
}

static unsigned flush_by_rule(struct pool *p, uint16_t idx, int rule)
{
	unsigned result = POOL_GW_FLUSHED;

	p->stats.rules[rule]++;
	if (pg(p, idx)->present)
		result |= POOL_GW_CLEARED;
	if (pg(p, idx)->users)
		result |= POOL_GW_CLEARED;
	if (pg(p, idx)->lock) {
		page_clear(p, idx);
		p->stats.locked_clears++;
		return result | POOL_GW_LOCKED_FLUSHED;
	}
	page_free(p, idx, POOL_FLUSH_MONITOR);
	return result;
}

unsigned pool_guest_write(struct pool *p, uint64_t gpa, unsigned size, uint64_t value)
{
	uint64_t gfn = gpa >> 12;
	unsigned off = (unsigned)(gpa & 0xFFF);
	unsigned end = off + size > POOL_PAGE_SIZE ? POOL_PAGE_SIZE : off + size;
	unsigned result = POOL_GW_MONITORED;

	if (size == 0 || !pool_gfn_monitored(p, gfn))
		return 0;
	p->stats.monitored_writes++;
	for (uint16_t idx = pool_monitor_first(p, gfn), next; idx; idx = next) {
		next = pool_monitor_next(p, idx);
		int rule = rule_fired(p, idx, off, end, value);
		if (rule >= 0) {
			result |= flush_by_rule(p, idx, rule);
			continue;
		}
		unsigned cleared = clear_covered(p, idx, off, end);
		p->stats.write_clears += cleared;
		if (cleared)
			result |= POOL_GW_CLEARED;
	}
	return result;
}
