/* Helpers shared by the paging tests. */
#include "tests/guests/ptest.h"

#include "tests/guests/env.h"
#include "tests/guests/report.h"

uintptr_t main_root;

uint32_t pattern(uint32_t seed, uint32_t i)
{
	uint32_t x = seed * 0x9e3779b1u + i * 0x85ebca6bu + 0x1234567u;
	x ^= x >> 15;
	x *= 0x2c1b3c6du;
	return x ^ (x >> 12);
}

uintptr_t data_frame(uint32_t seed)
{
	uintptr_t f = frame_alloc();
	((volatile uint32_t *)f)[0] = pattern(seed, 0);
	((volatile uint32_t *)f)[1023] = pattern(seed, 1);
	return f;
}

bool reads_seed(uintptr_t va, uint32_t seed)
{
	uint32_t v;
	return !probe_read32(va, &v) && v == pattern(seed, 0);
}

uintptr_t pte_of(uintptr_t va)
{
	return pt_entry(main_root, va, 1, true);
}

uintptr_t pde_of(uintptr_t va)
{
	return pt_entry(main_root, va, 2, true);
}

bool mode_has_nx(void)
{
	return pt_mode() != PG_MODE_32 && env.nx;
}

bool report_pf(const char *name, bool faulted, uint32_t err, uintptr_t va)
{
	if (fault_is(VEC_PF, err, va))
		return report(true, name, "%s", "");
	if (faulted && env_is_tcg() && (err & PF_RSVD) && last_fault.vector == VEC_PF &&
	    last_fault.error == (err & ~PF_P) && last_fault.cr2 == va) {
		report_skip(name, "known QEMU TCG defect: RSVD #PF without P");
		return true;
	}
	if (!faulted)
		report_fail(name, "no fault, expected #PF 0x%x at 0x%lx", err, (unsigned long)va);
	else
		report_fail(name, "vector %u error 0x%x CR2 0x%lx, expected #PF 0x%x CR2 0x%lx",
		            last_fault.vector, last_fault.error, (unsigned long)last_fault.cr2, err,
		            (unsigned long)va);
	return false;
}

bool report_no_fault(const char *name, bool faulted)
{
	return report(!faulted, name, "vector %u error 0x%x CR2 0x%lx, expected no fault",
	              last_fault.vector, last_fault.error, (unsigned long)last_fault.cr2);
}
