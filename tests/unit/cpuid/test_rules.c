/* The rules of the CPUID model beyond one recorded CPU: the allowlist against a host that
 * sets every bit, the clamps against hosts with more or fewer leaves, the Intel
 * out-of-range rule (SDM Vol. 2A, CPUID: "the data for the highest basic information leaf
 * is returned"), and the inputs that vary at run time (APIC enable, 64-bit mode). */
#include "tests/unit/harness.h"

#include "tests/unit/cpuid/fixture.h"

static const struct cpuid_facts in_64bit = {.apic_enabled = true, .in_64bit_mode = true};

static struct cpuid_regs4 all_ones_guest(uint32_t max_basic, uint32_t leaf, uint32_t sub)
{
	return cpuid_model(leaf, sub, all_ones_cpuid, &max_basic, &in_64bit);
}

TEST(bochs_itself_follows_the_out_of_range_rule)
{
	struct fixture f;
	REQUIRE(fixture_load(&f, "penryn"));
	/* The recording: leaf 0xe, 0x40000000 and 0x80000009 answered as leaf 0xd. */
	struct cpuid_regs4 d = fixture_cpuid(&f, 0xd, 0);
	CHECK_REGS(fixture_cpuid(&f, 0xe, 0), d.eax, d.ebx, d.ecx, d.edx);
	CHECK_REGS(fixture_cpuid(&f, 0x40000000u, 0), d.eax, d.ebx, d.ecx, d.edx);
	CHECK_REGS(fixture_cpuid(&f, 0x80000009u, 0), d.eax, d.ebx, d.ecx, d.edx);
}

TEST(out_of_range_leaf_answers_as_highest_basic_leaf)
{
	struct fixture f;
	REQUIRE(fixture_load(&f, "penryn"));
	f.max_basic_override = 4; /* a host whose last basic leaf is 4 */
	CHECK_EQ(guest_cpuid(&f, 0, 0, false).eax, 4);
	/* Leaf 4 with the subleaf given: L1d, L1i, L2 of one CPU. */
	CHECK_REGS(guest_cpuid(&f, 5, 1, false), 0x122, 0x01c0003f, 0x3f, 1);
	CHECK_REGS(guest_cpuid(&f, 0xd, 0, false), 0x121, 0x01c0003f, 0x3f, 1);
	CHECK_REGS(guest_cpuid(&f, 0x40000001u, 2, false), 0x143, 0x05c0003f, 0xfff, 1);
	CHECK_REGS(guest_cpuid(&f, 0x80000009u, 0, false), 0x121, 0x01c0003f, 0x3f, 1);
	CHECK_REGS(guest_cpuid(&f, 0x20000000u, 0, false), 0x121, 0x01c0003f, 0x3f, 1);
	CHECK_REGS(guest_cpuid(&f, 0xc0000000u, 1, false), 0x122, 0x01c0003f, 0x3f, 1);
	CHECK_REGS(guest_cpuid(&f, 0xffffffffu, 3, false), 0, 0, 0, 0);
	/* The hypervisor leaf and the extended range stay in range. */
	CHECK_EQ(guest_cpuid(&f, 0x40000000u, 0, false).eax, 0x40000000u);
	CHECK_EQ(guest_cpuid(&f, 0x80000008u, 0, false).eax, 0x3028);
}

TEST(max_leaves_clamped_on_a_newer_host)
{
	/* A host with basic leaves to 0x20 and extended ones to 0x80000020. */
	CHECK_EQ(all_ones_guest(0x20, 0, 0).eax, 0xd);
	CHECK_EQ(all_ones_guest(0x20, 0x80000000u, 0).eax, 0x80000008u);
	/* Leaves the host has but the model does not: out of range, leaf 0xd = 0. */
	CHECK_REGS(all_ones_guest(0x20, 0x14, 0), 0, 0, 0, 0);
	CHECK_REGS(all_ones_guest(0x20, 0x1f, 0), 0, 0, 0, 0);
	CHECK_REGS(all_ones_guest(0x20, 0x80000020u, 0), 0, 0, 0, 0);
}

TEST(max_leaves_follow_an_older_host)
{
	/* Basic leaves to 2 only, extended to 0x80000002. */
	CHECK_EQ(all_ones_guest(2, 0, 0).eax, 2);
	CHECK_EQ(all_ones_guest(2, 0x80000000u, 0).eax, 0x80000002u);
	/* Leaf 4 and 0x80000006 are beyond: leaf 2's data (all of it from the host). */
	CHECK_REGS(all_ones_guest(2, 4, 0), 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu);
	CHECK_REGS(all_ones_guest(2, 0x80000006u, 0), 0xffffffffu, 0xffffffffu, 0xffffffffu,
	           0xffffffffu);
}

/* A host without extended leaves (CPUID.80000000H:EAX < 0x80000000). */
static struct cpuid_regs4 basic_only_cpuid(void *ctx, uint32_t leaf, uint32_t subleaf)
{
	(void)ctx;
	(void)subleaf;
	if (leaf == 0)
		return (struct cpuid_regs4){1, 0x756e6547, 0x6c65746e, 0x49656e69};
	if (leaf == 1)
		return (struct cpuid_regs4){0x00000695, 0x00000800, 0, 0x0383fbff};
	return (struct cpuid_regs4){0, 0, 0, 0};
}

TEST(no_extended_leaves_on_such_a_host)
{
	struct cpuid_facts facts = {.apic_enabled = true, .in_64bit_mode = false};
	CHECK_EQ(cpuid_model_max_ext(basic_only_cpuid, NULL), 0);
	/* 0x80000000 is out of range: leaf 1's data, as the guest sees leaf 1. */
	struct cpuid_regs4 l1 = cpuid_model(1, 0, basic_only_cpuid, NULL, &facts);
	CHECK_REGS(cpuid_model(0x80000000u, 0, basic_only_cpuid, NULL, &facts), l1.eax, l1.ebx,
	           l1.ecx, l1.edx);
	CHECK_EQ(l1.eax, 0x695);
	CHECK_EQ(l1.ebx, 0x00010800);
}

TEST(allowlist_against_a_host_with_every_bit_set)
{
	CHECK_REGS(all_ones_guest(0xd, 1, 0), 0x0fff3fff, 0x0001ffff, 0xc2d82203u, 0x0f8babfd);
	CHECK_REGS(all_ones_guest(0xd, 2, 0), 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu);
	CHECK_REGS(all_ones_guest(0xd, 4, 5), 0x3ff, 0xffffffffu, 0xffffffffu, 0x7);
	CHECK_REGS(all_ones_guest(0xd, 6, 0), 0x4, 0, 0, 0);
	/* Leaf 7.0 EBX: BMI1 3, FDP_EXCPTN_ONLY 6, SMEP 7, BMI2 8, ERMS 9, FCS/FDS 13,
	 * RDSEED 18, ADX 19, SMAP 20, CLFLUSHOPT 23, CLWB 24, SHA 29; EDX: FSRM 4,
	 * MD_CLEAR 10. */
	CHECK_REGS(all_ones_guest(0xd, 7, 0), 0, 0x219c23c8, 0, 0x410);
	CHECK_REGS(all_ones_guest(0xd, 0x80000001u, 0), 0, 0, 0x121, 0x24100800);
	CHECK_REGS(all_ones_guest(0xd, 0x80000005u, 0), 0, 0, 0, 0);
	CHECK_REGS(all_ones_guest(0xd, 0x80000006u, 0), 0, 0, 0xffffffffu, 0);
	CHECK_REGS(all_ones_guest(0xd, 0x80000007u, 0), 0, 0, 0, 0x100);
	CHECK_REGS(all_ones_guest(0xd, 0x80000008u, 0), 0xffff, 0, 0, 0);
	static const uint32_t zero_leaves[] = {3, 5, 8, 9, 0xa, 0xb, 0xc, 0xd};
	for (unsigned i = 0; i < sizeof(zero_leaves) / sizeof(zero_leaves[0]); i++)
		CHECK_REGS(all_ones_guest(0xd, zero_leaves[i], 0), 0, 0, 0, 0);
}

TEST(hypervisor_leaf_spells_the_signature)
{
	struct cpuid_regs4 r = all_ones_guest(0xd, 0x40000000u, 0);
	char sig[13];
	memcpy(sig, &r.ebx, 4);
	memcpy(sig + 4, &r.ecx, 4);
	memcpy(sig + 8, &r.edx, 4);
	sig[12] = '\0';
	CHECK(strcmp(sig, "hvx86hvx86hv") == 0);
	CHECK(strcmp(sig, CPUID_HV_SIGNATURE) == 0);
	CHECK_EQ(r.eax, 0x40000000u);
}

TEST(leaf7_has_only_subleaf0)
{
	CHECK_REGS(all_ones_guest(0xd, 7, 1), 0, 0, 0, 0);
	CHECK_REGS(all_ones_guest(0xd, 7, 2), 0, 0, 0, 0);
}

TEST(ecx_ignored_by_leaves_without_subleafs)
{
	struct fixture f;
	REQUIRE(fixture_load(&f, "haswell"));
	static const uint32_t leaves[] = {0, 1, 2, 6, 0x40000000u, 0x80000001u, 0x80000008u};
	for (unsigned i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++) {
		struct cpuid_regs4 r = guest_cpuid(&f, leaves[i], 0, true);
		CHECK_REGS(guest_cpuid(&f, leaves[i], 0x17, true), r.eax, r.ebx, r.ecx, r.edx);
	}
}

TEST(apic_bit_follows_the_global_enable)
{
	struct fixture f;
	REQUIRE(fixture_load(&f, "penryn"));
	struct cpuid_facts off = {.apic_enabled = false, .in_64bit_mode = false};
	struct cpuid_regs4 r = cpuid_model(1, 0, fixture_cpuid, &f, &off);
	/* EDX as offered minus APIC (bit 9); the other registers do not change. */
	CHECK_REGS(r, 0x0001067a, 0x00010800, 0x80082201u, 0x0f8ba9fd);
	CHECK_EQ(guest_cpuid(&f, 1, 0, false).edx, 0x0f8babfd);
}

TEST(syscall_needs_long_mode_and_64bit_code)
{
	struct fixture f;
	REQUIRE(fixture_load(&f, "haswell"));
	CHECK_EQ(guest_cpuid(&f, 0x80000001u, 0, false).edx & (1u << 11), 0);
	CHECK_EQ(guest_cpuid(&f, 0x80000001u, 0, true).edx & (1u << 11), 1u << 11);
	f.ext1_edx_clear = 1u << 29; /* a host without long mode */
	CHECK_EQ(guest_cpuid(&f, 0x80000001u, 0, true).edx, 0x04100000);
}
