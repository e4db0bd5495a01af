/*
 * Pool set-up and tear-down. All metadata lives in one caller-provided area
 * (the kernel has no malloc), carved into arrays here; sizes follow the
 * reference: about two user records and two extents per pool page, hash
 * buckets a power of two of at least twice the pages.
 */
#include "pool/internal.h"

struct meta_layout {
	size_t pages, users, extents, cache, mon, rmap, phash, total;
	uint32_t buckets;
	uint64_t rmap_slots;
};

static uint64_t pow2_at_least(uint64_t n)
{
	uint64_t v = 1;

	while (v < n)
		v <<= 1;
	return v;
}

static uint32_t clamp(uint32_t v, uint32_t lo, uint32_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static void resolve_config(struct pool_config *c, const struct pool_config *in,
                           uint64_t guest_frames)
{
	uint64_t def = 64 + guest_frames / 64;

	*c = in ? *in : (struct pool_config){0};
	if (!c->max_pages)
		c->max_pages = def > POOL_MAX_PAGES ? POOL_MAX_PAGES : (uint32_t)def;
	c->max_pages = clamp(c->max_pages, 1, POOL_MAX_PAGES);
	c->grow_step = clamp(c->grow_step ? c->grow_step : POOL_DEFAULT_GROW_STEP, 1, c->max_pages);
	c->users = clamp(c->users ? c->users : 2 * c->max_pages, 1, POOL_MAX_USERS);
	c->extents = clamp(c->extents ? c->extents : 2 * c->max_pages, 1, POOL_MAX_EXTENTS);
	if (!c->write_limit)
		c->write_limit = 64;
	if (!c->zero_run_limit)
		c->zero_run_limit = 16;
	if (!c->fork_limit)
		c->fork_limit = 16;
}

static size_t align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

static void layout(struct meta_layout *m, const struct pool_config *c, uint64_t guest_frames)
{
	m->buckets = (uint32_t)pow2_at_least(
	    2 * (uint64_t)c->max_pages < 64 ? 64 : 2 * (uint64_t)c->max_pages);
	m->rmap_slots = pow2_at_least(guest_frames * 2 < 16 ? 16 : guest_frames * 2);
	m->pages = 0;
	m->users = m->pages + align8((c->max_pages + 1) * sizeof(struct pool_page));
	m->extents = m->users + align8((c->users + 1) * sizeof(struct pool_user));
	m->cache = m->extents + align8((c->extents + 1) * sizeof(struct pool_extent));
	m->mon = m->cache + align8(m->buckets * sizeof(uint16_t));
	m->rmap = m->mon + align8(m->buckets * sizeof(uint16_t));
	m->phash = m->rmap + align8(m->rmap_slots * sizeof(uint32_t));
	m->total = m->phash + align8(2 * m->buckets * sizeof(uint16_t));
}

size_t pool_meta_size(const struct pool_config *cfg, uint64_t guest_frames)
{
	struct pool_config c;
	struct meta_layout m;

	resolve_config(&c, cfg, guest_frames);
	layout(&m, &c, guest_frames);
	return m.total;
}

int pool_init(struct pool *p, const struct pool_config *cfg, const struct pool_env *env, void *meta,
              size_t meta_size)
{
	struct meta_layout m;
	char *base = meta;

	__builtin_memset(p, 0, sizeof(*p));
	p->env = *env;
	resolve_config(&p->cfg, cfg, env->guest_frames);
	layout(&m, &p->cfg, env->guest_frames);
	if (!meta || meta_size < m.total || ((uintptr_t)meta & 7) ||
	    env->guest_frames >= UINT32_MAX)
		return POOL_ERR_META;
	__builtin_memset(meta, 0, m.total);
	p->pages = (struct pool_page *)(base + m.pages);
	p->users = (struct pool_user *)(base + m.users);
	p->extents = (struct pool_extent *)(base + m.extents);
	p->cache_heads = (uint16_t *)(base + m.cache);
	p->mon_heads = (uint16_t *)(base + m.mon);
	p->rmap = (uint32_t *)(base + m.rmap);
	p->phash = (uint16_t *)(base + m.phash);
	p->phash_mask = 2 * m.buckets - 1;
	p->cache_mask = m.buckets - 1;
	p->mon_mask = m.buckets - 1;
	p->rmap_mask = m.rmap_slots - 1;
	p->nusers = p->cfg.users;
	p->nextents = p->cfg.extents;
	p->cursor = 1;
	p->user_cursor = 1;
	p->extent_cursor = 1;
	return rmap_build(p);
}

void pool_destroy(struct pool *p)
{
	for (uint32_t i = 1; i <= p->grown; i++)
		p->env.frame_free(p->env.ctx, pg(p, i)->hpa);
	p->grown = 0;
	__builtin_memset(p->phash, 0, (p->phash_mask + 1) * sizeof(uint16_t));
	p->cursor = 1;
	p->used = 0;
}
