/* Helpers shared by the guest-platform tests: CPUID bits, the hidden-feature rule and
 * instructions that may raise #GP, recovered through the fix-up table (trap.c). */
#include "tests/guests/cpu.h"
#include "tests/guests/env.h"
#include "tests/guests/platform.h"
#include "tests/guests/probe.h"
#include "tests/guests/report.h"

#define CPUID_EXT_BASE 0x80000000u

uint32_t cpuid_reg(uint32_t leaf, uint32_t sub, int reg)
{
	uint32_t r[4];
	cpuid(leaf & CPUID_EXT_BASE, 0, r);
	if (leaf > r[0])
		return 0;
	cpuid(leaf, sub, r);
	return r[reg];
}

bool cpuid_bit(uint32_t leaf, uint32_t sub, int reg, unsigned bit)
{
	return (cpuid_reg(leaf, sub, reg) >> bit) & 1;
}

void check_hidden_feature(const char *name, bool present)
{
	if (!present)
		report_pass(name);
	else if (env.kind == ENV_HVX86)
		report_fail(name, "CPUID reports the feature, the hypervisor must hide it");
	else
		report_skip(name, SKIP_OFFERED);
}

static void arm(void)
{
	last_fault.taken = false;
	last_fault.vector = ~0u;
	last_fault.error = 0;
}

bool last_fault_is_gp0(void)
{
	return fault_is(VEC_GP, 0, 0);
}

__attribute__((noinline)) bool try_rdmsr(uint32_t msr, uint64_t *value)
{
	uint32_t lo = 0, hi = 0;
	arm();
	__asm__ volatile("1: rdmsr\n2:\n" FIXUP("1b", "2b")
	                 : "+a"(lo), "+d"(hi)
	                 : "c"(msr)
	                 : "memory");
	*value = ((uint64_t)hi << 32) | lo;
	return last_fault.taken;
}

__attribute__((noinline)) bool try_wrmsr(uint32_t msr, uint64_t value)
{
	arm();
	__asm__ volatile("1: wrmsr\n2:\n" FIXUP("1b", "2b")
	                 :
	                 : "c"(msr), "a"((uint32_t)value), "d"((uint32_t)(value >> 32))
	                 : "memory");
	return last_fault.taken;
}

__attribute__((noinline)) bool try_write_cr4(unsigned long value)
{
	arm();
	__asm__ volatile("1: mov %0, %%cr4\n2:\n" FIXUP("1b", "2b") : : "r"(value) : "memory");
	return last_fault.taken;
}
