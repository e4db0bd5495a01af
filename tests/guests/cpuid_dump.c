/* cpuid-dump: prints the CPUID leaves and a list of MSRs of the CPU it runs on, one line
 * each, for the fixtures of the host tests (tests/unit/cpuid/). Not a test: it reports
 * nothing but the dump. Run it on the bare emulator (see tests/unit/cpuid/README).
 *
 *   cpuid LLLLLLLL.SS: eax=........ ebx=........ ecx=........ edx=........
 *   msr MMMMMMMM: HHHHHHHHLLLLLLLL        (or "msr MMMMMMMM: #GP" when RDMSR faults)
 *
 * Subleaf-indexed leaves (SDM Vol. 2A, CPUID, table 3-8) are enumerated to their end;
 * one leaf past each range's maximum is printed too: it shows how the CPU answers an
 * out-of-range leaf. */
#include <stdint.h>

#include "tests/guests/console.h"
#include "tests/guests/cpu.h"
#include "tests/guests/guest.h"
#include "tests/guests/probe.h"
#include "tests/guests/trap.h"

const char guest_name[] = "cpuid-dump";

#define LEAF_CACHE_PARAMS   0x4u  /* subleaf per cache until EAX[4:0] = 0 */
#define LEAF_EXT_FEATURES   0x7u  /* subleafs 0..EAX of subleaf 0 */
#define LEAF_TOPOLOGY       0xbu  /* subleaf per level until ECX[15:8] = 0 */
#define LEAF_XSAVE          0xdu  /* subleaf per state component, 0..63 */
#define LEAF_TOPOLOGY_V2    0x1fu /* as 0xB */
#define LEAF_HYPERVISOR     0x40000000u
#define LEAF_EXT_BASE       0x80000000u
#define SUBLEAF_LIMIT       64u
#define CACHE_TYPE_MASK     0x1fu
#define TOPO_LEVEL_TYPE(c)  (((c) >> 8) & 0xffu)
#define XSAVE_ALWAYS_SHOWN  2u    /* subleafs 0 and 1 even when zero */
#define MAX_PRINTED_BASIC   0x20u /* a sane bound if a CPU reports a huge maximum */
#define MAX_PRINTED_EXT_CNT 0x20u

static void print_leaf(uint32_t leaf, uint32_t sub, const uint32_t r[4])
{
	gprintf("cpuid %08x.%02x: eax=%08x ebx=%08x ecx=%08x edx=%08x\n", leaf, sub, r[0], r[1],
	        r[2], r[3]);
}

static void dump_one(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	cpuid(leaf, sub, r);
	print_leaf(leaf, sub, r);
}

/* Leaves 4, 0xB and 0x1F: subleafs until the terminating one, which is printed too. */
static void dump_until_end(uint32_t leaf)
{
	uint32_t r[4];
	for (uint32_t sub = 0; sub < SUBLEAF_LIMIT; sub++) {
		dump_one(leaf, sub, r);
		bool last = leaf == LEAF_CACHE_PARAMS ? (r[0] & CACHE_TYPE_MASK) == 0
		                                      : TOPO_LEVEL_TYPE(r[2]) == 0;
		if (last)
			return;
	}
}

static void dump_ext_features(void)
{
	uint32_t r[4];
	dump_one(LEAF_EXT_FEATURES, 0, r);
	uint32_t last = r[0] < SUBLEAF_LIMIT ? r[0] : SUBLEAF_LIMIT - 1;
	for (uint32_t sub = 1; sub <= last; sub++)
		dump_one(LEAF_EXT_FEATURES, sub, r);
}

/* Leaf 0xD: subleafs 0 and 1, then each state component that reports anything. */
static void dump_xsave(void)
{
	uint32_t r[4];
	for (uint32_t sub = 0; sub < SUBLEAF_LIMIT; sub++) {
		cpuid(LEAF_XSAVE, sub, r);
		if (sub < XSAVE_ALWAYS_SHOWN || (r[0] | r[1] | r[2] | r[3]))
			print_leaf(LEAF_XSAVE, sub, r);
	}
}

static void dump_basic_leaf(uint32_t leaf)
{
	uint32_t r[4];
	switch (leaf) {
	case LEAF_CACHE_PARAMS:
	case LEAF_TOPOLOGY:
	case LEAF_TOPOLOGY_V2:
		dump_until_end(leaf);
		break;
	case LEAF_EXT_FEATURES:
		dump_ext_features();
		break;
	case LEAF_XSAVE:
		dump_xsave();
		break;
	default:
		dump_one(leaf, 0, r);
		break;
	}
}

/* Leaves BASE..max of one range, and max + 1. */
static void dump_range(uint32_t base, uint32_t count_limit)
{
	uint32_t r[4];
	cpuid(base, 0, r);
	uint32_t max = r[0];
	if (max < base || max - base >= count_limit)
		max = base + count_limit - 1;
	for (uint32_t leaf = base; leaf <= max; leaf++)
		dump_basic_leaf(leaf);
	dump_one(max + 1, 0, r);
}

/* Architectural and model-specific MSRs (SDM Vol. 4, tables 2-2 ff.) a guest kernel may
 * touch: what the CPU gives and what it refuses. */
static const uint32_t dumped_msrs[] = {
    0x10,       /* IA32_TIME_STAMP_COUNTER */
    0x17,       /* IA32_PLATFORM_ID */
    0x1b,       /* IA32_APIC_BASE */
    0x3a,       /* IA32_FEATURE_CONTROL */
    0x3b,       /* IA32_TSC_ADJUST */
    0x48,       /* IA32_SPEC_CTRL */
    0x8b,       /* IA32_BIOS_SIGN_ID */
    0xc1,       /* IA32_PMC0 */
    0xce,       /* MSR_PLATFORM_INFO */
    0xe7,       /* IA32_MPERF */
    0xe8,       /* IA32_APERF */
    0xfe,       /* IA32_MTRRCAP */
    0x10a,      /* IA32_ARCH_CAPABILITIES */
    0x174,      /* IA32_SYSENTER_CS */
    0x175,      /* IA32_SYSENTER_ESP */
    0x176,      /* IA32_SYSENTER_EIP */
    0x179,      /* IA32_MCG_CAP */
    0x17a,      /* IA32_MCG_STATUS */
    0x186,      /* IA32_PERFEVTSEL0 */
    0x198,      /* IA32_PERF_STATUS */
    0x199,      /* IA32_PERF_CTL */
    0x19a,      /* IA32_CLOCK_MODULATION */
    0x19b,      /* IA32_THERM_INTERRUPT */
    0x19c,      /* IA32_THERM_STATUS */
    0x1a0,      /* IA32_MISC_ENABLE */
    0x1d9,      /* IA32_DEBUGCTL */
    0x1db,      /* MSR_LASTBRANCHFROMIP (P6 family LBR) */
    0x200,      /* IA32_MTRR_PHYSBASE0 */
    0x250,      /* IA32_MTRR_FIX64K_00000 */
    0x277,      /* IA32_PAT */
    0x2ff,      /* IA32_MTRR_DEF_TYPE */
    0x345,      /* IA32_PERF_CAPABILITIES */
    0x38d,      /* IA32_FIXED_CTR_CTRL */
    0x38f,      /* IA32_PERF_GLOBAL_CTRL */
    0x400,      /* IA32_MC0_CTL */
    0x480,      /* IA32_VMX_BASIC */
    0x6e0,      /* IA32_TSC_DEADLINE */
    0x802,      /* x2APIC ID */
    0xc0000080, /* IA32_EFER */
    0xc0000081, /* IA32_STAR */
    0xc0000082, /* IA32_LSTAR */
    0xc0000083, /* IA32_CSTAR */
    0xc0000084, /* IA32_FMASK */
    0xc0000100, /* IA32_FS_BASE */
    0xc0000101, /* IA32_GS_BASE */
    0xc0000102, /* IA32_KERNEL_GS_BASE */
    0xc0000103, /* IA32_TSC_AUX */
};

/* RDMSR that may raise #GP: true when it faulted. */
static bool rdmsr_guarded(uint32_t msr, uint64_t *value)
{
	uint32_t lo = 0, hi = 0;
	last_fault.taken = false;
	__asm__ volatile("1: rdmsr\n2:\n" FIXUP("1b", "2b")
	                 : "+a"(lo), "+d"(hi)
	                 : "c"(msr)
	                 : "memory");
	*value = ((uint64_t)hi << 32) | lo;
	return last_fault.taken;
}

static void dump_msrs(void)
{
	for (unsigned i = 0; i < sizeof(dumped_msrs) / sizeof(dumped_msrs[0]); i++) {
		uint64_t value;
		if (rdmsr_guarded(dumped_msrs[i], &value))
			gprintf("msr %08x: #GP\n", dumped_msrs[i]);
		else
			gprintf("msr %08x: %08x%08x\n", dumped_msrs[i], (uint32_t)(value >> 32),
			        (uint32_t)value);
	}
}

void guest_main(void)
{
	gprintf("cpuid-dump: begin\n");
	dump_range(0, MAX_PRINTED_BASIC);
	uint32_t r[4];
	dump_one(LEAF_HYPERVISOR, 0, r);
	dump_range(LEAF_EXT_BASE, MAX_PRINTED_EXT_CNT);
	dump_msrs();
	gprintf("cpuid-dump: end\n");
}
