/*
 * Guest RAM as the pool sees it: the tracking words (pool/track.h), made
 * current lazily after a flush-all, and the reverse map from a host frame to
 * the guest frame it backs, needed to drop the reference a leaf holds.
 *
 * Reverse map memory: 4 bytes x (power of two >= 2 x guest frames), i.e.
 * 8..16 bytes per guest page, instead of a 2 KiB gfn side array per pool page.
 */
#include "pool/internal.h"

static uint64_t rmap_hash(uint64_t hfn)
{
	return (hfn * 0x9E3779B97F4A7C15ull) >> 17;
}

uint64_t trk_peek(const struct pool *p, uint64_t gfn)
{
	uint64_t t = p->env.track[gfn];

	return track_current(t, p->generation) ? t : track_fresh(t, p->generation);
}

uint64_t trk_get(struct pool *p, uint64_t gfn)
{
	uint64_t t = trk_peek(p, gfn);

	p->env.track[gfn] = t;
	return t;
}

void trk_put(struct pool *p, uint64_t gfn, uint64_t t)
{
	p->env.track[gfn] = t;
}

/* Make every word current: needed once per TRACK_GEN_PERIOD generations so
 * that a stale word can never look current again. */
void trk_sweep(struct pool *p)
{
	for (uint64_t gfn = 0; gfn < p->env.guest_frames; gfn++)
		p->env.track[gfn] = track_fresh(p->env.track[gfn], p->generation);
}

/* Slot of hpa in the reverse map: its gfn + 1, or the empty slot (0). */
static uint64_t rmap_slot(const struct pool *p, uint64_t hpa)
{
	uint64_t i = rmap_hash(hpa >> 12) & p->rmap_mask;

	while (p->rmap[i] != 0 && track_hpa(p->env.track[p->rmap[i] - 1]) != hpa)
		i = (i + 1) & p->rmap_mask;
	return i;
}

int rmap_build(struct pool *p)
{
	for (uint64_t gfn = 0; gfn < p->env.guest_frames; gfn++) {
		uint64_t t = p->env.track[gfn];
		if (t == 0 || (t & ~TRACK_HPA_MASK) != 0)
			return POOL_ERR_HOST_ADDR;
		uint64_t slot = rmap_slot(p, t);
		if (p->rmap[slot] != 0)
			return POOL_ERR_DUP_HOST;
		p->rmap[slot] = (uint32_t)(gfn + 1);
	}
	return POOL_OK;
}

uint64_t pool_hpa_gfn(const struct pool *p, uint64_t hpa)
{
	hpa &= ~(uint64_t)0xFFF;
	if (hpa & ~TRACK_HPA_MASK)
		return POOL_NO_GFN;
	uint32_t v = p->rmap[rmap_slot(p, hpa)];
	return v ? (uint64_t)v - 1 : POOL_NO_GFN;
}

uint64_t pool_gfn_hpa(const struct pool *p, uint64_t gfn)
{
	return gfn < p->env.guest_frames ? track_hpa(p->env.track[gfn]) : 0;
}

void *pool_ram_ptr(const struct pool *p, uint64_t gpa)
{
	uint64_t hpa = pool_gfn_hpa(p, gpa >> 12);

	return hpa ? (uint8_t *)p->env.phys_to_ptr(p->env.ctx, hpa) + (gpa & 0xFFF) : 0;
}

static bool range_in_ram(const struct pool *p, uint64_t gpa, uint64_t len)
{
	uint64_t end = gpa + len;

	return end >= gpa && (end + 0xFFF) >> 12 <= p->env.guest_frames;
}

bool pool_ram_read(const struct pool *p, uint64_t gpa, void *dst, uint64_t len)
{
	if (!range_in_ram(p, gpa, len))
		return false;
	for (uint64_t done = 0, n; done < len; done += n) {
		uint64_t room = 0x1000 - ((gpa + done) & 0xFFF);
		n = len - done < room ? len - done : room;
		__builtin_memcpy((uint8_t *)dst + done, pool_ram_ptr(p, gpa + done), n);
	}
	return true;
}

bool pool_ram_write(const struct pool *p, uint64_t gpa, const void *src, uint64_t len)
{
	if (!range_in_ram(p, gpa, len))
		return false;
	for (uint64_t done = 0, n; done < len; done += n) {
		uint64_t room = 0x1000 - ((gpa + done) & 0xFFF);
		n = len - done < room ? len - done : room;
		__builtin_memcpy(pool_ram_ptr(p, gpa + done), (const uint8_t *)src + done, n);
	}
	return true;
}

bool pool_gfn_monitored(const struct pool *p, uint64_t gfn)
{
	return gfn < p->env.guest_frames && track_monitored(trk_peek(p, gfn));
}
