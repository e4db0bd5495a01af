/*
 * The vCPU's MSRs as one allowlist table (SDM Vol. 4, table 2-2
 * "IA-32 Architectural MSRs"), and the checks a written value must pass.
 * Anything not listed raises #GP, so a feature whose MSRs are not
 * virtualized (MTRR, MCA, PMU, DS, thermal, TSC_AUX, TSC_ADJUST, SPEC_CTRL,
 * VMX) has neither its MSRs here nor its CPUID bit in cpuid_model.c.
 *
 * Choices where the SDM leaves room:
 * - IA32_FEATURE_CONTROL reads locked with VMX disabled (0x1); being locked,
 *   every write raises #GP (Vol. 3C §23.7).
 * - IA32_BIOS_SIGN_ID reads 0, "no microcode update loaded" (Vol. 3A
 *   §9.11.7.1), which is true: the guest cannot load one (no
 *   IA32_BIOS_UPDT_TRIG). Writes are accepted and ignored: the microcode
 *   revision protocol writes 0 before CPUID (Linux does so without a #GP
 *   guard).
 * - IA32_MISC_ENABLE: fast strings on, BTS and PEBS unavailable, every other
 *   bit 0: no performance monitoring (bit 7, as CPUID leaf 0xA says), no
 *   MONITOR (bit 18, as CPUID.1:ECX.MONITOR says), no CPUID limit (bit 22).
 *   Only fast strings may be written; the read-only bits 7, 11 and 12 ignore
 *   what is written; setting any bit of an absent feature (TCC, EIST,
 *   MONITOR, CPUID limit, xTPR, XD disable) raises #GP.
 * - IA32_DEBUGCTL keeps BTF only: it takes effect through the VMCS guest
 *   DEBUGCTL and needs no other MSR. LBR would need the LBR stack MSRs and
 *   the rest needs DS or the PMU.
 * - IA32_SYSENTER_CS holds 32 bits, as its VMCS field (Vol. 3C §24.4.1);
 *   bits 63:32 of a write are dropped.
 */
#include "vmx/exit/msr_model.h"

#define ALL_BITS        0xffffffffffffffffull
#define LOW_32_BITS     0x00000000ffffffffull
#define HIGH_32_BITS    0xffffffff00000000ull
#define DEFAULT_LINEAR  48u
#define PAT_ENTRIES     8u
#define PAT_TYPE_MAX    7u
#define PAT_TYPE_RSVD_2 2u
#define PAT_TYPE_RSVD_3 3u

#define MISC_RESET     (MODEL_MISC_FAST_STRINGS | MODEL_MISC_BTS_UNAVAIL | MODEL_MISC_PEBS_UNAVAIL)
#define MISC_READ_ONLY (MODEL_MISC_PERF_MON | MODEL_MISC_BTS_UNAVAIL | MODEL_MISC_PEBS_UNAVAIL)
#define EFER_WRITABLE  (MODEL_EFER_SCE | MODEL_EFER_LME | MODEL_EFER_NXE)

static const struct msr_desc msr_table[] = {
    {MSR_MODEL_TSC, "IA32_TIME_STAMP_COUNTER", MSR_KIND_TSC, MSR_NEED_TSC, MSR_CHECK_NONE, 0,
     ALL_BITS, 0},
    {MSR_MODEL_PLATFORM_ID, "IA32_PLATFORM_ID", MSR_KIND_CONST, MSR_NEED_NONE, MSR_CHECK_READ_ONLY,
     0, 0, 0},
    {MSR_MODEL_APIC_BASE, "IA32_APIC_BASE", MSR_KIND_DEVICE, MSR_NEED_NONE, MSR_CHECK_NONE, 0, 0,
     0},
    {MSR_MODEL_FEATURE_CONTROL, "IA32_FEATURE_CONTROL", MSR_KIND_CONST, MSR_NEED_NONE,
     MSR_CHECK_READ_ONLY, MODEL_FEATURE_CONTROL_LOCK, 0, 0},
    {MSR_MODEL_BIOS_SIGN_ID, "IA32_BIOS_SIGN_ID", MSR_KIND_CONST, MSR_NEED_NONE, MSR_CHECK_NONE, 0,
     0, ALL_BITS},
    {MSR_MODEL_SYSENTER_CS, "IA32_SYSENTER_CS", MSR_KIND_STORED, MSR_NEED_SEP, MSR_CHECK_NONE, 0,
     LOW_32_BITS, HIGH_32_BITS},
    {MSR_MODEL_SYSENTER_ESP, "IA32_SYSENTER_ESP", MSR_KIND_STORED, MSR_NEED_SEP,
     MSR_CHECK_CANONICAL, 0, ALL_BITS, 0},
    {MSR_MODEL_SYSENTER_EIP, "IA32_SYSENTER_EIP", MSR_KIND_STORED, MSR_NEED_SEP,
     MSR_CHECK_CANONICAL, 0, ALL_BITS, 0},
    {MSR_MODEL_MISC_ENABLE, "IA32_MISC_ENABLE", MSR_KIND_STORED, MSR_NEED_NONE, MSR_CHECK_NONE,
     MISC_RESET, MODEL_MISC_FAST_STRINGS, MISC_READ_ONLY},
    {MSR_MODEL_DEBUGCTL, "IA32_DEBUGCTL", MSR_KIND_STORED, MSR_NEED_NONE, MSR_CHECK_NONE, 0,
     MODEL_DEBUGCTL_BTF, 0},
    {MSR_MODEL_PAT, "IA32_PAT", MSR_KIND_STORED, MSR_NEED_PAT, MSR_CHECK_PAT, MODEL_PAT_RESET,
     ALL_BITS, 0},
    /* LMA is read-only: a write's LMA is ignored (the CPU sets it). */
    {MSR_MODEL_EFER, "IA32_EFER", MSR_KIND_EFER, MSR_NEED_EFER, MSR_CHECK_NONE, 0, EFER_WRITABLE,
     MODEL_EFER_LMA},
    {MSR_MODEL_STAR, "IA32_STAR", MSR_KIND_STORED, MSR_NEED_LM, MSR_CHECK_NONE, 0, ALL_BITS, 0},
    {MSR_MODEL_LSTAR, "IA32_LSTAR", MSR_KIND_STORED, MSR_NEED_LM, MSR_CHECK_CANONICAL, 0, ALL_BITS,
     0},
    {MSR_MODEL_CSTAR, "IA32_CSTAR", MSR_KIND_STORED, MSR_NEED_LM, MSR_CHECK_CANONICAL, 0, ALL_BITS,
     0},
    /* Bits 63:32 are reserved (Vol. 4 table 2-2, IA32_FMASK). */
    {MSR_MODEL_FMASK, "IA32_FMASK", MSR_KIND_STORED, MSR_NEED_LM, MSR_CHECK_NONE, 0, LOW_32_BITS,
     0},
    {MSR_MODEL_FS_BASE, "IA32_FS_BASE", MSR_KIND_STORED, MSR_NEED_LM, MSR_CHECK_CANONICAL, 0,
     ALL_BITS, 0},
    {MSR_MODEL_GS_BASE, "IA32_GS_BASE", MSR_KIND_STORED, MSR_NEED_LM, MSR_CHECK_CANONICAL, 0,
     ALL_BITS, 0},
    {MSR_MODEL_KERNEL_GS_BASE, "IA32_KERNEL_GS_BASE", MSR_KIND_STORED, MSR_NEED_LM,
     MSR_CHECK_CANONICAL, 0, ALL_BITS, 0},
};

#define MSR_TABLE_COUNT (sizeof(msr_table) / sizeof(msr_table[0]))

const struct msr_desc *msr_model_table(unsigned *count)
{
	*count = (unsigned)MSR_TABLE_COUNT;
	return msr_table;
}

/* The guest's CPUID answers the caps are read from (the APIC and the mode
 * do not matter to any bit read here). */
static struct cpuid_regs4 guest_leaf(cpuid_host_fn host, void *ctx, uint32_t leaf)
{
	static const struct cpuid_facts facts = {true, true};
	return cpuid_model(leaf, 0, host, ctx, &facts);
}

static uint8_t linear_bits_of(uint32_t addr_sizes_eax)
{
	uint8_t bits = (uint8_t)(addr_sizes_eax >> CPUID_E8_EAX_LINEAR_SHIFT);
	return bits ? bits : (uint8_t)DEFAULT_LINEAR;
}

struct msr_caps msr_caps_from_cpuid(cpuid_host_fn host, void *ctx)
{
	uint32_t edx1 = guest_leaf(host, ctx, CPUID_LEAF_FEATURES).edx;
	struct msr_caps caps = {
	    .tsc = (edx1 & CPUID_1_EDX_TSC) != 0,
	    .sep = (edx1 & CPUID_1_EDX_SEP) != 0,
	    .pat = (edx1 & CPUID_1_EDX_PAT) != 0,
	    .linear_bits = (uint8_t)DEFAULT_LINEAR,
	};
	uint32_t max_ext = cpuid_model_max_ext(host, ctx);
	if (max_ext >= CPUID_LEAF_EXT_FEATURES_1) {
		uint32_t edx = guest_leaf(host, ctx, CPUID_LEAF_EXT_FEATURES_1).edx;
		caps.nx = (edx & CPUID_E1_EDX_NX) != 0;
		caps.long_mode = (edx & CPUID_E1_EDX_LM) != 0;
	}
	if (max_ext >= CPUID_LEAF_ADDR_SIZES)
		caps.linear_bits = linear_bits_of(guest_leaf(host, ctx, CPUID_LEAF_ADDR_SIZES).eax);
	return caps;
}

static bool need_met(enum msr_need need, const struct msr_caps *caps)
{
	switch (need) {
	case MSR_NEED_TSC:
		return caps->tsc;
	case MSR_NEED_SEP:
		return caps->sep;
	case MSR_NEED_PAT:
		return caps->pat;
	case MSR_NEED_LM:
		return caps->long_mode;
	case MSR_NEED_EFER:
		return caps->long_mode || caps->nx;
	default:
		return true;
	}
}

const struct msr_desc *msr_model_find(uint32_t msr, const struct msr_caps *caps)
{
	for (unsigned i = 0; i < MSR_TABLE_COUNT; i++) {
		if (msr_table[i].msr == msr)
			return need_met(msr_table[i].need, caps) ? &msr_table[i] : 0;
	}
	return 0;
}

/* EFER: SCE and LME exist with long mode, NXE with NX (Vol. 4 table 2-2). */
uint64_t msr_model_writable(const struct msr_desc *d, const struct msr_caps *caps)
{
	uint64_t writable = d->writable;
	if (d->kind != MSR_KIND_EFER)
		return writable;
	if (!caps->long_mode)
		writable &= ~(MODEL_EFER_SCE | MODEL_EFER_LME);
	if (!caps->nx)
		writable &= ~MODEL_EFER_NXE;
	return writable;
}

bool msr_model_canonical(uint64_t value, uint8_t linear_bits)
{
	if (linear_bits == 0 || linear_bits >= 64)
		return true;
	uint64_t top = value >> (linear_bits - 1); /* bits 63:(n-1) */
	return top == 0 || top == (ALL_BITS >> (linear_bits - 1));
}

/* Without long mode such an MSR holds a 32-bit address. */
static bool address_ok(uint64_t value, const struct msr_caps *caps)
{
	if (!caps->long_mode)
		return (value >> 32) == 0;
	return msr_model_canonical(value, caps->linear_bits);
}

/* Each byte a memory type: 0, 1, 4, 5, 6 or 7; 2 and 3 are reserved
 * (Vol. 3A §11.12.2, table 11-10). */
static bool pat_ok(uint64_t value)
{
	for (unsigned i = 0; i < PAT_ENTRIES; i++) {
		uint8_t type = (uint8_t)(value >> (8 * i));
		if (type > PAT_TYPE_MAX || type == PAT_TYPE_RSVD_2 || type == PAT_TYPE_RSVD_3)
			return false;
	}
	return true;
}

bool msr_model_write_ok(const struct msr_desc *d, uint64_t value, const struct msr_caps *caps)
{
	uint64_t reserved = ~(msr_model_writable(d, caps) | d->ignored);

	if (d->kind == MSR_KIND_DEVICE)
		return true; /* the device checks its own MSR */
	if (d->check == MSR_CHECK_READ_ONLY || (value & reserved))
		return false;
	if (d->check == MSR_CHECK_CANONICAL)
		return address_ok(value, caps);
	if (d->check == MSR_CHECK_PAT)
		return pat_ok(value);
	return true;
}

uint64_t msr_model_after_write(const struct msr_desc *d, uint64_t old, uint64_t value,
                               const struct msr_caps *caps)
{
	uint64_t writable = msr_model_writable(d, caps);
	return (old & ~writable) | (value & writable);
}
