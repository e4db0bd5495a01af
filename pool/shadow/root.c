/*
 * Shadow paging: the vCPU paging context, shadow roots (CR3 loads with recent roots kept
 * locked in the pool's root slots), control-register writes, INVLPG and guest writes.
 * See shadow.h for the model.
 */
#include "pool/shadow/shadow.h"
#include "pool/shadow/internal.h"

/* Control-register bits (SDM Vol. 3A §2.5, §2.2.1). */
#define CR0_WP_BIT        ((uint64_t)1 << 16)
#define CR4_PSE_BIT       ((uint64_t)1 << 4)
#define CR4_SMEP_BIT      ((uint64_t)1 << 20)
#define CR4_SMAP_BIT      ((uint64_t)1 << 21)
#define EFER_NXE_BIT      ((uint64_t)1 << 11)
#define PAE_CR3_PDPT_MASK ((uint64_t)0xffffffe0) /* §4.4.1 */
#define CR3_32_PD_MASK    ((uint64_t)0xfffff000) /* §4.3 */
#define PAE_ROOT_LIMIT    ((uint64_t)1 << 32)    /* PAE CR3 holds a 32-bit address */

/* ctx bits: settings under which the same guest table reads differently. */
#define CTX_PSE 0x1u
#define CTX_NXE 0x2u

static void *guest_ptr(struct pool *p, uint64_t gpa, unsigned size)
{
	uint64_t hpa = pool_gfn_hpa(p, gpa >> WALK_PAGE_SHIFT);
	uint64_t off = gpa & (WALK_PAGE_SIZE - 1);

	if (!hpa || off + size > WALK_PAGE_SIZE)
		return 0;
	return (uint8_t *)p->env.phys_to_ptr(p->env.ctx, hpa) + off;
}

bool shadow_read_guest(void *pool, uint64_t gpa, unsigned size, uint64_t *value)
{
	void *src = guest_ptr(pool, gpa, size);

	if (!src)
		return false;
	*value = 0;
	__builtin_memcpy(value, src, size); /* little endian, like the guest */
	return true;
}

bool shadow_write_guest(void *pool, uint64_t gpa, unsigned size, uint64_t value)
{
	void *dst = guest_ptr(pool, gpa, size);

	if (!dst)
		return false;
	__builtin_memcpy(dst, &value, size);
	return true;
}

static void decode_regs(struct shadow_vcpu *v)
{
	struct walk_paging *g = &v->paging;

	g->mode = walk_mode_from_regs(v->cr0, v->cr4, v->efer);
	g->wp = v->cr0 & CR0_WP_BIT;
	g->pse = v->cr4 & CR4_PSE_BIT;
	g->nxe = v->efer & EFER_NXE_BIT;
	g->smep = v->cr4 & CR4_SMEP_BIT;
	g->smap = v->cr4 & CR4_SMAP_BIT;
	g->gbpages = v->gbpages;
	v->hw = g->mode == WALK_MODE_LONG4 ? SHADOW_HW_LONG : SHADOW_HW_PAE;
	v->hw_smep = g->smep && g->mode != WALK_MODE_NONE;
	v->hw_smap = g->smap && g->mode != WALK_MODE_NONE;
	v->ctx = 0;
	if (g->mode == WALK_MODE_32BIT && g->pse)
		v->ctx |= CTX_PSE;
	if ((g->mode == WALK_MODE_PAE || g->mode == WALK_MODE_LONG4) && g->nxe)
		v->ctx |= CTX_NXE;
}

static struct shadow_root_key root_key(const struct shadow_vcpu *v)
{
	struct shadow_root_key k = {.ctx = v->ctx};
	uint64_t cr3 = v->paging.cr3;

	switch (v->paging.mode) {
	case WALK_MODE_LONG4:
		k.kind = POOL_KIND_PML4_LONG;
		k.gpa = cr3 & walk_phys_mask(v->paging.maxphyaddr);
		break;
	case WALK_MODE_PAE:
		k.kind = POOL_KIND_PDPT_PAE;
		k.gpa = cr3 & PAE_CR3_PDPT_MASK;
		break;
	case WALK_MODE_32BIT:
		k.kind = POOL_KIND_PDPT_FOR_32;
		k.gpa = cr3 & CR3_32_PD_MASK;
		break;
	default:
		k.kind = POOL_KIND_PDPT_IDENTITY;
		k.gpa = 0;
		break;
	}
	return k;
}

static bool key_equal(const struct shadow_root_key *a, const struct shadow_root_key *b)
{
	return a->kind == b->kind && a->ctx == b->ctx && a->gpa == b->gpa;
}

/* After pool_flush_all() every slot is empty and every index is void. */
static void forget_stale_slots(struct shadow_vcpu *v)
{
	if (v->generation == pool_generation(v->pool))
		return;
	__builtin_memset(v->slot_key, 0, sizeof(v->slot_key));
	v->generation = pool_generation(v->pool);
}

/* Put idx (key k) in slot 0 and shift the others down by one, dropping slot `from`. */
static void promote(struct shadow_vcpu *v, unsigned from, uint16_t idx, struct shadow_root_key k)
{
	struct pool *p = v->pool;

	pool_lock(p, idx); /* keep it alive while the slots move */
	for (unsigned s = from; s > 0; s--) {
		pool_root_set(p, s, pool_root_get(p, s - 1));
		v->slot_key[s] = v->slot_key[s - 1];
	}
	pool_root_set(p, 0, idx);
	v->slot_key[0] = k;
	pool_unlock(p, idx);
}

/* PAE guests: the root's entries follow the PDPTE registers, not guest memory. */
static void reconcile_pdptes(struct shadow_vcpu *v, uint16_t root)
{
	uint64_t *e = pool_page_entries(v->pool, root);
	uint64_t mask = walk_phys_mask(v->paging.maxphyaddr);

	for (unsigned i = 0; i < 4; i++) {
		if (!pool_pte_present(e[i]))
			continue;
		uint16_t child = pool_entry_child(v->pool, e[i]);
		uint64_t pdpte = v->paging.pdpte[i];
		if (!(pdpte & GPTE_P) || pool_page_gpa(v->pool, child) != (pdpte & mask))
			pool_entry_clear(v->pool, root, i);
	}
}

/* The recent slot a new root takes: an empty one (see drop_cleared_recent_roots), else
 * the oldest. */
static unsigned slot_for_new_root(const struct shadow_vcpu *v)
{
	for (unsigned s = 1; s < POOL_ROOT_SLOTS - 1; s++)
		if (!pool_root_get(v->pool, s))
			return s;
	return POOL_ROOT_SLOTS - 1;
}

static enum shadow_result make_root(struct shadow_vcpu *v, struct shadow_root_key k)
{
	uint16_t idx;
	int rc = pool_alloc(v->pool, k.kind, k.gpa, k.ctx, 0, 0, &idx, 0);

	if (rc == POOL_ERR_NOT_RAM)
		return SHADOW_NOT_RAM; /* the guest's top-level table is not guest RAM */
	if (rc != POOL_OK)
		return SHADOW_NO_MEMORY;
	if (v->hw == SHADOW_HW_PAE && pool_page_hpa(v->pool, idx) >= PAE_ROOT_LIMIT) {
		pool_page_flush(v->pool, idx);
		return SHADOW_NO_MEMORY;
	}
	v->stats.root_builds++;
	promote(v, slot_for_new_root(v), idx, k);
	return SHADOW_FIXED;
}

/* Make slot 0 hold the root for the current registers. */
enum shadow_result shadow_reload_root(struct shadow_vcpu *v)
{
	struct shadow_root_key k = root_key(v);
	struct pool *p = v->pool;

	forget_stale_slots(v);
	for (unsigned s = 0; s < POOL_ROOT_SLOTS; s++) {
		if (!key_equal(&v->slot_key[s], &k))
			continue;
		uint16_t idx = pool_root_check(p, s, (enum pool_kind)k.kind);
		if (!idx)
			continue;
		if (s > 0) {
			v->stats.root_recent_hits++;
			promote(v, s, idx, k);
		}
		pool_touch(p, idx);
		if (v->paging.mode == WALK_MODE_PAE)
			reconcile_pdptes(v, idx);
		return SHADOW_FIXED;
	}
	enum shadow_result res = make_root(v, k);
	if (res == SHADOW_FIXED && v->paging.mode == WALK_MODE_PAE)
		reconcile_pdptes(v, pool_root_get(p, 0));
	return res;
}

/* The root in slot 0, if it is what may become CR3 now: a live, locked page of
 * the kind the key names (and so of the level the hardware format walks). */
static uint16_t checked_root(struct shadow_vcpu *v, const struct shadow_root_key *k)
{
	if (!key_equal(&v->slot_key[0], k))
		return 0;
	return pool_root_check(v->pool, 0, (enum pool_kind)k->kind);
}

uint16_t shadow_current_root(struct shadow_vcpu *v)
{
	forget_stale_slots(v);
	struct shadow_root_key k = root_key(v);
	uint16_t idx = checked_root(v, &k);

	if (idx)
		return idx;
	if (shadow_reload_root(v) != SHADOW_FIXED)
		return 0;
	return checked_root(v, &k);
}

void shadow_init(struct shadow_vcpu *v, struct pool *pool, uint8_t maxphyaddr)
{
	__builtin_memset(v, 0, sizeof(*v));
	v->pool = pool;
	v->paging.maxphyaddr = maxphyaddr;
	v->gbpages = true;
	v->generation = pool_generation(pool);
	decode_regs(v);
}

static enum shadow_result load_paging(struct shadow_vcpu *v)
{
	if (v->paging.mode == WALK_MODE_PAE) {
		enum walk_status st = walk_load_pdptes(&v->paging, shadow_read_guest, v->pool);
		if (st == WALK_FAULT)
			return SHADOW_GP;
		if (st == WALK_TABLE_NOT_RAM)
			return SHADOW_NOT_RAM;
	}
	return shadow_reload_root(v);
}

enum shadow_result shadow_set_regs(struct shadow_vcpu *v, uint64_t cr0, uint64_t cr4, uint64_t efer)
{
	v->stats.reg_writes++;
	v->cr0 = cr0;
	v->cr4 = cr4;
	v->efer = efer;
	decode_regs(v);
	return load_paging(v);
}

enum shadow_result shadow_load_cr3(struct shadow_vcpu *v, uint64_t cr3)
{
	struct walk_paging old = v->paging;

	v->stats.cr3_loads++;
	v->paging.cr3 = cr3;
	enum shadow_result res = load_paging(v);
	if (res == SHADOW_GP || res == SHADOW_NOT_RAM)
		v->paging = old; /* the MOV faults: CR3 and the PDPTEs stay as they were */
	return res;
}

uint64_t shadow_root_hpa(struct shadow_vcpu *v)
{
	uint16_t root = shadow_current_root(v);

	return root ? pool_page_hpa(v->pool, root) : 0;
}

/* Follow the shadow links for la down to the level-1 table, or 0. */
static uint16_t shadow_pt_of(struct shadow_vcpu *v, uint64_t la)
{
	uint16_t t = shadow_current_root(v);
	unsigned level = v->hw == SHADOW_HW_LONG ? 4 : 3;

	while (t && level > 1) {
		unsigned i = shadow_index(v, la, level);
		uint64_t e = pool_page_entries(v->pool, t)[i];
		t = pool_pte_present(e) ? pool_entry_child(v->pool, e) : 0;
		level--;
	}
	return t;
}

void shadow_invlpg(struct shadow_vcpu *v, uint64_t la)
{
	v->stats.invlpgs++;
	uint16_t pt = shadow_pt_of(v, la);
	unsigned i = shadow_index(v, la, 1);

	if (pt && pool_pte_present(pool_page_entries(v->pool, pt)[i]))
		pool_entry_clear(v->pool, pt, i);
}

/*
 * A monitor rule cleared a locked page, i.e. a root, in place (POOL_GW_LOCKED_FLUSHED):
 * the guest is rewriting that top-level table, typically zeroing the frame of an exited
 * process's PML4 to reuse it. A RECENT root of that frame holds nothing any more, and
 * while it sits in its slot the frame stays monitored, so every later write to it traps:
 * empty the slot and free the page (the frame stops being monitored unless another
 * shadow of it remains). Its slot is taken first by the next new root. The CURRENT root
 * stays where it is: cleared, it holds no stale entry, and the next accesses refill it
 * from the guest's table through the normal faults (a PAE root's entries still follow
 * the PDPTE registers: descend() takes them from there).
 */
static void drop_cleared_recent_roots(struct shadow_vcpu *v, uint64_t gfn)
{
	struct pool *p = v->pool;

	forget_stale_slots(v);
	for (unsigned s = 1; s < POOL_ROOT_SLOTS; s++) {
		uint16_t idx = pool_root_get(p, s);
		if (!idx || pool_page_gfn(p, idx) != gfn || pool_page_present(p, idx) ||
		    !pool_kind_monitored(pool_page_kind(p, idx)))
			continue;
		pool_root_set(p, s, 0);
		__builtin_memset(&v->slot_key[s], 0, sizeof(v->slot_key[s]));
		pool_page_flush(p, idx);
		v->stats.roots_dropped++;
	}
}

bool shadow_forget_table(struct shadow_vcpu *v, uint64_t gfn)
{
	struct pool *p = v->pool;

	forget_stale_slots(v);
	for (unsigned s = 1; s < POOL_ROOT_SLOTS; s++) {
		uint16_t idx = pool_root_get(p, s);
		if (!idx || pool_page_gfn(p, idx) != gfn ||
		    !pool_kind_monitored(pool_page_kind(p, idx)))
			continue;
		pool_root_set(p, s, 0);
		__builtin_memset(&v->slot_key[s], 0, sizeof(v->slot_key[s]));
		v->stats.roots_dropped++;
	}
	return pool_unshadow_gfn(p, gfn);
}

unsigned shadow_guest_write(struct shadow_vcpu *v, uint64_t gpa, unsigned size, uint64_t value)
{
	v->stats.guest_writes++;
	unsigned res = pool_guest_write(v->pool, gpa, size, value);

	if (res & POOL_GW_LOCKED_FLUSHED)
		drop_cleared_recent_roots(v, gpa >> WALK_PAGE_SHIFT);
	return res;
}
