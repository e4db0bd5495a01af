/*
 * The guest's CPUID as one allowlist table. Each row names a leaf (and
 * subleaf), a register, the bits shown as the host has them and the bits
 * always set. A register no row names reads 0, so a feature the host gains
 * stays hidden until someone virtualizes it and adds it here.
 *
 * What the hypervisor virtualizes, and so what the rows allow:
 * - instructions the guest runs natively on its own real FPU/SSE state
 *   (FPU, MMX, SSE..SSE4.2, AES, PCLMULQDQ, POPCNT, MOVBE, CX8/CX16, CMOV,
 *   BMI1/BMI2, ADX, RDRAND/RDSEED, SHA, CLFLUSH(OPT), CLWB, LZCNT,
 *   PREFETCHW), if the host has them; nothing needing XSAVE (AVX, FMA,
 *   F16C, AVX2): CR4.OSXSAVE is refused;
 * - paging through the shadow: PSE, PSE-36, PAE, PGE, PAT, NX, LM,
 *   1 GiB pages, SMEP and SMAP, each only where the host has it; no PCID,
 *   INVPCID, LA57, PKU, UMIP or FSGSBASE (their CR4 bits are refused);
 * - one vCPU, APIC ID 0, xAPIC only (no x2APIC, no TSC deadline), no
 *   topology beyond one logical processor;
 * - the MSRs of vmx/exit/msr_model.c: TSC, SEP, PAT, EFER and the SYSCALL
 *   MSRs; no MTRR, MCA, DS/PEBS/BTS, PMU, thermal or power MSRs, no
 *   TSC_AUX (so no RDTSCP, RDPID), no TSC_ADJUST, no SPEC_CTRL family.
 */
#include "vmx/exit/cpuid_model.h"

enum cpuid_reg { REG_EAX, REG_EBX, REG_ECX, REG_EDX };

#define ANY_SUBLEAF 0xffffffffu
#define ALL_BITS    0xffffffffu

/* Subleafs matter only for the leaves that have them (leaf_has_subleafs);
 * the others are asked and matched as subleaf 0, whatever ECX held. */
struct cpuid_field {
	uint32_t leaf;
	uint32_t subleaf; /* ANY_SUBLEAF: the row holds for every subleaf */
	enum cpuid_reg reg;
	uint32_t from_host; /* bits shown as the host has them */
	uint32_t forced;    /* bits always 1 */
};

/* CPUID.1:ECX: instructions that run natively on the guest's own SSE state. */
#define L1_ECX_NATIVE                                                                      \
	(CPUID_1_ECX_SSE3 | CPUID_1_ECX_PCLMULQDQ | CPUID_1_ECX_SSSE3 | CPUID_1_ECX_CX16 | \
	 CPUID_1_ECX_SSE41 | CPUID_1_ECX_SSE42 | CPUID_1_ECX_MOVBE | CPUID_1_ECX_POPCNT |  \
	 CPUID_1_ECX_AES | CPUID_1_ECX_RDRAND)

/* CPUID.1:EDX: native instructions, the shadow's paging features, the TSC,
 * SYSENTER and PAT MSRs, the xAPIC (while enabled). MCE without MCA means
 * exception 18 and CR4.MCE only; the machine-check MSRs come with MCA (SDM
 * Vol. 2A table 3-11, MCE and MCA). SS (self snoop) describes the host's
 * caches, true of the guest's accesses too. HTT stays 0: one logical
 * processor (table 3-11, HTT). */
#define L1_EDX_KEPT                                                                               \
	(CPUID_1_EDX_FPU | CPUID_1_EDX_DE | CPUID_1_EDX_PSE | CPUID_1_EDX_TSC | CPUID_1_EDX_MSR | \
	 CPUID_1_EDX_PAE | CPUID_1_EDX_MCE | CPUID_1_EDX_CX8 | CPUID_1_EDX_APIC |                 \
	 CPUID_1_EDX_SEP | CPUID_1_EDX_PGE | CPUID_1_EDX_CMOV | CPUID_1_EDX_PAT |                 \
	 CPUID_1_EDX_PSE36 | CPUID_1_EDX_CLFSH | CPUID_1_EDX_MMX | CPUID_1_EDX_FXSR |             \
	 CPUID_1_EDX_SSE | CPUID_1_EDX_SSE2 | CPUID_1_EDX_SS)

/* CPUID.7.0:EBX: SMEP/SMAP (the shadow honours CR4.SMEP/SMAP) and
 * instructions that need no state, MSR or CR4 bit of their own. VEX-encoded
 * BMI1/BMI2 use only general registers: no XCR0 requirement (SDM Vol. 2A
 * §2.5.1, table 2-37 lists none for them). */
#define L7_EBX_KEPT                                                                        \
	(CPUID_7_EBX_BMI1 | CPUID_7_EBX_FDP_EXCPTN | CPUID_7_EBX_SMEP | CPUID_7_EBX_BMI2 | \
	 CPUID_7_EBX_ERMS | CPUID_7_EBX_FCS_FDS | CPUID_7_EBX_RDSEED | CPUID_7_EBX_ADX |   \
	 CPUID_7_EBX_SMAP | CPUID_7_EBX_CLFLUSHOPT | CPUID_7_EBX_CLWB | CPUID_7_EBX_SHA)

/* CPUID.7.0:EDX: FSRM is a performance hint; MD_CLEAR says VERW (native)
 * clears buffers. Nothing that enumerates an MSR (SPEC_CTRL, ARCH_CAP). */
#define L7_EDX_KEPT (CPUID_7_EDX_FSRM | CPUID_7_EDX_MD_CLEAR)

#define E1_ECX_KEPT (CPUID_E1_ECX_LAHF | CPUID_E1_ECX_LZCNT | CPUID_E1_ECX_PREFETCHW)
/* SYSCALL is added by the mode rule below; RDTSCP is hidden (no TSC_AUX). */
#define E1_EDX_KEPT (CPUID_E1_EDX_NX | CPUID_E1_EDX_PDPE1GB | CPUID_E1_EDX_LM)

/* "hvx86hvx86hv" in EBX, ECX, EDX, little-endian 4-byte groups. */
#define HV_SIG_EBX 0x38787668u
#define HV_SIG_ECX 0x78766836u
#define HV_SIG_EDX 0x76683638u

static const struct cpuid_field cpuid_fields[] = {
    /* Leaf 0: the maximum (clamped below) and the host's vendor string. */
    {0x0, 0, REG_EBX, ALL_BITS, 0},
    {0x0, 0, REG_ECX, ALL_BITS, 0},
    {0x0, 0, REG_EDX, ALL_BITS, 0},
    /* Leaf 1: the host's signature; one logical processor, APIC ID 0. */
    {0x1, 0, REG_EAX, CPUID_1_EAX_SIGNATURE, 0},
    {0x1, 0, REG_EBX, CPUID_1_EBX_BRAND_CLFLUSH, 1u << CPUID_1_EBX_LOGICAL_SHIFT},
    {0x1, 0, REG_ECX, L1_ECX_NATIVE, CPUID_1_ECX_HYPERVISOR},
    {0x1, 0, REG_EDX, L1_EDX_KEPT, 0},
    /* Leaf 2: the host's cache and TLB descriptors, facts about its caches. */
    {0x2, 0, REG_EAX, ALL_BITS, 0},
    {0x2, 0, REG_EBX, ALL_BITS, 0},
    {0x2, 0, REG_ECX, ALL_BITS, 0},
    {0x2, 0, REG_EDX, ALL_BITS, 0},
    /* Leaf 4: the host's caches, each used by this one CPU alone. */
    {0x4, ANY_SUBLEAF, REG_EAX, CPUID_4_EAX_CACHE_DESC, 0},
    {0x4, ANY_SUBLEAF, REG_EBX, ALL_BITS, 0},
    {0x4, ANY_SUBLEAF, REG_ECX, ALL_BITS, 0},
    {0x4, ANY_SUBLEAF, REG_EDX, CPUID_4_EDX_CACHE_DESC, 0},
    /* Leaf 6: no thermal or power interface. ARAT is shown whatever the host:
     * the guest has no C-state (no MWAIT; HLT exits) that could stop the
     * virtual APIC timer. */
    {CPUID_LEAF_POWER, 0, REG_EAX, 0, CPUID_6_EAX_ARAT},
    /* Leaf 7 subleaf 0 (its EAX, the last subleaf, reads 0). */
    {0x7, 0, REG_EBX, L7_EBX_KEPT, 0},
    {0x7, 0, REG_EDX, L7_EDX_KEPT, 0},
    /* The hypervisor leaf. */
    {CPUID_LEAF_HV, 0, REG_EAX, 0, CPUID_HV_MAX},
    {CPUID_LEAF_HV, 0, REG_EBX, 0, HV_SIG_EBX},
    {CPUID_LEAF_HV, 0, REG_ECX, 0, HV_SIG_ECX},
    {CPUID_LEAF_HV, 0, REG_EDX, 0, HV_SIG_EDX},
    /* Extended leaves: 0x80000000 EAX is clamped below. */
    {0x80000001u, 0, REG_ECX, E1_ECX_KEPT, 0},
    {0x80000001u, 0, REG_EDX, E1_EDX_KEPT, 0},
    {0x80000002u, 0, REG_EAX, ALL_BITS, 0}, /* brand string, 0x80000002..4 */
    {0x80000002u, 0, REG_EBX, ALL_BITS, 0},
    {0x80000002u, 0, REG_ECX, ALL_BITS, 0},
    {0x80000002u, 0, REG_EDX, ALL_BITS, 0},
    {0x80000003u, 0, REG_EAX, ALL_BITS, 0},
    {0x80000003u, 0, REG_EBX, ALL_BITS, 0},
    {0x80000003u, 0, REG_ECX, ALL_BITS, 0},
    {0x80000003u, 0, REG_EDX, ALL_BITS, 0},
    {0x80000004u, 0, REG_EAX, ALL_BITS, 0},
    {0x80000004u, 0, REG_EBX, ALL_BITS, 0},
    {0x80000004u, 0, REG_ECX, ALL_BITS, 0},
    {0x80000004u, 0, REG_EDX, ALL_BITS, 0},
    {0x80000006u, 0, REG_ECX, ALL_BITS, 0}, /* L2 line size, associativity, size */
    /* Guest TSC = host TSC + a constant offset: it runs at the host's
     * rate, so it is invariant exactly when the host's is. */
    {CPUID_LEAF_POWER_EXT, 0, REG_EDX, CPUID_E7_EDX_INVARIANT_TSC, 0},
    /* Address sizes from the host; no core count (ECX) and no WBNOINVD. */
    {CPUID_LEAF_ADDR_SIZES, 0, REG_EAX, CPUID_E8_EAX_ADDR_SIZES, 0},
};

#define CPUID_FIELD_COUNT (sizeof(cpuid_fields) / sizeof(cpuid_fields[0]))

static uint32_t min_u32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

uint32_t cpuid_model_max_basic(cpuid_host_fn host, void *ctx)
{
	return min_u32(host(ctx, CPUID_LEAF_MAX_BASIC, 0).eax, CPUID_MODEL_MAX_BASIC);
}

/* 0 when the host has no extended leaves: then none is in range. */
uint32_t cpuid_model_max_ext(cpuid_host_fn host, void *ctx)
{
	uint32_t max = host(ctx, CPUID_LEAF_MAX_EXT, 0).eax;
	if (max < CPUID_LEAF_MAX_EXT)
		return 0;
	return min_u32(max, CPUID_MODEL_MAX_EXT);
}

/* The modelled leaves that take ECX: 4 (one subleaf per cache) and 7 (only
 * subleaf 0 modelled). Every other leaf ignores ECX, as on the CPU. */
static bool leaf_has_subleafs(uint32_t leaf)
{
	return leaf == CPUID_LEAF_CACHE_PARAMS || leaf == CPUID_LEAF_EXT_FEATURES;
}

static bool leaf_in_range(uint32_t leaf, uint32_t max_basic, uint32_t max_ext)
{
	if (leaf <= max_basic || leaf == CPUID_LEAF_HV)
		return true;
	return leaf >= CPUID_LEAF_MAX_EXT && leaf <= max_ext;
}

static uint32_t *reg_of(struct cpuid_regs4 *r, enum cpuid_reg reg)
{
	switch (reg) {
	case REG_EAX:
		return &r->eax;
	case REG_EBX:
		return &r->ebx;
	case REG_ECX:
		return &r->ecx;
	default:
		return &r->edx;
	}
}

/* The table applied to the host's answer: unnamed registers read 0. */
static struct cpuid_regs4 apply_fields(uint32_t leaf, uint32_t subleaf,
                                       const struct cpuid_regs4 *from_host)
{
	struct cpuid_regs4 out = {0, 0, 0, 0};
	struct cpuid_regs4 in = *from_host;

	for (unsigned i = 0; i < CPUID_FIELD_COUNT; i++) {
		const struct cpuid_field *f = &cpuid_fields[i];
		if (f->leaf != leaf || (f->subleaf != ANY_SUBLEAF && f->subleaf != subleaf))
			continue;
		*reg_of(&out, f->reg) = (*reg_of(&in, f->reg) & f->from_host) | f->forced;
	}
	return out;
}

/* What depends on more than one host register or on the guest's state. */
static void apply_rules(uint32_t leaf, struct cpuid_regs4 *r, uint32_t max_basic, uint32_t max_ext,
                        const struct cpuid_facts *facts)
{
	switch (leaf) {
	case CPUID_LEAF_MAX_BASIC:
		r->eax = max_basic;
		break;
	case CPUID_LEAF_FEATURES:
		if (!facts->apic_enabled)
			r->edx &= ~CPUID_1_EDX_APIC;
		break;
	case CPUID_LEAF_MAX_EXT:
		r->eax = max_ext;
		break;
	case CPUID_LEAF_EXT_FEATURES_1:
		/* SDM Vol. 2A, CPUID 80000001H:EDX[11]: "SYSCALL/SYSRET
		 * available in 64-bit mode"; Intel CPUs report it there only. */
		if ((r->edx & CPUID_E1_EDX_LM) && facts->in_64bit_mode)
			r->edx |= CPUID_E1_EDX_SYSCALL;
		break;
	default:
		break;
	}
}

struct cpuid_regs4 cpuid_model(uint32_t leaf, uint32_t subleaf, cpuid_host_fn host, void *ctx,
                               const struct cpuid_facts *facts)
{
	uint32_t max_basic = cpuid_model_max_basic(host, ctx);
	uint32_t max_ext = cpuid_model_max_ext(host, ctx);
	struct cpuid_regs4 from_host = {0, 0, 0, 0};

	if (!leaf_in_range(leaf, max_basic, max_ext))
		leaf = max_basic; /* the Intel out-of-range rule, same subleaf */
	if (!leaf_has_subleafs(leaf))
		subleaf = 0;
	if (leaf != CPUID_LEAF_HV)
		from_host = host(ctx, leaf, subleaf);
	struct cpuid_regs4 r = apply_fields(leaf, subleaf, &from_host);
	apply_rules(leaf, &r, max_basic, max_ext, facts);
	return r;
}
