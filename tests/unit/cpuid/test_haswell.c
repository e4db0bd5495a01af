/* The guest's CPUID on Bochs' corei7_haswell_4770 (the second `make test` CPU): a host
 * with much more to hide (AVX/AVX2, x2APIC, PCID, TSC deadline, FSGSBASE, INVPCID,
 * TSC_ADJUST, RDTSCP, 1 GiB pages, an invariant TSC). Expected values written out from
 * the SDM bit layouts (Vol. 2A, CPUID) and the recording in haswell.txt. */
#include "tests/unit/harness.h"

#include "tests/unit/cpuid/fixture.h"

static struct fixture haswell;

static bool load(void)
{
	return fixture_load(&haswell, "haswell");
}

#define CHECK_HIDDEN(leaf, sub, reg, mask)                                        \
	do {                                                                      \
		CHECK_EQ(fixture_cpuid(&haswell, leaf, sub).reg &(mask), (mask)); \
		CHECK_EQ(guest_cpuid(&haswell, leaf, sub, true).reg &(mask), 0u); \
	} while (0)

TEST(haswell_leaf0_vendor_and_clamped_max)
{
	REQUIRE(load());
	CHECK_REGS(guest_cpuid(&haswell, 0, 0, false), 0xd, 0x756e6547, 0x6c65746e, 0x49656e69);
	CHECK_REGS(guest_cpuid(&haswell, 0x80000000u, 0, false), 0x80000008u, 0, 0, 0);
}

TEST(haswell_leaf1_signature_and_one_cpu)
{
	REQUIRE(load());
	struct cpuid_regs4 r = guest_cpuid(&haswell, 1, 0, false);
	CHECK_EQ(r.eax, 0x000306c3); /* family 6, model 0x3c, stepping 3 */
	CHECK_EQ(r.ebx, 0x00010800);
}

TEST(haswell_leaf1_ecx_offered)
{
	REQUIRE(load());
	/* SSE3 0, PCLMULQDQ 1, SSSE3 9, CX16 13, SSE4.1 19, SSE4.2 20, MOVBE 22, POPCNT 23,
	 * AES 25, RDRAND 30, hypervisor 31. */
	CHECK_EQ(guest_cpuid(&haswell, 1, 0, false).ecx, 0xc2d82203u);
	/* DTES64 2, MONITOR 3, DS-CPL 4, VMX 5, EST 7, TM2 8, FMA 12, xTPR 14, PDCM 15,
	 * PCID 17, x2APIC 21, TSC deadline 24, XSAVE 26, AVX 28, F16C 29. */
	CHECK_HIDDEN(1, 0, ecx,
	             (1u << 2) | (1u << 3) | (1u << 4) | (1u << 5) | (1u << 7) | (1u << 8) |
	                 (1u << 12) | (1u << 14) | (1u << 15) | (1u << 17) | (1u << 21) |
	                 (1u << 24) | (1u << 26) | (1u << 28) | (1u << 29));
}

TEST(haswell_leaf1_edx_offered)
{
	REQUIRE(load());
	CHECK_EQ(guest_cpuid(&haswell, 1, 0, false).edx, 0x0f8babfd);
	CHECK_HIDDEN(1, 0, edx,
	             (1u << 1) | (1u << 12) | (1u << 14) | (1u << 21) | (1u << 22) | (1u << 28) |
	                 (1u << 29) | (1u << 31));
}

TEST(haswell_leaf2_and_leaf4_caches)
{
	REQUIRE(load());
	/* Descriptor 0xff: "use leaf 4". */
	CHECK_REGS(guest_cpuid(&haswell, 2, 0, false), 0x76036301, 0x00f0b5ff, 0, 0x00c10000);
	/* Host EAX 0x1c004121/22/43 and 0x1c03c163 (4 cores; L3 shared by 16 IDs). */
	CHECK_REGS(guest_cpuid(&haswell, 4, 0, false), 0x121, 0x01c0003f, 0x3f, 0);
	CHECK_REGS(guest_cpuid(&haswell, 4, 1, false), 0x122, 0x01c0003f, 0x3f, 0);
	CHECK_REGS(guest_cpuid(&haswell, 4, 2, false), 0x143, 0x01c0003f, 0x1ff, 0);
	CHECK_REGS(guest_cpuid(&haswell, 4, 3, false), 0x163, 0x03c0003f, 0x1fff, 6);
	CHECK_REGS(guest_cpuid(&haswell, 4, 4, false), 0, 0, 0, 0);
}

TEST(haswell_leaf6_arat_only)
{
	REQUIRE(load());
	/* Host EAX 0x77 (DTS, turbo, ARAT, PLN, ECMD, PTM), EBX 2, ECX 9 (HCFC, EPB). */
	CHECK_REGS(guest_cpuid(&haswell, 6, 0, false), 0x4, 0, 0, 0);
}

TEST(haswell_leaf7_smep_and_pure_instructions)
{
	REQUIRE(load());
	/* Host EBX 0x27ab. Kept: BMI1 3, SMEP 7, BMI2 8, ERMS 9, FPU CS/DS deprecated 13. */
	CHECK_REGS(guest_cpuid(&haswell, 7, 0, false), 0, 0x2388, 0, 0);
	/* FSGSBASE 0, TSC_ADJUST 1, AVX2 5, INVPCID 10. */
	CHECK_HIDDEN(7, 0, ebx, (1u << 0) | (1u << 1) | (1u << 5) | (1u << 10));
	CHECK_REGS(guest_cpuid(&haswell, 7, 1, false), 0, 0, 0, 0);
}

TEST(haswell_pmu_topology_xsave_read_zero)
{
	REQUIRE(load());
	CHECK_EQ(fixture_cpuid(&haswell, 0xa, 0).eax, 0x07300403); /* host: PMU version 3 */
	CHECK_REGS(guest_cpuid(&haswell, 0xa, 0, false), 0, 0, 0, 0);
	CHECK_REGS(guest_cpuid(&haswell, 0xb, 0, false), 0, 0, 0, 0);
	CHECK_REGS(guest_cpuid(&haswell, 0xd, 0, false), 0, 0, 0, 0);
	CHECK_REGS(guest_cpuid(&haswell, 0xd, 2, false), 0, 0, 0, 0); /* host: AVX state */
	CHECK_REGS(guest_cpuid(&haswell, 5, 0, false), 0, 0, 0, 0);
}

TEST(haswell_hypervisor_leaf)
{
	REQUIRE(load());
	CHECK_REGS(guest_cpuid(&haswell, 0x40000000u, 0, true), 0x40000000u, 0x38787668, 0x78766836,
	           0x76683638);
}

TEST(haswell_ext_leaf1_gbpages_no_rdtscp)
{
	REQUIRE(load());
	/* ECX: LAHF 0, LZCNT 5. EDX: NX 20, 1 GiB pages 26, LM 29; RDTSCP 27 hidden. */
	CHECK_REGS(guest_cpuid(&haswell, 0x80000001u, 0, false), 0, 0, 0x21, 0x24100000);
	CHECK_REGS(guest_cpuid(&haswell, 0x80000001u, 0, true), 0, 0, 0x21, 0x24100800);
	CHECK_HIDDEN(0x80000001u, 0, edx, 1u << 27);
}

TEST(haswell_brand_string_from_host)
{
	REQUIRE(load());
	char brand[49];
	guest_brand(&haswell, brand);
	CHECK(strcmp(brand, "Intel(R) Core(TM) i7-4770 CPU @ 3.40GHz") == 0);
}

TEST(haswell_ext_cache_invariant_tsc_address_sizes)
{
	REQUIRE(load());
	/* L2: 256 KiB, 8-way (6), 64-byte lines. */
	CHECK_REGS(guest_cpuid(&haswell, 0x80000006u, 0, false), 0, 0, 0x01006040, 0);
	/* Invariant TSC (EDX bit 8): the host's TSC is, and the guest's is the host's. */
	CHECK_REGS(guest_cpuid(&haswell, 0x80000007u, 0, false), 0, 0, 0, 0x100);
	CHECK_REGS(guest_cpuid(&haswell, 0x80000008u, 0, false), 0x3028, 0, 0, 0);
}

TEST(haswell_asks_the_host_only_recorded_leaves)
{
	REQUIRE(load());
	for (uint32_t leaf = 0; leaf < 0x20; leaf++)
		for (uint32_t sub = 0; sub < 4; sub++) {
			(void)guest_cpuid(&haswell, leaf, sub, false);
			(void)guest_cpuid(&haswell, 0x80000000u + leaf, sub, false);
			(void)guest_cpuid(&haswell, 0x40000000u + leaf, sub, false);
		}
	CHECK_EQ(haswell.unrecorded_queries, 0);
}
