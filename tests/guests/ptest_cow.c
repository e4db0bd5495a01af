/* Fork-like copy-on-write: parent and child trees map the same frames read-only; the
 * #PF handler gives the writer a private copy, as a Unix kernel does after fork(). */
#include "tests/guests/cpu.h"
#include "tests/guests/ptest.h"
#include "tests/guests/report.h"

#define COW_PAGES   8
#define COW_WRITTEN 4

static uintptr_t cow_va;
static uint32_t cow_faults, cow_bad_error;

static bool cow_fault(uintptr_t cr2, uint32_t error)
{
	if (cr2 < cow_va || cr2 >= cow_va + COW_PAGES * PAGE_SIZE)
		return false;
	if (error != (PF_P | PF_W)) {
		cow_bad_error = error;
		return false;
	}
	uintptr_t page = cr2 & ~(uintptr_t)(PAGE_SIZE - 1);
	uintptr_t pte = pt_entry(pt_current_root(), page, 1, false);
	uintptr_t old = (uintptr_t)(pt_get(pte) & pt_addr_mask());
	uintptr_t copy = frame_alloc();
	__builtin_memcpy((void *)copy, (const void *)old, PAGE_SIZE);
	pt_set(pte, copy | PTE_P | PTE_W);
	invlpg(page);
	cow_faults++;
	return true;
}

static uint32_t word_at(uintptr_t va)
{
	uint32_t v = 0;
	probe_read32(va, &v);
	return v;
}

void ptest_cow(void)
{
	cow_va = slot(SLOT_COW);
	uintptr_t parent = pt_new_root(), child = pt_new_root();
	uintptr_t frames[COW_PAGES];
	for (uint32_t i = 0; i < COW_PAGES; i++) {
		frames[i] = data_frame(600 + i);
		pt_map(parent, cow_va + i * PAGE_SIZE, frames[i], PTE_P);
		pt_map(child, cow_va + i * PAGE_SIZE, frames[i], PTE_P);
	}
	trap_set_pf_hook(cow_fault);

	write_cr3(child);
	for (uint32_t i = 0; i < COW_WRITTEN; i++)
		probe_write32(cow_va + i * PAGE_SIZE + 4, 0xc0de0000 + i);
	bool ok = cow_faults == COW_WRITTEN && !cow_bad_error;
	for (uint32_t i = 0; i < COW_PAGES; i++) {
		ok &= word_at(cow_va + i * PAGE_SIZE) == pattern(600 + i, 0);
		if (i < COW_WRITTEN)
			ok &= word_at(cow_va + i * PAGE_SIZE + 4) == 0xc0de0000 + i;
	}
	report(ok, "cow: child writes fault once per page (#PF 0x3) and get private copies",
	       "%u faults, bad error 0x%x", cow_faults, cow_bad_error);

	write_cr3(parent);
	ok = true;
	for (uint32_t i = 0; i < COW_PAGES; i++)
		ok &= word_at(cow_va + i * PAGE_SIZE + 4) == 0 &&
		      word_at(cow_va + i * PAGE_SIZE) == pattern(600 + i, 0);
	report(ok, "cow: parent still sees the original data", "page word 0x%x",
	       word_at(cow_va + 4));

	probe_write32(cow_va + 4, 0xfa11e700);
	ok = cow_faults == COW_WRITTEN + 1 && word_at(cow_va + 4) == 0xfa11e700;
	write_cr3(child);
	ok &= word_at(cow_va + 4) == 0xc0de0000;
	report(ok, "cow: parent write after the child's copy gets its own copy",
	       "%u faults, child reads 0x%x", cow_faults, word_at(cow_va + 4));

	uintptr_t last = cow_va + (COW_PAGES - 1) * PAGE_SIZE;
	uint64_t in_child = pt_get(pt_entry(child, last, 1, false)) & pt_addr_mask();
	uint64_t in_parent = pt_get(pt_entry(parent, last, 1, false)) & pt_addr_mask();
	report(in_child == frames[COW_PAGES - 1] && in_parent == in_child &&
	           word_at(last) == pattern(600 + COW_PAGES - 1, 0) &&
	           ((volatile uint32_t *)frames[COW_PAGES - 1])[1] == 0,
	       "cow: pages never written stay shared and unchanged", "child 0x%llx parent 0x%llx",
	       (unsigned long long)in_child, (unsigned long long)in_parent);
	write_cr3(main_root);
	trap_set_pf_hook(0);
}
