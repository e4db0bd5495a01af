/* The model test's reference walker: see ref_walk.h. */
#include "tests/unit/shadow_model/ref_walk.h"

#include <string.h>

#define BIT(n)       ((uint64_t)1 << (n))
#define BITS(lo, hi) ((~(uint64_t)0 >> (63 - (hi))) & ~(BIT(lo) - 1))

/* reserved bits of a present entry, MAXPHYADDR = 36 */
static uint64_t rsvd(const struct ref_cfg *c, int depth_left, uint64_t e)
{
	bool ps = e & BIT(7);
	uint64_t nx = c->nxe ? 0 : BIT(63);
	if (c->mode == REF_32)
		return (depth_left == 2 && c->pse && ps) ? BITS(17, 21) : 0;
	if (c->mode == REF_PAE)
		return BITS(36, 62) | nx | ((depth_left == 2 && ps) ? BITS(13, 20) : 0);
	uint64_t r = BITS(36, 51) | nx;
	if (depth_left == 4 && ps)
		r |= BIT(7);
	if (depth_left == 3 && ps)
		r |= BITS(13, 29);
	if (depth_left == 2 && ps)
		r |= BITS(13, 20);
	return r;
}

static uint32_t errbits(const struct ref_cfg *c, unsigned acc)
{
	uint32_t e = acc & 6;
	if ((acc & 16) && (c->smep || (c->mode != REF_32 && c->nxe)))
		e |= 16;
	return e;
}

void ref_walk(const struct ref_cfg *c, uint64_t la, unsigned acc, ref_read_fn rd, struct ref_out *o)
{
	memset(o, 0, sizeof(*o));
	if (c->mode == REF_NONE) {
		o->gpa = la & 0xffffffffu;
		return;
	}
	int levels, first_shift, idx_bits;
	uint64_t table;
	if (c->mode == REF_32) {
		levels = 2, first_shift = 22, idx_bits = 10, o->size = 4;
		table = c->cr3 & 0xfffff000u;
		la &= 0xffffffffu;
	} else if (c->mode == REF_PAE) {
		levels = 2, first_shift = 21, idx_bits = 9, o->size = 8;
		la &= 0xffffffffu;
		uint64_t pd = c->pdpte[la >> 30];
		if (!(pd & 1)) {
			o->kind = REF_PF, o->err = errbits(c, acc);
			return;
		}
		table = pd & BITS(12, 35);
	} else {
		levels = 4, first_shift = 39, idx_bits = 9, o->size = 8;
		table = c->cr3 & BITS(12, 35);
	}
	bool all_w = true, all_u = true, nx = false;
	uint64_t e = 0;
	int shift = first_shift;
	for (int i = 0; i < levels; i++, shift -= idx_bits) {
		uint64_t a = table + ((la >> shift) & ((1u << idx_bits) - 1)) * o->size;
		if (!rd(a, o->size, &e)) {
			o->kind = REF_BAD_TABLE;
			return;
		}
		o->addr[o->n] = a;
		o->after[o->n++] = e;
		if (!(e & 1)) {
			o->kind = REF_PF, o->err = errbits(c, acc);
			return;
		}
		if (e & rsvd(c, levels - i, e)) {
			o->kind = REF_PF, o->err = errbits(c, acc) | 1 | 8;
			return;
		}
		all_w &= (e >> 1) & 1;
		all_u &= (e >> 2) & 1;
		nx |= c->mode != REF_32 && c->nxe && (e >> 63);
		bool big = (e & BIT(7)) && i > 0 && i < levels - 1;
		bool big32 = c->mode == REF_32 && i == 0 && c->pse && (e & BIT(7));
		bool bigpae = c->mode == REF_PAE && i == 0 && (e & BIT(7));
		if (big || big32 || bigpae) {
			if (c->mode == REF_32)
				o->gpa = (e & 0xffc00000u) | (((e >> 13) & 0xff) << 32) |
				         (la & 0x3fffff);
			else
				o->gpa = (e & BITS(shift, 35)) | (la & (BIT(shift) - 1));
			break;
		}
		if (i == levels - 1) {
			o->gpa =
			    (e & (c->mode == REF_32 ? 0xfffff000u : BITS(12, 35))) | (la & 0xfff);
			break;
		}
		table = e & (c->mode == REF_32 ? 0xfffff000u : BITS(12, 35));
	}
	bool user = acc & 4, write = acc & 2, fetch = acc & 16, ac = acc & 256;
	bool ok;
	if (user)
		ok = all_u && (!write || all_w) && (!fetch || !nx);
	else if (fetch)
		ok = !nx && !(c->smep && all_u);
	else
		ok = !(c->smap && all_u && !ac) && (!write || !c->wp || all_w);
	if (!ok) {
		o->kind = REF_PF, o->err = errbits(c, acc) | 1; /* nothing set on a fault */
		return;
	}
	for (int i = 0; i < o->n; i++)
		o->after[i] |= BIT(5);
	if (write)
		o->after[o->n - 1] |= BIT(6);
	/* a table that maps itself: the same entry used at two levels gets both updates */
	for (int i = 0; i < o->n; i++)
		for (int j = 0; j < o->n; j++)
			if (o->addr[i] == o->addr[j])
				o->after[i] |= o->after[j];
}
