/* The guest's CPUID on Bochs' core2_penryn_t9600 (the main `make test` CPU), leaf by leaf:
 * the values below are what the guest must read, written out from the SDM bit layouts
 * (Vol. 2A, CPUID, tables 3-8, 3-10, 3-11) and the recording in penryn.txt. */
#include "tests/unit/harness.h"

#include "tests/unit/cpuid/fixture.h"

static struct fixture penryn;

static bool load(void)
{
	return fixture_load(&penryn, "penryn");
}

/* The host has MASK in the register and the guest must not see any of it. */
#define CHECK_HIDDEN(leaf, sub, reg, mask)                                       \
	do {                                                                     \
		CHECK_EQ(fixture_cpuid(&penryn, leaf, sub).reg &(mask), (mask)); \
		CHECK_EQ(guest_cpuid(&penryn, leaf, sub, true).reg &(mask), 0u); \
	} while (0)

TEST(penryn_fixture_is_the_recorded_cpu)
{
	REQUIRE(load());
	/* "GenuineIntel", family 6 model 0x17 stepping 0xa, max leaves 0xd and 0x80000008. */
	CHECK_REGS(fixture_cpuid(&penryn, 0, 0), 0xd, 0x756e6547, 0x6c65746e, 0x49656e69);
	CHECK_EQ(fixture_cpuid(&penryn, 1, 0).eax, 0x0001067a);
	CHECK_EQ(fixture_cpuid(&penryn, 0x80000000u, 0).eax, 0x80000008u);
}

TEST(penryn_leaf0_vendor_and_clamped_max)
{
	REQUIRE(load());
	/* Max basic leaf min(host 0xd, modelled 0xd); vendor from the host. */
	CHECK_REGS(guest_cpuid(&penryn, 0, 0, false), 0xd, 0x756e6547, 0x6c65746e, 0x49656e69);
	CHECK_EQ(cpuid_model_max_basic(fixture_cpuid, &penryn), 0xd);
	CHECK_EQ(cpuid_model_max_ext(fixture_cpuid, &penryn), 0x80000008u);
}

TEST(penryn_leaf1_signature_and_one_cpu)
{
	REQUIRE(load());
	struct cpuid_regs4 r = guest_cpuid(&penryn, 1, 0, false);
	CHECK_EQ(r.eax, 0x0001067a); /* host family/model/stepping */
	/* Brand index 0, CLFLUSH 8 x 8 = 64 bytes, 1 logical processor, APIC ID 0. */
	CHECK_EQ(r.ebx, 0x00010800);
}

TEST(penryn_leaf1_ecx_offered)
{
	REQUIRE(load());
	/* SSE3 (0), SSSE3 (9), CX16 (13), SSE4.1 (19), hypervisor (31). */
	CHECK_EQ(guest_cpuid(&penryn, 1, 0, false).ecx, 0x80082201u);
	CHECK_HIDDEN(1, 0, ecx,
	             (1u << 2) | (1u << 3) | (1u << 4) | (1u << 5) | (1u << 6) | (1u << 7) |
	                 (1u << 8) | (1u << 14) | (1u << 15) | (1u << 26));
}

TEST(penryn_leaf1_edx_offered)
{
	REQUIRE(load());
	/* FPU 0, DE 2, PSE 3, TSC 4, MSR 5, PAE 6, MCE 7, CX8 8, APIC 9, SEP 11, PGE 13,
	 * CMOV 15, PAT 16, PSE-36 17, CLFSH 19, MMX 23, FXSR 24, SSE 25, SSE2 26, SS 27. */
	CHECK_EQ(guest_cpuid(&penryn, 1, 0, false).edx, 0x0f8babfd);
	/* VME 1, MTRR 12, MCA 14, DS 21, ACPI 22, HTT 28, TM 29, PBE 31. */
	CHECK_HIDDEN(1, 0, edx,
	             (1u << 1) | (1u << 12) | (1u << 14) | (1u << 21) | (1u << 22) | (1u << 28) |
	                 (1u << 29) | (1u << 31));
}

TEST(penryn_leaf2_descriptors_from_host)
{
	REQUIRE(load());
	CHECK_REGS(guest_cpuid(&penryn, 2, 0, false), 0x05b0b101, 0x005657f0, 0, 0x2cb4304e);
}

TEST(penryn_leaf4_caches_of_one_cpu)
{
	REQUIRE(load());
	/* The host's L1d, L1i, L2 with EAX[31:26] (cores - 1) and EAX[25:14] (sharing
	 * logical processors - 1) forced to 0: the host says 0x04000121, 0x04000122,
	 * 0x04004143 (two cores, L2 shared by two). */
	CHECK_REGS(guest_cpuid(&penryn, 4, 0, false), 0x121, 0x01c0003f, 0x3f, 1);
	CHECK_REGS(guest_cpuid(&penryn, 4, 1, false), 0x122, 0x01c0003f, 0x3f, 1);
	CHECK_REGS(guest_cpuid(&penryn, 4, 2, false), 0x143, 0x05c0003f, 0xfff, 1);
	CHECK_REGS(guest_cpuid(&penryn, 4, 3, false), 0, 0, 0, 0); /* no more caches */
}

TEST(penryn_no_monitor_power_or_pmu)
{
	REQUIRE(load());
	CHECK_REGS(guest_cpuid(&penryn, 5, 0, false), 0, 0, 0, 0); /* host: MWAIT leaf */
	/* Only ARAT (EAX bit 2); the host's DTS/turbo (EAX 0x3), thresholds (EBX 2) and
	 * HCFC/ACNT2 (ECX 0x3) are gone. */
	CHECK_REGS(guest_cpuid(&penryn, 6, 0, false), 0x4, 0, 0, 0);
	/* Leaf 0xA: version 0, no counters (the host says version 2, 2 counters). */
	CHECK_EQ(fixture_cpuid(&penryn, 0xa, 0).eax, 0x07280202);
	CHECK_REGS(guest_cpuid(&penryn, 0xa, 0, false), 0, 0, 0, 0);
}

TEST(penryn_other_basic_leaves_read_zero)
{
	REQUIRE(load());
	static const uint32_t leaves[] = {3, 7, 8, 9, 0xb, 0xc, 0xd};
	for (unsigned i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++)
		CHECK_REGS(guest_cpuid(&penryn, leaves[i], 0, true), 0, 0, 0, 0);
	/* XSAVE: the host has x87|SSE (EAX 3) and a 576-byte area; the guest sees none. */
	CHECK_EQ(fixture_cpuid(&penryn, 0xd, 0).eax, 3);
	CHECK_REGS(guest_cpuid(&penryn, 0xd, 1, true), 0, 0, 0, 0);
}

TEST(penryn_hypervisor_leaf)
{
	REQUIRE(load());
	/* Max 0x40000000, "hvx86hvx86hv"; Bochs answered with leaf 0xd's data here. */
	CHECK_REGS(guest_cpuid(&penryn, 0x40000000u, 0, false), 0x40000000u, 0x38787668, 0x78766836,
	           0x76683638);
}

TEST(penryn_ext_leaf1_no_rdtscp_syscall_in_64bit)
{
	REQUIRE(load());
	/* ECX: LAHF/SAHF (0). EDX: NX (20), LM (29); Penryn has no 1 GiB pages, no RDTSCP. */
	CHECK_REGS(guest_cpuid(&penryn, 0x80000001u, 0, false), 0, 0, 0x1, 0x20100000);
	/* SYSCALL (11) appears in 64-bit mode, as on the real CPU. */
	CHECK_REGS(guest_cpuid(&penryn, 0x80000001u, 0, true), 0, 0, 0x1, 0x20100800);
}

TEST(penryn_brand_string_from_host)
{
	REQUIRE(load());
	char brand[49];
	guest_brand(&penryn, brand);
	CHECK(strcmp(brand, "Intel(R) Core(TM)2 Duo CPU     T9600  @ 2.80GHz") == 0);
}

TEST(penryn_ext_cache_tsc_and_address_sizes)
{
	REQUIRE(load());
	CHECK_REGS(guest_cpuid(&penryn, 0x80000005u, 0, false), 0, 0, 0, 0);
	/* L2: 6 MiB (0x1800 KiB), 16-way (8), 64-byte lines. */
	CHECK_REGS(guest_cpuid(&penryn, 0x80000006u, 0, false), 0, 0, 0x18008040, 0);
	CHECK_REGS(guest_cpuid(&penryn, 0x80000007u, 0, false), 0, 0, 0, 0); /* no invariant TSC */
	/* 40 physical, 48 linear address bits. */
	CHECK_REGS(guest_cpuid(&penryn, 0x80000008u, 0, false), 0x3028, 0, 0, 0);
}

TEST(penryn_asks_the_host_only_recorded_leaves)
{
	REQUIRE(load());
	static const uint32_t bases[] = {0, 0x40000000u, 0x80000000u, 0xc0000000u};
	for (unsigned b = 0; b < 4; b++)
		for (uint32_t leaf = bases[b]; leaf < bases[b] + 0x20; leaf++)
			for (uint32_t sub = 0; sub < 4; sub++)
				(void)guest_cpuid(&penryn, leaf, sub, true);
	CHECK_EQ(penryn.unrecorded_queries, 0);
}
