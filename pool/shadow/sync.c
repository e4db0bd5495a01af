/*
 * Shadow paging: the #PF sync path. Walk the guest; reflect the guest's own faults;
 * otherwise set the guest's A/D bits as hardware would (SDM Vol. 3A §4.8) and fill the
 * shadow down the walk through the pool. See shadow.h for the model.
 */
#include "pool/shadow/shadow.h"
#include "pool/shadow/internal.h"

#define SIZE_2M        ((uint64_t)1 << 21)
#define SIZE_1G        ((uint64_t)1 << 30)
#define SYNC_MAX_LOCKS 8

/* Full rights: for links whose guest level has no rights (PAE PDPTEs, splits). */
#define LINK_FULL  (POOL_PTE_P | POOL_PTE_RW | POOL_PTE_US | POOL_PTE_A)
/* A PAE-format PDPTE may carry only P, PWT, PCD and the address (Table 4-8). */
#define LINK_PDPTE POOL_PTE_P
/* Leaf of a split large page or an identity map: rights sit on the link above. */
#define LEAF_FULL  (POOL_PTE_P | POOL_PTE_RW | POOL_PTE_US | POOL_PTE_A | POOL_PTE_D)

struct sync {
	struct shadow_vcpu *v;
	struct pool *p;
	uint64_t la;
	uint16_t locked[SYNC_MAX_LOCKS];
	unsigned nlocked;
};

static bool guest_nx(const struct shadow_vcpu *v, uint64_t g)
{
	return v->paging.nxe && v->paging.mode != WALK_MODE_32BIT && (g & GPTE_XD);
}

/* Rights of a guest entry for the shadow link or leaf that mirrors it. A large page or a
 * leaf is writable in the shadow only once dirty, so the first write faults (§4.8). */
static uint64_t rights_of(const struct shadow_vcpu *v, uint64_t g, bool maps_page)
{
	uint64_t f = POOL_PTE_P | POOL_PTE_A;

	if ((g & GPTE_RW) && (!maps_page || (g & GPTE_D)))
		f |= POOL_PTE_RW;
	if (g & GPTE_US)
		f |= POOL_PTE_US;
	if (guest_nx(v, g))
		f |= POOL_PTE_NX;
	return f;
}

static void hold(struct sync *s, uint16_t idx)
{
	if (s->nlocked < SYNC_MAX_LOCKS) {
		pool_lock(s->p, idx);
		s->locked[s->nlocked++] = idx;
	}
}

static void release(struct sync *s)
{
	while (s->nlocked)
		pool_unlock(s->p, s->locked[--s->nlocked]);
}

/* The child table (kind, gpa) under parent's entry for la at `level` (the parent's). */
static int descend(struct sync *s, uint16_t parent, unsigned level, enum pool_kind kind,
                   uint64_t gpa, uint64_t flags, uint16_t *child)
{
	unsigned i = shadow_index(s->v, s->la, level);
	uint64_t e = pool_page_entries(s->p, parent)[i];
	uint16_t c = pool_pte_present(e) ? pool_entry_child(s->p, e) : 0;

	if (!c || pool_page_kind(s->p, c) != kind || pool_page_gpa(s->p, c) != gpa ||
	    pool_page_ctx(s->p, c) != s->v->ctx) {
		int rc = pool_alloc_linked(s->p, kind, gpa, s->v->ctx, parent, i, flags, &c, 0);
		if (rc != POOL_OK)
			return rc;
		e = pool_page_entries(s->p, parent)[i];
	}
	if ((e & POOL_LINK_FLAGS_MASK) != flags) {
		int rc = pool_link(s->p, parent, i, c, flags);
		if (rc != POOL_OK)
			return rc;
	}
	hold(s, c);
	*child = c;
	return POOL_OK;
}

static int fill_leaf(struct sync *s, uint16_t pt, uint64_t gpa, uint64_t flags)
{
	unsigned i = shadow_index(s->v, s->la, 1);
	uint64_t gfn = gpa >> WALK_PAGE_SHIFT;

	if (pool_leaf_gfn(s->p, pt, i) == gfn)
		return pool_leaf_update(s->p, pt, i, flags);
	return pool_leaf_set(s->p, pt, i, gfn, flags);
}

static uint64_t walk_entry(const struct walk_result *r, unsigned i)
{
	return r->level[i].entry | r->level[i].set_bits; /* as committed */
}

/* PD level and below, shared by every mode: pd holds the entry for la; the walk's
 * entries from `first` on are the guest PDE (and PTE). pd_is_32 selects 32-bit tables. */
static int fill_from_pd(struct sync *s, uint16_t pd, const struct walk_result *r, unsigned first)
{
	struct shadow_vcpu *v = s->v;
	uint64_t pde = walk_entry(r, first);
	bool is32 = v->paging.mode == WALK_MODE_32BIT;
	unsigned half = (unsigned)(s->la >> 21) & 1;
	uint64_t table = is32 ? (pde & 0xfffff000) : (pde & walk_phys_mask(v->paging.maxphyaddr));
	uint16_t pt;
	int rc;

	if (r->nr_levels == first + 1) { /* large page: split it */
		uint64_t base = r->gpa & ~(SIZE_2M - 1);
		enum pool_kind k = POOL_KIND_PT_SPLIT_2M;
		if (is32)
			k = half ? POOL_KIND_PT_SPLIT_4M_HI : POOL_KIND_PT_SPLIT_4M_LO;
		rc = descend(s, pd, 2, k, base, rights_of(v, pde, true), &pt);
		return rc ? rc : fill_leaf(s, pt, r->gpa, LEAF_FULL);
	}
	enum pool_kind k = POOL_KIND_PT_PAE;
	if (is32)
		k = half ? POOL_KIND_PT_32_HI : POOL_KIND_PT_32_LO;
	rc = descend(s, pd, 2, k, table, rights_of(v, pde, false), &pt);
	if (rc)
		return rc;
	return fill_leaf(s, pt, r->gpa, rights_of(v, walk_entry(r, first + 1), true) | POOL_PTE_D);
}

static int fill_long(struct sync *s, uint16_t root, const struct walk_result *r)
{
	struct shadow_vcpu *v = s->v;
	uint64_t mask = walk_phys_mask(v->paging.maxphyaddr);
	uint64_t pml4e = walk_entry(r, 0), pdpte = walk_entry(r, 1);
	uint16_t pdpt, pd, pt;
	int rc = descend(s, root, 4, POOL_KIND_PDPT_LONG, pml4e & mask, rights_of(v, pml4e, false),
	                 &pdpt);

	if (rc)
		return rc;
	if (r->nr_levels == 2) { /* 1 GiB page: a split PD of split PTs */
		uint64_t base = r->gpa & ~(SIZE_1G - 1);
		rc = descend(s, pdpt, 3, POOL_KIND_PD_SPLIT_1G, base, rights_of(v, pdpte, true),
		             &pd);
		if (!rc)
			rc = descend(s, pd, 2, POOL_KIND_PT_SPLIT_2M, r->gpa & ~(SIZE_2M - 1),
			             LINK_FULL, &pt);
		return rc ? rc : fill_leaf(s, pt, r->gpa, LEAF_FULL);
	}
	rc = descend(s, pdpt, 3, POOL_KIND_PD_PAE, pdpte & mask, rights_of(v, pdpte, false), &pd);
	return rc ? rc : fill_from_pd(s, pd, r, 2);
}

static int fill_pae_hw(struct sync *s, uint16_t root, const struct walk_result *r)
{
	struct shadow_vcpu *v = s->v;
	unsigned q = (unsigned)(s->la >> 30) & 3;
	uint16_t pd, pt;
	int rc;

	switch (v->paging.mode) {
	case WALK_MODE_PAE:
		rc = descend(s, root, 3, POOL_KIND_PD_PAE,
		             v->paging.pdpte[q] & walk_phys_mask(v->paging.maxphyaddr), LINK_PDPTE,
		             &pd);
		return rc ? rc : fill_from_pd(s, pd, r, 0);
	case WALK_MODE_32BIT:
		rc = descend(s, root, 3, (enum pool_kind)(POOL_KIND_PD_32_Q0 + q),
		             v->paging.cr3 & 0xfffff000, LINK_PDPTE, &pd);
		return rc ? rc : fill_from_pd(s, pd, r, 0);
	default: /* unpaged: identity within guest RAM */
		rc = descend(s, root, 3, POOL_KIND_PD_IDENTITY, (uint64_t)q << 30, LINK_PDPTE, &pd);
		if (!rc)
			rc = descend(s, pd, 2, POOL_KIND_PT_IDENTITY, r->gpa & ~(SIZE_2M - 1),
			             LINK_FULL, &pt);
		return rc ? rc : fill_leaf(s, pt, r->gpa, LEAF_FULL);
	}
}

static enum shadow_result fill(struct shadow_vcpu *v, uint64_t la, const struct walk_result *r)
{
	struct sync s = {.v = v, .p = v->pool, .la = la};
	uint16_t root = shadow_current_root(v);

	if (!root)
		return SHADOW_NO_MEMORY;
	hold(&s, root);
	int rc = v->hw == SHADOW_HW_LONG ? fill_long(&s, root, r) : fill_pae_hw(&s, root, r);
	release(&s);
	if (rc == POOL_ERR_NOT_RAM)
		return SHADOW_NOT_RAM;
	return rc == POOL_OK ? SHADOW_FIXED : SHADOW_NO_MEMORY;
}

static void set_result(struct shadow_vcpu *v, struct shadow_fault *f, enum shadow_result res)
{
	f->result = res;
	switch (res) {
	case SHADOW_FIXED:
		v->stats.fixed++;
		break;
	case SHADOW_REFLECT:
		v->stats.reflected++;
		break;
	case SHADOW_EMULATE:
		v->stats.emulated++;
		break;
	case SHADOW_NOT_RAM:
		v->stats.not_ram++;
		break;
	case SHADOW_GP:
		v->stats.gp++;
		break;
	default:
		v->stats.no_memory++;
		break;
	}
}

/* The walk succeeded: decide between fill and emulation. */
static enum shadow_result sync_allowed(struct shadow_vcpu *v, uint64_t la, uint32_t access,
                                       const struct walk_result *r)
{
	bool write = access & WALK_ACC_WRITE;
	uint64_t gfn = r->gpa >> WALK_PAGE_SHIFT;

	if (!pool_gfn_hpa(v->pool, gfn))
		return SHADOW_NOT_RAM;
	if (write && r->nr_levels && (r->level[r->nr_levels - 1].set_bits & GPTE_D))
		v->stats.dirty_faults++;
	if (write && !r->writable)
		return SHADOW_EMULATE; /* supervisor write allowed by guest CR0.WP = 0 */
	enum shadow_result res = fill(v, la, r);
	if (res == SHADOW_FIXED && write && pool_gfn_monitored(v->pool, gfn))
		return SHADOW_EMULATE; /* a guest page table: the write must be seen */
	return res;
}

void shadow_sync(struct shadow_vcpu *v, uint64_t la, uint32_t access, struct shadow_fault *f)
{
	struct walk_result r;

	v->stats.syncs++;
	__builtin_memset(f, 0, sizeof(*f));
	walk_translate(&v->paging, la, access, shadow_read_guest, v->pool, &r);
	switch (r.status) {
	case WALK_NONCANONICAL:
		set_result(v, f, SHADOW_GP);
		return;
	case WALK_TABLE_NOT_RAM:
		f->gpa = r.bad_table_gpa;
		set_result(v, f, SHADOW_NOT_RAM);
		return;
	case WALK_FAULT:
		f->error_code = r.error_code;
		f->cr2 = v->paging.mode == WALK_MODE_LONG4 ? la : (la & 0xffffffff);
		set_result(v, f, SHADOW_REFLECT);
		return;
	default:
		break;
	}
	/* Hardware sets A/D once the translation succeeds, whatever the target (§4.8). */
	walk_commit_ad(&r, shadow_write_guest, v->pool);
	f->gpa = r.gpa;
	set_result(v, f, sync_allowed(v, la, access, &r));
}
