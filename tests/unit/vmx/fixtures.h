/*
 * Recorded capability-MSR values for the vmx suite, and a fake rdmsr that
 * fails the test when code reads an MSR the CPU does not have (#GP on
 * hardware).
 *
 * core2_penryn_t9600: the dump of a real Core 2 Duo T9600 kept in the Bochs
 * sources (bochs/cpu/cpudb/intel/core2_penryn_t9600.cc), the model the
 * project runs under: no TRUE MSRs, secondary controls = virtualize APIC
 * accesses + WBINVD exiting only (no EPT, VPID, unrestricted guest).
 * The "true" variant adds IA32_VMX_BASIC[55] and the TRUE MSR allowed-0
 * values Bochs reports when built with VMX level 2 (bochs/cpu/vmx.h).
 * The "ept" variant is an EPT/VPID/unrestricted-capable CPU.
 */
#ifndef TESTS_UNIT_VMX_FIXTURES_H
#define TESTS_UNIT_VMX_FIXTURES_H

#include <stdint.h>

#define FAKE_MAX_MSRS 32

struct fake_msr {
	uint32_t msr;
	uint64_t value;
};

struct fake_cpu {
	struct fake_msr msrs[FAKE_MAX_MSRS];
	int count;
	int bad_reads;      /* reads of MSRs not in msrs[] */
	uint32_t last_bad;  /* the last such MSR */
	uint32_t reads[64]; /* every MSR read, in order */
	int nreads;
};

void fake_cpu_t9600(struct fake_cpu *cpu);
void fake_cpu_t9600_true(struct fake_cpu *cpu);
void fake_cpu_ept(struct fake_cpu *cpu);
void fake_cpu_set(struct fake_cpu *cpu, uint32_t msr, uint64_t value);
void fake_cpu_remove(struct fake_cpu *cpu, uint32_t msr);
int fake_cpu_was_read(const struct fake_cpu *cpu, uint32_t msr);
uint64_t fake_rdmsr(void *ctx, uint32_t msr);

/* Captured printer output. */
extern char captured[4096];
void capture_reset(void);
int capture_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
