/*
 * Entries opened for one stepped guest write (pool.h, "Stepped writes"): the
 * pool keeps the records, so a flush or a cleared entry can never leave a
 * caller undoing the wrong page.
 */
#include "pool/internal.h"

static int open_find(const struct pool *p, uint16_t idx, uint32_t entry)
{
	for (uint32_t i = 0; i < p->nopen; i++)
		if (p->open[i].page == idx && p->open[i].entry == entry)
			return (int)i;
	return -1;
}

int pool_open_entry(struct pool *p, uint16_t idx, uint32_t entry)
{
	if (!entry_ok(p, idx, entry) || !pool_pte_present(page_entries(p, idx)[entry]))
		return POOL_ERR_INVAL;
	if (open_find(p, idx, entry) >= 0) {
		/* Rewritten read-only meanwhile (a fill of the same entry): open again. */
		page_entries(p, idx)[entry] |= POOL_PTE_RW;
		return POOL_OK;
	}
	if (p->nopen == POOL_OPEN_MAX)
		return POOL_ERR_ALL_LOCKED;
	uint64_t *e = &page_entries(p, idx)[entry];
	p->open[p->nopen++] = (struct pool_open){idx, (uint16_t)entry, *e};
	pg(p, idx)->lock++;
	*e |= POOL_PTE_RW;
	return POOL_OK;
}

/* Only entries without R/W are ever opened: closing takes R/W away again from
 * every one still mapping what it mapped, whatever else rewrote it meanwhile
 * (at worst an extra fault refills it), so that nothing stays writable. */
void pool_close_entries(struct pool *p)
{
	while (p->nopen) {
		struct pool_open *o = &p->open[--p->nopen];
		uint64_t *e = &page_entries(p, o->page)[o->entry];
		if (pool_pte_present(*e) && pool_pte_addr(*e) == pool_pte_addr(o->old))
			*e &= ~POOL_PTE_RW;
		if (pg(p, o->page)->lock)
			pg(p, o->page)->lock--;
	}
}

void open_forget(struct pool *p, uint16_t idx, uint32_t entry)
{
	int i = open_find(p, idx, entry);

	if (i < 0)
		return;
	if (pg(p, idx)->lock)
		pg(p, idx)->lock--;
	p->open[i] = p->open[--p->nopen];
}
