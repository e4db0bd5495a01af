/* The MSR table: which MSRs exist, their reset values, and the written values that must
 * raise #GP (SDM Vol. 4 table 2-2; Vol. 3A §2.2.1 EFER, §3.3.7.1 canonical addresses,
 * §11.12 PAT). */
#include "tests/unit/harness.h"

#include "tests/unit/cpuid/fixture.h"
#include "vmx/exit/msr_model.h"

/* What the Bochs CPUs offer through the model: TSC, SEP, PAT, NX, long mode, 48 bits. */
static const struct msr_caps full = {true, true, true, true, true, 48};

static const struct msr_desc *find(uint32_t msr)
{
	return msr_model_find(msr, &full);
}

static bool write_ok(uint32_t msr, uint64_t value)
{
	const struct msr_desc *d = find(msr);
	return d && msr_model_write_ok(d, value, &full);
}

TEST(msr_table_sorted_and_named)
{
	unsigned n;
	const struct msr_desc *t = msr_model_table(&n);
	CHECK_EQ(n, 19);
	for (unsigned i = 0; i < n; i++) {
		CHECK(t[i].name && t[i].name[0] == 'I');
		if (i)
			CHECK(t[i - 1].msr < t[i].msr);
	}
}

TEST(msr_reset_values_and_kinds)
{
	static const struct {
		uint32_t msr;
		enum msr_kind kind;
		uint64_t reset;
	} want[] = {
	    {0x10, MSR_KIND_TSC, 0},
	    {0x17, MSR_KIND_CONST, 0},
	    {0x1b, MSR_KIND_DEVICE, 0},
	    {0x3a, MSR_KIND_CONST, 0x1},
	    {0x8b, MSR_KIND_CONST, 0},
	    {0x174, MSR_KIND_STORED, 0},
	    {0x175, MSR_KIND_STORED, 0},
	    {0x176, MSR_KIND_STORED, 0},
	    {0x1a0, MSR_KIND_STORED, 0x1801},
	    {0x1d9, MSR_KIND_STORED, 0},
	    {0x277, MSR_KIND_STORED, 0x0007040600070406ull},
	    {0xc0000080u, MSR_KIND_EFER, 0},
	    {0xc0000081u, MSR_KIND_STORED, 0},
	    {0xc0000082u, MSR_KIND_STORED, 0},
	    {0xc0000083u, MSR_KIND_STORED, 0},
	    {0xc0000084u, MSR_KIND_STORED, 0},
	    {0xc0000100u, MSR_KIND_STORED, 0},
	    {0xc0000101u, MSR_KIND_STORED, 0},
	    {0xc0000102u, MSR_KIND_STORED, 0},
	};
	for (unsigned i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct msr_desc *d = find(want[i].msr);
		REQUIRE(d);
		CHECK_EQ(d->msr, want[i].msr);
		CHECK_EQ(d->kind, want[i].kind);
		CHECK_EQ(d->reset, want[i].reset);
	}
}

TEST(msr_unknown_and_unoffered_raise_gp)
{
	/* MTRRcap, MTRR base/fixed/default, MCG_CAP/STATUS, MC0_CTL, PMC0, PERFEVTSEL0,
	 * PERF_GLOBAL_CTRL, FIXED_CTR_CTRL, PERF_CAPABILITIES, MPERF, APERF, PERF_STATUS/CTL,
	 * THERM_STATUS, TSC_ADJUST, TSC_DEADLINE, TSC_AUX, SPEC_CTRL, PRED_CMD,
	 * ARCH_CAPABILITIES, VMX_BASIC, x2APIC ID, LBR from, PLATFORM_INFO, BIOS_UPDT_TRIG,
	 * and numbers nobody defines. */
	static const uint32_t absent[] = {
	    0xfe,        0x200,      0x250, 0x2ff,       0x179,       0x17a,       0x400,
	    0xc1,        0x186,      0x38f, 0x38d,       0x345,       0xe7,        0xe8,
	    0x198,       0x199,      0x19c, 0x3b,        0x6e0,       0x48,        0x49,
	    0x10a,       0x480,      0x802, 0x1db,       0xce,        0x79,        0x0,
	    0x11,        0x1a1,      0x278, 0x12345678u, 0xc0000103u, 0xc0000085u, 0xc0010000u,
	    0x40000000u, 0xffffffffu};
	for (unsigned i = 0; i < sizeof(absent) / sizeof(absent[0]); i++)
		CHECK(find(absent[i]) == NULL);
}

TEST(msr_pat_memory_types)
{
	CHECK(write_ok(0x277, 0x0007040600070406ull));
	CHECK(write_ok(0x277, 0));                     /* all UC */
	CHECK(write_ok(0x277, 0x0706050401000706ull)); /* every defined type */
	for (unsigned byte = 0; byte < 8; byte++) {
		unsigned shift = 8 * byte;
		uint64_t base = 0x0606060606060606ull & ~(0xffull << shift);
		CHECK(!write_ok(0x277, base | (2ull << shift)));    /* reserved type 2 */
		CHECK(!write_ok(0x277, base | (3ull << shift)));    /* reserved type 3 */
		CHECK(!write_ok(0x277, base | (8ull << shift)));    /* bits 7:3 reserved */
		CHECK(!write_ok(0x277, base | (0x86ull << shift))); /* WB with bit 7 */
		CHECK(write_ok(0x277, base | (1ull << shift)));     /* WC */
	}
}

TEST(msr_efer_bits)
{
	const struct msr_desc *efer = find(0xc0000080u);
	REQUIRE(efer);
	CHECK(write_ok(0xc0000080u, 0x1));     /* SCE */
	CHECK(write_ok(0xc0000080u, 0x100));   /* LME */
	CHECK(write_ok(0xc0000080u, 0x800));   /* NXE */
	CHECK(write_ok(0xc0000080u, 0xd01));   /* SCE LME LMA NXE */
	CHECK(!write_ok(0xc0000080u, 0x2));    /* reserved bit 1 */
	CHECK(!write_ok(0xc0000080u, 0x200));  /* reserved bit 9 */
	CHECK(!write_ok(0xc0000080u, 0x1000)); /* LMSLE: AMD only */
	CHECK(!write_ok(0xc0000080u, 0x4000)); /* FFXSR: AMD only */
	CHECK(!write_ok(0xc0000080u, 1ull << 63));
	/* LMA is the CPU's: a write keeps the old LMA whatever it says. */
	CHECK_EQ(msr_model_after_write(efer, 0x500, 0x801, &full), 0xc01); /* LME off, LMA kept */
	CHECK_EQ(msr_model_after_write(efer, 0x0, 0x500, &full), 0x100);
}

TEST(msr_efer_follows_nx_and_long_mode)
{
	const struct msr_caps no_nx = {true, true, true, false, true, 48};
	const struct msr_caps nx_only = {true, true, true, true, false, 48};
	const struct msr_caps neither = {true, true, true, false, false, 48};
	const struct msr_desc *efer = msr_model_find(0xc0000080u, &no_nx);
	REQUIRE(efer);
	CHECK(!msr_model_write_ok(efer, 0x800, &no_nx));
	CHECK(msr_model_write_ok(efer, 0x101, &no_nx));
	efer = msr_model_find(0xc0000080u, &nx_only);
	REQUIRE(efer);
	CHECK(msr_model_write_ok(efer, 0x800, &nx_only));
	CHECK(!msr_model_write_ok(efer, 0x1, &nx_only));
	CHECK(!msr_model_write_ok(efer, 0x100, &nx_only));
	CHECK(msr_model_find(0xc0000080u, &neither) == NULL);
	/* Without long mode the SYSCALL and base MSRs do not exist either. */
	CHECK(msr_model_find(0xc0000081u, &nx_only) == NULL);
	CHECK(msr_model_find(0xc0000084u, &nx_only) == NULL);
	CHECK(msr_model_find(0xc0000102u, &nx_only) == NULL);
}

TEST(msr_canonical_addresses)
{
	static const uint32_t addr_msrs[] = {0x175,       0x176,       0xc0000082u, 0xc0000083u,
	                                     0xc0000100u, 0xc0000101u, 0xc0000102u};
	for (unsigned i = 0; i < sizeof(addr_msrs) / sizeof(addr_msrs[0]); i++) {
		uint32_t m = addr_msrs[i];
		CHECK(write_ok(m, 0));
		CHECK(write_ok(m, 0x00007fffffffffffull));
		CHECK(write_ok(m, 0xffff800000000000ull));
		CHECK(write_ok(m, 0xffffffff81000000ull));
		CHECK(!write_ok(m, 0x0000800000000000ull));
		CHECK(!write_ok(m, 0xffff7fffffffffffull));
		CHECK(!write_ok(m, 0x8000000000000000ull));
	}
	/* STAR holds selectors and a legacy EIP: any value. */
	CHECK(write_ok(0xc0000081u, 0xffffffffffffffffull));
}

TEST(msr_canonical_width)
{
	CHECK(msr_model_canonical(0x00007fffffffffffull, 48));
	CHECK(!msr_model_canonical(0x0000800000000000ull, 48));
	CHECK(msr_model_canonical(0x00ffffffffffffffull, 57));
	CHECK(msr_model_canonical(0xff00000000000000ull, 57));
	CHECK(!msr_model_canonical(0x0100000000000000ull, 57));
	/* A 57-bit CPU: LSTAR may hold a 5-level address. */
	const struct msr_caps la57 = {true, true, true, true, true, 57};
	const struct msr_desc *lstar = msr_model_find(0xc0000082u, &la57);
	REQUIRE(lstar);
	CHECK(msr_model_write_ok(lstar, 0x00ff800000000000ull, &la57));
	/* Without long mode SYSENTER_EIP holds a 32-bit address. */
	const struct msr_caps legacy = {true, true, true, true, false, 48};
	const struct msr_desc *eip = msr_model_find(0x176, &legacy);
	REQUIRE(eip);
	CHECK(msr_model_write_ok(eip, 0xfffff000u, &legacy));
	CHECK(!msr_model_write_ok(eip, 0x100000000ull, &legacy));
}

TEST(msr_fmask_high_half_reserved)
{
	CHECK(write_ok(0xc0000084u, 0xffffffffu));
	CHECK(write_ok(0xc0000084u, 0x257fd5)); /* the flags a 64-bit Linux masks */
	CHECK(!write_ok(0xc0000084u, 1ull << 32));
	CHECK(!write_ok(0xc0000084u, 1ull << 63));
}

TEST(msr_sysenter_cs_keeps_32_bits)
{
	const struct msr_desc *cs = find(0x174);
	REQUIRE(cs);
	CHECK(msr_model_write_ok(cs, 0xffffffff00000010ull, &full));
	CHECK_EQ(msr_model_after_write(cs, 0, 0xffffffff00000010ull, &full), 0x10);
}

TEST(msr_read_only_ones)
{
	CHECK(!write_ok(0x3a, 0x0)); /* locked: every write #GP */
	CHECK(!write_ok(0x3a, 0x1));
	CHECK(!write_ok(0x3a, 0x5));
	CHECK(!write_ok(0x17, 0x0));
	/* BIOS_SIGN_ID: the update-signature protocol writes 0; anything is dropped. */
	const struct msr_desc *sig = find(0x8b);
	REQUIRE(sig);
	CHECK(msr_model_write_ok(sig, 0, &full));
	CHECK(msr_model_write_ok(sig, 0xffffffffffffffffull, &full));
	CHECK_EQ(msr_model_after_write(sig, 0, 0x1234ull << 32, &full), 0);
}

TEST(msr_misc_enable_writes)
{
	const struct msr_desc *misc = find(0x1a0);
	REQUIRE(misc);
	CHECK(msr_model_write_ok(misc, 0x1801, &full)); /* its own value back */
	CHECK(msr_model_write_ok(misc, 0, &full));
	CHECK_EQ(msr_model_after_write(misc, 0x1801, 0, &full), 0x1800); /* fast strings off */
	CHECK_EQ(msr_model_after_write(misc, 0x1800, 0x1, &full), 0x1801);
	/* Bits 7, 11, 12 are read-only: written values are ignored. */
	CHECK(msr_model_write_ok(misc, 0x1881, &full));
	CHECK_EQ(msr_model_after_write(misc, 0x1801, 0x0081, &full), 0x1801);
	/* TCC 3, EIST 16, MONITOR 18, limit CPUID 22, xTPR disable 23, XD disable 34. */
	static const unsigned absent_bits[] = {3, 16, 18, 22, 23, 34, 1, 63};
	for (unsigned i = 0; i < sizeof(absent_bits) / sizeof(absent_bits[0]); i++)
		CHECK(!msr_model_write_ok(misc, 0x1801 | (1ull << absent_bits[i]), &full));
}

TEST(msr_debugctl_btf_only)
{
	CHECK(write_ok(0x1d9, 0));
	CHECK(write_ok(0x1d9, 0x2));    /* BTF */
	CHECK(!write_ok(0x1d9, 0x1));   /* LBR: no LBR stack MSRs */
	CHECK(!write_ok(0x1d9, 0x40));  /* TR */
	CHECK(!write_ok(0x1d9, 0x80));  /* BTS */
	CHECK(!write_ok(0x1d9, 0x800)); /* FREEZE_PERFMON_ON_PMI */
}

TEST(msr_tsc_and_device)
{
	CHECK(write_ok(0x10, 0));
	CHECK(write_ok(0x10, 0xffffffffffffffffull));
	const struct msr_desc *apic = find(0x1b);
	REQUIRE(apic);
	CHECK_EQ(apic->kind, MSR_KIND_DEVICE);
	CHECK(msr_model_write_ok(apic, 0xfee00900, &full)); /* the device decides */
}

TEST(msr_presence_follows_cpuid_features)
{
	const struct msr_caps none = {false, false, false, false, false, 48};
	CHECK(msr_model_find(0x10, &none) == NULL);  /* TSC */
	CHECK(msr_model_find(0x174, &none) == NULL); /* SEP */
	CHECK(msr_model_find(0x176, &none) == NULL);
	CHECK(msr_model_find(0x277, &none) == NULL); /* PAT */
	CHECK(msr_model_find(0x1a0, &none) != NULL);
	CHECK(msr_model_find(0x1b, &none) != NULL);
}
