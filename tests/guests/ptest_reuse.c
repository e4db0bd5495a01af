/* Page-table pages reused as data and data pages reused as page tables: a shadow pager
 * that keeps treating a frame as what it was before gives wrong translations here. */
#include "tests/guests/cpu.h"
#include "tests/guests/ptest.h"
#include "tests/guests/report.h"

#define REUSE_PAGES 4

static unsigned entry_bytes(void)
{
	return pt_mode() == PG_MODE_32 ? 4 : 8;
}

/* Garbage that looks like present, writable, user PTEs pointing all over RAM. */
static uint32_t garbage(uint32_t i)
{
	return (pattern(700, i) & 0x07fff000u) | 0x67u;
}

static void test_table_to_data(void)
{
	uintptr_t va = slot(SLOT_REUSE), data_va = slot(SLOT_REUSE + 1);
	pt_map(main_root, data_va, data_frame(709), PTE_P | PTE_W); /* its table exists now */
	for (uint32_t i = 0; i < REUSE_PAGES; i++)
		pt_map(main_root, va + i * PAGE_SIZE, data_frame(710 + i), PTE_P | PTE_W);
	for (uint32_t i = 0; i < REUSE_PAGES; i++)
		reads_seed(va + i * PAGE_SIZE, 710 + i);
	uintptr_t pde = pde_of(va);
	uintptr_t table = (uintptr_t)(pt_get(pde) & pt_addr_mask());
	pt_set(pde, 0);
	/* INVLPG drops the cached paging-structure entries too (SDM §4.10.4.1), but only
	 * the TLB entry of its own page: every page that was used gets one. */
	for (uint32_t i = 0; i < REUSE_PAGES; i++)
		invlpg(va + i * PAGE_SIZE);
	frame_free(table);
	uintptr_t data = frame_alloc();
	for (uint32_t i = 0; i < 1024; i++)
		((volatile uint32_t *)data)[i] = garbage(i);
	pt_map(main_root, data_va, data, PTE_P | PTE_W);
	uint32_t v0 = 0, v1 = 0;
	bool f = probe_read32(data_va, &v0) | probe_read32(data_va + 4092, &v1);
	report(data == table && !f && v0 == garbage(0) && v1 == garbage(1023),
	       "reuse: freed page-table page reused as data reads back as data",
	       "reused %d fault %d read 0x%x/0x%x", data == table, f, v0, v1);

	uint32_t v;
	f = probe_read32(va + PAGE_SIZE, &v);
	bool unmapped_ok = fault_is(VEC_PF, 0, va + PAGE_SIZE);
	for (uint32_t i = 0; i < REUSE_PAGES; i++)
		pt_map(main_root, va + i * PAGE_SIZE, data_frame(720 + i), PTE_P | PTE_W);
	bool ok = unmapped_ok;
	for (uint32_t i = 0; i < REUSE_PAGES; i++)
		ok &= reads_seed(va + i * PAGE_SIZE, 720 + i);
	report(ok, "reuse: translations right after a page-table page became data",
	       "unmapped read gave fault %d error 0x%x, remapped reads ok %d", f, last_fault.error,
	       ok);
}

static void test_data_to_table(void)
{
	uintptr_t data_va = slot(SLOT_REUSE + 2), va = slot(SLOT_REUSE + 3);
	uintptr_t page = frame_alloc();
	pt_map(main_root, data_va, page, PTE_P | PTE_W);
	for (uint32_t i = 0; i < 1024; i++)
		probe_write32(data_va + i * 4, garbage(i + 7));
	uint32_t v = 0;
	probe_read32(data_va + 64, &v);
	bool was_data = v == garbage(16 + 7);
	pt_set(pte_of(data_va), 0);
	invlpg(data_va);

	__builtin_memset((void *)page, 0, PAGE_SIZE);
	for (uint32_t i = 0; i < REUSE_PAGES; i++)
		pt_set(page + i * entry_bytes(), data_frame(730 + i) | PTE_P | PTE_W);
	pt_set(pde_of(va), page | PTE_RW_USER);
	bool ok = was_data;
	for (uint32_t i = 0; i < REUSE_PAGES; i++) {
		invlpg(va + i * PAGE_SIZE);
		ok &= reads_seed(va + i * PAGE_SIZE, 730 + i);
	}
	probe_read32(va + REUSE_PAGES * PAGE_SIZE, &v);
	ok &= fault_is(VEC_PF, 0, va + REUSE_PAGES * PAGE_SIZE);
	report(ok, "reuse: data page reused as a page table translates through its new entries",
	       "was data %d, last fault %d error 0x%x", was_data, last_fault.taken,
	       last_fault.error);
}

void ptest_reuse(void)
{
	test_table_to_data();
	test_data_to_table();
}
