/* A recorded CPU (tests/unit/cpuid/<model>.txt, printed by the cpuid-dump guest) as the
 * "host" of the CPUID model, and a few hosts made up for the rules. */
#ifndef TESTS_UNIT_CPUID_FIXTURE_H
#define TESTS_UNIT_CPUID_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "vmx/exit/cpuid_model.h"

#define FIXTURE_MAX_LEAVES 256
#define FIXTURE_MAX_MSRS   128

struct fixture_leaf {
	uint32_t leaf, subleaf;
	struct cpuid_regs4 r;
};

struct fixture_msr {
	uint32_t msr;
	bool gp; /* RDMSR raised #GP on the recorded CPU */
	uint64_t value;
};

struct fixture {
	struct fixture_leaf leaves[FIXTURE_MAX_LEAVES];
	unsigned leaf_count;
	struct fixture_msr msrs[FIXTURE_MAX_MSRS];
	unsigned msr_count;
	unsigned unrecorded_queries; /* leaves asked for that the CPU did not print */
	/* Overrides for the made-up variants: max basic leaf (0: as recorded), and
	 * CPUID.80000001H:EDX bits to clear. */
	uint32_t max_basic_override;
	uint32_t ext1_edx_clear;
};

/* Loads tests/unit/cpuid/NAME.txt (relative to the repository root). */
bool fixture_load(struct fixture *f, const char *name);

/* cpuid_host_fn over a struct fixture: the recorded answer. A leaf that takes
 * no subleaf answers the same for every ECX; an unrecorded subleaf of a leaf
 * that takes one reads 0, as the CPU's terminating subleafs do. */
struct cpuid_regs4 fixture_cpuid(void *ctx, uint32_t leaf, uint32_t subleaf);

/* The recorded RDMSR result, or 0 when the MSR was not dumped. */
const struct fixture_msr *fixture_msr(const struct fixture *f, uint32_t msr);

/* cpuid_host_fn of a host whose every register of every leaf is all ones,
 * except the maxima: leaf 0 EAX = *(uint32_t *)ctx, 0x80000000 EAX =
 * 0x80000000 + the same low bits (ctx points at the basic maximum). */
struct cpuid_regs4 all_ones_cpuid(void *ctx, uint32_t leaf, uint32_t subleaf);

/* The guest's view with the APIC enabled, in 32-bit or 64-bit mode. */
struct cpuid_regs4 guest_cpuid(struct fixture *f, uint32_t leaf, uint32_t subleaf,
                               bool in_64bit_mode);

/* The four registers of a CPUID answer, each against its expected value. */
#define CHECK_REGS(r, a, b, c, d)              \
	do {                                   \
		struct cpuid_regs4 got_ = (r); \
		CHECK_EQ(got_.eax, (a));       \
		CHECK_EQ(got_.ebx, (b));       \
		CHECK_EQ(got_.ecx, (c));       \
		CHECK_EQ(got_.edx, (d));       \
	} while (0)

/* The 48-byte brand string of leaves 0x80000002..4 as the guest sees it. */
void guest_brand(struct fixture *f, char out[49]);

#endif
