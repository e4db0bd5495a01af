/* Runs one combination at the test address: writes the PDE/PTE, sets CR0.WP and
 * EFER.NXE, INVLPG, one access (or two), then reads the entries back. */
#include "tests/guests/permtest.h"

#include "tests/guests/cpu.h"
#include "tests/guests/env.h"
#include "tests/guests/frames.h"
#include "tests/guests/pt.h"

#define PERM_VA     0x40200000u /* its own PDE; the PDPTE/PML4E above stay P|W|U */
#define PERM_OFFSET 0x100u

static uintptr_t pde_addr, pte_addr, table_frame, data_frame_4k, data_large;
static bool cur_wp = true, cur_nxe;

uintptr_t perm_test_va(void)
{
	return PERM_VA + PERM_OFFSET;
}

static void fill_ret(uintptr_t frame)
{
	*(volatile uint32_t *)(frame + PERM_OFFSET) = PERM_VALUE;
}

void perm_run_init(void)
{
	uintptr_t root = pt_current_root();
	data_frame_4k = frame_alloc();
	fill_ret(data_frame_4k);
	data_large = frame_alloc_large((uint32_t)pt_page_size(2));
	fill_ret(data_large);
	pt_map(root, PERM_VA, data_frame_4k, PTE_RW_USER);
	pte_addr = pt_entry(root, PERM_VA, 1, false);
	pde_addr = pt_entry(root, PERM_VA, 2, false);
	table_frame = (uintptr_t)(pt_get(pde_addr) & pt_addr_mask());
	cur_wp = read_cr0() & CR0_WP;
	cur_nxe = rdmsr(MSR_EFER) & EFER_NXE;
}

static void set_context(bool wp, bool nxe)
{
	if (wp != cur_wp) {
		set_wp(wp);
		cur_wp = wp;
	}
	if (nxe != cur_nxe) {
		set_nxe(nxe);
		cur_nxe = nxe;
	}
}

static void access(const struct perm_case *c, struct perm_seen *s, int n)
{
	uint32_t v = c->kind == ACC_WRITE ? PERM_VALUE : 0;
	s->fault[n] = probe_access(c->kind, c->user, perm_test_va(), &v);
	s->vector[n] = s->fault[n] ? last_fault.vector : 0;
	s->error[n] = s->fault[n] ? last_fault.error : 0;
	s->cr2[n] = s->fault[n] ? last_fault.cr2 : 0;
	s->value[n] = c->kind == ACC_READ ? v : PERM_VALUE;
}

void perm_run(const struct perm_case *c, struct perm_seen *s)
{
	uintptr_t leaf_frame = c->large ? data_large : table_frame;
	pt_set(pte_addr, data_frame_4k | perm_pte_bits(c));
	pt_set(pde_addr, leaf_frame | perm_pde_bits(c));
	set_context(c->wp, c->nxe);
	invlpg(perm_test_va());
	access(c, s, 0);
	if (c->twice)
		access(c, s, 1);
	/* The address bits are ours: XOR leaves the flags (and any reserved bit). */
	s->pde_after = pt_get(pde_addr) ^ leaf_frame;
	s->pte_after = pt_get(pte_addr) ^ data_frame_4k;
}
