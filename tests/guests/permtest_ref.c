/* The reference model of an access and the enumeration of legal combinations. */
#include "tests/guests/permtest.h"

#include "tests/guests/pt.h"
#include "tests/guests/trap.h"

static uint64_t rsvd_bit;

void perm_set_rsvd_bit(uint64_t bit)
{
	rsvd_bit = bit;
}

uint64_t perm_rsvd_bit(void)
{
	return rsvd_bit;
}

uint64_t perm_pde_bits(const struct perm_case *c)
{
	return c->pde | (c->rsvd == RSVD_IN_PDE ? rsvd_bit : 0) | (c->large ? PTE_PS : 0);
}

uint64_t perm_pte_bits(const struct perm_case *c)
{
	return c->pte | (c->rsvd == RSVD_IN_PTE ? rsvd_bit : 0);
}

/* Reserved bits of a present entry: the address bit above MAXPHYADDR, and NX while
 * EFER.NXE=0 (SDM §4.4.2, §4.5.4 "Page-fault exceptions" / Table 4-19 notes). */
static bool reserved(uint64_t e, bool nxe)
{
	return (e & rsvd_bit) || (!nxe && (e & PTE_NX));
}

/* Error code bits from the access itself (SDM §4.7): W/R, U/S, and I/D only for a
 * fetch with PAE/4-level paging and EFER.NXE=1 (no SMEP here). */
static uint32_t access_bits(const struct perm_case *c)
{
	return (c->kind == ACC_WRITE ? PF_W : 0) | (c->user ? PF_U : 0) |
	       (c->kind == ACC_FETCH && c->nxe ? PF_ID : 0);
}

/* Combined rights over the PDE and PTE (SDM §4.6.1): the most restrictive wins. */
static bool denied(const struct perm_case *c, uint64_t pde, uint64_t pte)
{
	uint64_t leaf = c->large ? pde : pte;
	bool writable = (pde & PTE_W) && (leaf & PTE_W);
	bool user_ok = (pde & PTE_U) && (leaf & PTE_U);
	bool no_exec = c->nxe && ((pde | leaf) & PTE_NX);
	if (c->user && !user_ok)
		return true;
	if (c->kind == ACC_WRITE && !writable && (c->user || c->wp))
		return true;
	return c->kind == ACC_FETCH && no_exec;
}

static void fault(struct perm_outcome *o, uint32_t error)
{
	o->fault = true;
	o->error = error;
}

void perm_expect(const struct perm_case *c, struct perm_outcome *o)
{
	uint64_t pde = perm_pde_bits(c), pte = perm_pte_bits(c);
	uint32_t acc = access_bits(c);
	*o = (struct perm_outcome){false, 0, pde, ~0ull, pte, ~0ull};
	/* A walk that faults may or may not set A in the entries above the leaf; the leaf
	 * (the entry mapping the page) is never marked by a faulting access. */
	o->pde_check = c->large ? ~0ull : ~PTE_A;
	if (!(pde & PTE_P))
		return fault(o, acc);
	if (reserved(pde, c->nxe))
		return fault(o, acc | PF_P | PF_RSVD);
	if (!c->large) {
		if (!(pte & PTE_P))
			return fault(o, acc);
		if (reserved(pte, c->nxe))
			return fault(o, acc | PF_P | PF_RSVD);
	}
	if (denied(c, pde, pte))
		return fault(o, acc | PF_P);
	/* Success: A in every entry used, D in the leaf on a write (SDM §4.8). */
	o->pde_check = ~0ull;
	o->pde_after |= PTE_A;
	uint64_t dirty = c->kind == ACC_WRITE ? PTE_D : 0;
	if (c->large)
		o->pde_after |= dirty;
	else
		o->pte_after |= PTE_A | dirty;
}

/* Mixed-radix decoding: large(2) pde(64) pte(64) rsvd(3) wp nxe user kind(3) twice. */
static const uint64_t flag_bits[6] = {PTE_P, PTE_W, PTE_U, PTE_A, PTE_D, PTE_NX};

static uint64_t flags_of(uint32_t six)
{
	uint64_t f = 0;
	for (int i = 0; i < 6; i++)
		if (six & (1u << i))
			f |= flag_bits[i];
	return f;
}

static uint32_t take(uint32_t *index, uint32_t radix)
{
	uint32_t d = *index % radix;
	*index /= radix;
	return d;
}

bool perm_decode(uint32_t index, struct perm_case *c)
{
	c->twice = take(&index, 2);
	c->kind = (enum access_kind)take(&index, 3);
	c->user = take(&index, 2);
	c->nxe = take(&index, 2);
	c->wp = take(&index, 2);
	c->rsvd = (enum rsvd_place)take(&index, RSVD_PLACES);
	c->pte = flags_of(take(&index, 64));
	c->pde = flags_of(take(&index, 64));
	c->large = take(&index, 2);

	if (!(c->pde & PTE_P))
		return !c->large && c->pde == 0 && c->pte == 0 && c->rsvd == RSVD_NONE;
	if (c->large)
		return c->pte == 0 && c->rsvd != RSVD_IN_PTE;
	if (c->pde & PTE_D) /* bit 6 of a non-leaf PDE is ignored: not a combination */
		return false;
	if (!(c->pte & PTE_P))
		return c->pte == 0 && c->rsvd != RSVD_IN_PTE;
	return true;
}
