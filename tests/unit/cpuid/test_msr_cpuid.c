/* MSRs and CPUID agree: an MSR exists exactly when the guest's CPUID shows its feature
 * (SDM Vol. 4 table 2-2 gives each MSR's CPUID condition), IA32_MISC_ENABLE says what
 * CPUID says (Vol. 4, IA32_MISC_ENABLE bits 7, 11, 12, 18, 22, 34), and the architectural
 * reset values are those of the recorded Bochs CPUs. */
#include "tests/unit/harness.h"

#include "tests/unit/cpuid/fixture.h"
#include "vmx/exit/msr_model.h"

static const char *const models[] = {"penryn", "haswell"};

TEST(msr_caps_from_the_recorded_cpus)
{
	for (unsigned i = 0; i < 2; i++) {
		struct fixture f;
		REQUIRE(fixture_load(&f, models[i]));
		struct msr_caps c = msr_caps_from_cpuid(fixture_cpuid, &f);
		CHECK(c.tsc && c.sep && c.pat && c.nx && c.long_mode);
		CHECK_EQ(c.linear_bits, 48);
	}
}

/* The guest's CPUID bit for a feature, and the MSR behind it. */
struct feature_msr {
	uint32_t leaf;
	char reg; /* 'b', 'c' or 'd' */
	unsigned bit;
	uint32_t msr;
};

static uint32_t reg_of(struct cpuid_regs4 r, char reg)
{
	return reg == 'b' ? r.ebx : reg == 'c' ? r.ecx : r.edx;
}

TEST(msr_exists_exactly_when_cpuid_shows_it)
{
	static const struct feature_msr pairs[] = {
	    {1, 'd', 4, 0x10},                   /* TSC: IA32_TIME_STAMP_COUNTER */
	    {1, 'd', 11, 0x174},                 /* SEP: IA32_SYSENTER_CS */
	    {1, 'd', 16, 0x277},                 /* PAT: IA32_PAT */
	    {1, 'd', 12, 0xfe},                  /* MTRR: IA32_MTRRCAP */
	    {1, 'd', 14, 0x179},                 /* MCA: IA32_MCG_CAP */
	    {1, 'd', 21, 0x600},                 /* DS: IA32_DS_AREA */
	    {1, 'd', 22, 0x19c},                 /* ACPI: IA32_THERM_STATUS */
	    {1, 'c', 5, 0x480},                  /* VMX: IA32_VMX_BASIC */
	    {1, 'c', 7, 0x199},                  /* EST: IA32_PERF_CTL */
	    {1, 'c', 15, 0x345},                 /* PDCM: IA32_PERF_CAPABILITIES */
	    {1, 'c', 21, 0x802},                 /* x2APIC: the x2APIC ID */
	    {1, 'c', 24, 0x6e0},                 /* TSC deadline: IA32_TSC_DEADLINE */
	    {6, 'c', 0, 0xe7},                   /* HCFC: IA32_MPERF */
	    {7, 'b', 1, 0x3b},                   /* IA32_TSC_ADJUST */
	    {7, 'd', 26, 0x48},                  /* IBRS/IBPB: IA32_SPEC_CTRL */
	    {7, 'd', 29, 0x10a},                 /* IA32_ARCH_CAPABILITIES */
	    {0x80000001u, 'd', 27, 0xc0000103u}, /* RDTSCP: IA32_TSC_AUX */
	    {0x80000001u, 'd', 29, 0xc0000082u}, /* LM: IA32_LSTAR */
	    {0x80000001u, 'd', 20, 0xc0000080u}, /* NX: IA32_EFER */
	};
	for (unsigned m = 0; m < 2; m++) {
		struct fixture f;
		REQUIRE(fixture_load(&f, models[m]));
		struct msr_caps caps = msr_caps_from_cpuid(fixture_cpuid, &f);
		for (unsigned i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
			struct cpuid_regs4 r = guest_cpuid(&f, pairs[i].leaf, 0, true);
			bool shown = (reg_of(r, pairs[i].reg) >> pairs[i].bit) & 1;
			bool exists = msr_model_find(pairs[i].msr, &caps) != NULL;
			if (shown != exists)
				printf("  %s: MSR 0x%x exists %d, CPUID shows %d\n", models[m],
				       pairs[i].msr, exists, shown);
			CHECK(shown == exists);
		}
	}
}

TEST(misc_enable_agrees_with_cpuid)
{
	for (unsigned m = 0; m < 2; m++) {
		struct fixture f;
		REQUIRE(fixture_load(&f, models[m]));
		struct msr_caps caps = msr_caps_from_cpuid(fixture_cpuid, &f);
		const struct msr_desc *misc = msr_model_find(0x1a0, &caps);
		REQUIRE(misc);
		uint64_t v = misc->reset;
		/* Bit 7 "performance monitoring available" = 0: leaf 0xA version 0. */
		CHECK_EQ(v & (1ull << 7), 0);
		CHECK_EQ(guest_cpuid(&f, 0xa, 0, true).eax & 0xff, 0);
		/* Bits 11, 12 "BTS/PEBS unavailable" = 1: CPUID.1:EDX.DS = 0. */
		CHECK_EQ(v & (3ull << 11), 3ull << 11);
		CHECK_EQ(guest_cpuid(&f, 1, 0, true).edx & (1u << 21), 0);
		/* Bit 18 "MONITOR FSM enable" = 0: CPUID.1:ECX.MONITOR = 0; and it stays 0. */
		CHECK_EQ(v & (1ull << 18), 0);
		CHECK_EQ(guest_cpuid(&f, 1, 0, true).ecx & (1u << 3), 0);
		CHECK(!msr_model_write_ok(misc, v | (1ull << 18), &caps));
		/* Bit 22 "limit CPUID maxval" = 0: the max basic leaf is above 2. */
		CHECK_EQ(v & (1ull << 22), 0);
		CHECK_EQ(guest_cpuid(&f, 0, 0, true).eax, 0xd);
		CHECK(!msr_model_write_ok(misc, v | (1ull << 22), &caps));
		/* Bit 34 "XD bit disable" = 0: NX is shown. */
		CHECK_EQ(v & (1ull << 34), 0);
		CHECK(guest_cpuid(&f, 0x80000001u, 0, true).edx & (1u << 20));
		/* Bit 0 fast strings = 1, as ERMS (where shown) requires. */
		CHECK_EQ(v & 1, 1);
	}
}

TEST(reset_values_match_the_recorded_cpus)
{
	/* PAT's reset is the SDM's (Vol. 3A §11.12.4); the others start at 0 on the
	 * recorded CPUs as in the model. */
	static const uint32_t msrs[] = {0x174,       0x175,       0x176,       0x277,
	                                0xc0000080u, 0xc0000081u, 0xc0000082u, 0xc0000083u,
	                                0xc0000100u, 0xc0000101u, 0xc0000102u};
	for (unsigned m = 0; m < 2; m++) {
		struct fixture f;
		REQUIRE(fixture_load(&f, models[m]));
		struct msr_caps caps = msr_caps_from_cpuid(fixture_cpuid, &f);
		for (unsigned i = 0; i < sizeof(msrs) / sizeof(msrs[0]); i++) {
			const struct fixture_msr *rec = fixture_msr(&f, msrs[i]);
			const struct msr_desc *d = msr_model_find(msrs[i], &caps);
			REQUIRE(rec && d);
			CHECK(!rec->gp);
			CHECK_EQ(d->reset, rec->value);
		}
		/* Bochs has MTRRs (MTRRcap reads); the guest has none. */
		CHECK(!fixture_msr(&f, 0xfe)->gp);
		CHECK(msr_model_find(0xfe, &caps) == NULL);
	}
}
