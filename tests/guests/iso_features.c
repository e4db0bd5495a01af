/* guest-iso-features: CPUID against what the CPU does. This file: the features that come
 * with MSRs or counters (TSC, MSR, PAT, SEP, MTRR, MCA, RDTSCP, the architectural PMU,
 * APERF/MPERF, x2APIC); instructions and CR4 features are in iso_features_insn.c and
 * iso_features_cr4.c. MSR numbers: SDM Vol. 4 Table 2-2. */
#include "tests/guests/iso_features.h"

#include "tests/guests/cpu.h"
#include "tests/guests/env.h"
#include "tests/guests/guest.h"
#include "tests/guests/iso.h"
#include "tests/guests/platform.h"
#include "tests/guests/probe.h"
#include "tests/guests/report.h"

const char guest_name[] = "iso-features";

#define MSR_TSC            0x10u
#define MSR_APIC_BASE      0x1bu
#define MSR_MPERF          0xe7u
#define MSR_APERF          0xe8u
#define MSR_MTRRCAP        0xfeu
#define MSR_SYSENTER_CS    0x174u
#define MSR_SYSENTER_ESP   0x175u
#define MSR_SYSENTER_EIP   0x176u
#define MSR_MCG_CAP        0x179u
#define MSR_PERFEVTSEL0    0x186u
#define MSR_PMC0           0xc1u
#define MSR_PAT            0x277u
#define MSR_MTRR_DEF_TYPE  0x2ffu
#define MSR_X2APIC_ID      0x802u
#define MSR_X2APIC_VERSION 0x803u
#define MSR_TSC_AUX        0xc0000103u
#define APIC_BASE_EXTD     (1ull << 10)
#define APIC_VERSION_REG   0x30u
#define PAT_TYPE_RESERVED  2u /* memory types 2 and 3 are reserved (SDM Vol. 3A §12.12.2) */
#define PMU_VERSION_MASK   0xffu
#define SKIP_QEMU_PAT      "known QEMU TCG defect: IA32_PAT writes are not checked"
#define SKIP_QEMU_TSC_MSR  "known QEMU TCG defect: IA32_TIME_STAMP_COUNTER reads 0"

bool feat_leaf1_edx(unsigned bit)
{
	return cpuid_bit(1, 0, CPUID_EDX, bit);
}

bool feat_leaf1_ecx(unsigned bit)
{
	return cpuid_bit(1, 0, CPUID_ECX, bit);
}

bool feat_leaf7_ebx(unsigned bit)
{
	return cpuid_bit(7, 0, CPUID_EBX, bit);
}

bool feat_ext_edx(unsigned bit)
{
	return cpuid_bit(0x80000001u, 0, CPUID_EDX, bit);
}

bool feat_ext_ecx(unsigned bit)
{
	return cpuid_bit(0x80000001u, 0, CPUID_ECX, bit);
}

bool feat_skip_absent(const char *name, bool advertised)
{
	if (!advertised)
		report_skip(name, SKIP_ABSENT);
	return !advertised;
}

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static void test_tsc_msr(void)
{
	const char *tsc = "TSC: RDTSC counts up";
	if (!feat_skip_absent(tsc, feat_leaf1_edx(F1_EDX_TSC))) {
		uint64_t a = rdtsc(), b = rdtsc();
		report(b > a, tsc, "RDTSC 0x%llx then 0x%llx", (unsigned long long)a,
		       (unsigned long long)b);
	}
	const char *msr = "MSR: RDMSR of IA32_TIME_STAMP_COUNTER (0x10) works, between two RDTSCs";
	if (!feat_skip_absent(msr, feat_leaf1_edx(F1_EDX_MSR))) {
		uint64_t a = rdtsc(), v = 0;
		bool f = try_rdmsr(MSR_TSC, &v);
		uint64_t b = rdtsc();
		if (!f && v == 0 && env_is_tcg())
			report_skip(msr, SKIP_QEMU_TSC_MSR);
		else
			report(!f && v >= a && v <= b, msr,
			       "fault %d, 0x%llx not in [0x%llx, 0x%llx]", f, (unsigned long long)v,
			       (unsigned long long)a, (unsigned long long)b);
	}
}

static void test_pat(void)
{
	const char *name = "PAT: IA32_PAT reads and takes its value back; type 2 raises #GP(0)";
	if (feat_skip_absent(name, feat_leaf1_edx(F1_EDX_PAT)))
		return;
	uint64_t pat = 0, after = 0;
	bool f = try_rdmsr(MSR_PAT, &pat) || try_wrmsr(MSR_PAT, pat);
	bool bad = try_wrmsr(MSR_PAT, (pat & ~0xffull) | PAT_TYPE_RESERVED);
	bool gp = bad && fault_is(VEC_GP, 0, 0);
	try_wrmsr(MSR_PAT, pat);
	try_rdmsr(MSR_PAT, &after);
	if (!f && !bad && env_is_tcg())
		report_skip(name, SKIP_QEMU_PAT);
	else
		report(
		    !f && gp && after == pat, name,
		    "RDMSR/WRMSR fault %d, reserved type: fault %d vector %u, PAT 0x%llx -> 0x%llx",
		    f, bad, last_fault.vector, (unsigned long long)pat, (unsigned long long)after);
}

static void test_sep(void)
{
	const char *name = "SEP: SYSENTER_CS/ESP/EIP (0x174-0x176) take values and read them back";
	if (feat_skip_absent(name, feat_leaf1_edx(F1_EDX_SEP)))
		return;
	static const uint64_t values[3] = {0x10, 0xffff800000001000ull, 0xffff800000002000ull};
	uint32_t bad = 0;
	for (uint32_t i = 0; i < 3; i++) {
		uint64_t saved = 0, v = 0;
		bool f = try_rdmsr(MSR_SYSENTER_CS + i, &saved) ||
		         try_wrmsr(MSR_SYSENTER_CS + i, values[i]) ||
		         try_rdmsr(MSR_SYSENTER_CS + i, &v);
		try_wrmsr(MSR_SYSENTER_CS + i, saved);
		if (!bad && (f || v != values[i]))
			bad = MSR_SYSENTER_CS + i;
	}
	report(!bad, name, "MSR 0x%x fails (vector %u)", bad, last_fault.vector);
}

/* MSRs that must read without #GP when the feature is there. */
static void test_msr_pair(const char *name, bool advertised, uint32_t a, uint32_t b)
{
	if (feat_skip_absent(name, advertised))
		return;
	uint64_t v;
	bool fa = try_rdmsr(a, &v), fb = try_rdmsr(b, &v);
	if ((fa || fb) && iso_is_bochs())
		report_skip(name, SKIP_BOCHS_MSR);
	else
		report(!fa && !fb, name, "RDMSR 0x%x fault %d, RDMSR 0x%x fault %d (vector %u)", a,
		       fa, b, fb, last_fault.vector);
}

static void test_rdtscp(void)
{
	const char *name = "RDTSCP: works with ECX = IA32_TSC_AUX when advertised, #UD when not";
	bool adv = feat_ext_edx(FX_EDX_RDTSCP);
	uint64_t aux = 0;
	if (adv)
		try_rdmsr(MSR_TSC_AUX, &aux);
	uint32_t lo, hi, ecx = 0xdeadbeef;
	iso_arm();
	__asm__ volatile("1: rdtscp\n2:\n" FIXUP("1b", "2b") : "=a"(lo), "=d"(hi), "+c"(ecx));
	if (adv)
		report(!last_fault.taken && ecx == (uint32_t)aux, name,
		       "fault %d vector %u, ECX 0x%x TSC_AUX 0x%llx", last_fault.taken,
		       last_fault.vector, ecx, (unsigned long long)aux);
	else
		report(fault_is(VEC_UD, 0, 0), name, "not advertised: fault %d vector %u",
		       last_fault.taken, last_fault.vector);
}

/* Leaf 0xA version >= 1: the first event select and counter exist, RDPMC 0 at CPL 0. */
static void test_pmu(void)
{
	const char *name = "PMU: leaf 0xA version >= 1: PERFEVTSEL0, PMC0 and RDPMC 0 work";
	uint32_t version = cpuid_reg(0xa, 0, CPUID_EAX) & PMU_VERSION_MASK;
	if (feat_skip_absent(name, version >= 1))
		return;
	uint64_t v;
	bool fs = try_rdmsr(MSR_PERFEVTSEL0, &v), fc = try_rdmsr(MSR_PMC0, &v);
	uint32_t lo, hi;
	iso_arm();
	__asm__ volatile("1: rdpmc\n2:\n" FIXUP("1b", "2b") : "=a"(lo), "=d"(hi) : "c"(0));
	if ((fs || fc) && iso_is_bochs())
		report_skip(name, SKIP_BOCHS_MSR);
	else
		report(
		    !fs && !fc && !last_fault.taken, name,
		    "version %u: PERFEVTSEL0 fault %d, PMC0 fault %d, RDPMC fault %d (vector %u)",
		    version, fs, fc, last_fault.taken, last_fault.vector);
}

/* x2APIC last: its mode stays on. Absent, EXTD is a reserved bit of IA32_APIC_BASE. */
static void test_x2apic(void)
{
	const char *name = "x2APIC: EXTD on, RDMSR 0x802/0x803 match the xAPIC's; absent: EXTD #GP";
	uint64_t base = rdmsr(MSR_APIC_BASE);
	if (!feat_leaf1_ecx(F1_ECX_X2APIC)) {
		bool f = try_wrmsr(MSR_APIC_BASE, base | APIC_BASE_EXTD);
		if (!f && env_is_tcg())
			report_skip(name, SKIP_QEMU_APIC_BASE);
		else
			report(f && fault_is(VEC_GP, 0, 0) && rdmsr(MSR_APIC_BASE) == base, name,
			       "not advertised: fault %d vector %u, APIC_BASE 0x%llx", f,
			       last_fault.vector, (unsigned long long)rdmsr(MSR_APIC_BASE));
		return;
	}
	uint32_t id = iso_apic_read(0x20) >> 24, version = iso_apic_read(APIC_VERSION_REG);
	uint64_t x2id = 0, x2ver = 0;
	bool f = try_wrmsr(MSR_APIC_BASE, base | APIC_BASE_EXTD) ||
	         try_rdmsr(MSR_X2APIC_ID, &x2id) || try_rdmsr(MSR_X2APIC_VERSION, &x2ver);
	report(!f && x2id == id && (uint32_t)x2ver == version, name,
	       "fault %d (vector %u), ID 0x%llx vs 0x%x, version 0x%llx vs 0x%x", f,
	       last_fault.vector, (unsigned long long)x2id, id, (unsigned long long)x2ver, version);
}

static void print_cpuid(void)
{
	report_info("CPUID.1 ECX 0x%x EDX 0x%x, 7.0 EBX 0x%x, 0x80000001 ECX 0x%x EDX 0x%x, "
	            "0xA EAX 0x%x, 6 ECX 0x%x",
	            cpuid_reg(1, 0, CPUID_ECX), cpuid_reg(1, 0, CPUID_EDX),
	            cpuid_reg(7, 0, CPUID_EBX), cpuid_reg(0x80000001u, 0, CPUID_ECX),
	            cpuid_reg(0x80000001u, 0, CPUID_EDX), cpuid_reg(0xa, 0, CPUID_EAX),
	            cpuid_reg(6, 0, CPUID_ECX));
}

void guest_main(void)
{
	uintptr_t root = iso_long_setup();
	iso_map_apic(root);
	print_cpuid();
	test_tsc_msr();
	test_pat();
	test_sep();
	test_msr_pair("MTRR: MTRRcap (0xfe) and MTRRdefType (0x2ff) read",
	              feat_leaf1_edx(F1_EDX_MTRR), MSR_MTRRCAP, MSR_MTRR_DEF_TYPE);
	test_msr_pair("MCA: IA32_MCG_CAP (0x179) reads", feat_leaf1_edx(F1_EDX_MCA), MSR_MCG_CAP,
	              MSR_MCG_CAP);
	test_msr_pair("APERF/MPERF: leaf 6 ECX[0]: IA32_MPERF (0xe7) and IA32_APERF (0xe8) read",
	              cpuid_bit(6, 0, CPUID_ECX, F6_ECX_APERF), MSR_MPERF, MSR_APERF);
	test_rdtscp();
	test_pmu();
	features_insn_tests();
	features_cr4_tests(root);
	test_x2apic();
}
