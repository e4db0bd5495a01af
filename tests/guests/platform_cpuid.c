/* CPUID as a guest sees it, and the CR4 bits that go with it: a feature the hypervisor
 * does not virtualize must be absent from CPUID, and its CR4 bit then reserved (MOV to CR4
 * raises #GP, SDM Vol. 3A §2.5 and Vol. 2B "MOV - Move to/from Control Registers"). */
#include "tests/guests/cpu.h"
#include "tests/guests/env.h"
#include "tests/guests/platform.h"
#include "tests/guests/report.h"
#include "tests/guests/trap.h"

/* CPUID bits (SDM Vol. 2A, CPUID, tables 3-10, 3-11 and leaf 7). */
#define L1_ECX_VMX           5
#define L1_ECX_SMX           6
#define L1_ECX_PDCM          15
#define L1_ECX_X2APIC        21
#define L1_ECX_XSAVE         26
#define L1_ECX_HYPERVISOR    31
#define L1_ECX_DTES64        2
#define L1_ECX_DS_CPL        4
#define L1_EDX_APIC          9
#define L1_EDX_DS            21
#define L7_EBX_FSGSBASE      0
#define L7_EBX_SMEP          7
#define L7_EBX_SMAP          20
#define L7_ECX_UMIP          2
#define L7_ECX_PKU           3
#define L7_ECX_LA57          16
#define L1_EBX_APIC_ID_SHIFT 24

/* CR4 bits (SDM Vol. 3A §2.5, figure 2-7). */
#define CR4_UMIP_BIT     11
#define CR4_LA57_BIT     12
#define CR4_VMXE_BIT     13
#define CR4_SMXE_BIT     14
#define CR4_FSGSBASE_BIT 16
#define CR4_OSXSAVE_BIT  18
#define CR4_SMEP_BIT     20
#define CR4_SMAP_BIT     21
#define CR4_PKE_BIT      22

#define HV_LEAF             0x40000000u
#define HV_LEAF_LAST_SANE   0x4000ffffu
#define EXT_LEAF_ADDR_SIZES 0x80000008u

static bool l1_ecx(unsigned bit)
{
	return cpuid_bit(1, 0, CPUID_ECX, bit);
}

static bool l7_ebx(unsigned bit)
{
	return cpuid_bit(7, 0, CPUID_EBX, bit);
}

static bool l7_ecx(unsigned bit)
{
	return cpuid_bit(7, 0, CPUID_ECX, bit);
}

static void test_present_features(void)
{
	report(l1_ecx(L1_ECX_HYPERVISOR), "cpuid: leaf 1 ECX.hypervisor (bit 31) is 1", "ECX 0x%x",
	       cpuid_reg(1, 0, CPUID_ECX));
	uint32_t r[4];
	cpuid(HV_LEAF, 0, r);
	report(r[0] >= HV_LEAF && r[0] <= HV_LEAF_LAST_SANE && env.hv_vendor[0] != 0,
	       "cpuid: leaf 0x40000000 names the hypervisor and its last leaf",
	       "EAX 0x%x vendor '%s'", r[0], env.hv_vendor);
	report(cpuid_bit(1, 0, CPUID_EDX, L1_EDX_APIC), "cpuid: leaf 1 EDX.APIC (bit 9) is 1",
	       "EDX 0x%x", cpuid_reg(1, 0, CPUID_EDX));
	uint32_t width = cpuid_reg(EXT_LEAF_ADDR_SIZES, 0, CPUID_EAX) & 0xff;
	report(width >= 36 && width <= 52,
	       "cpuid: leaf 0x80000008 physical-address width is 36..52 bits", "width %u", width);
	uint32_t ebx = cpuid_reg(1, 0, CPUID_EBX);
	report(ebx >> L1_EBX_APIC_ID_SHIFT == 0,
	       "cpuid: leaf 1 EBX initial APIC ID is 0, the BSP's", "EBX 0x%x", ebx);
}

static void test_hidden_features(void)
{
	check_hidden_feature("cpuid: leaf 1 ECX.VMX (bit 5) is 0", l1_ecx(L1_ECX_VMX));
	check_hidden_feature("cpuid: leaf 1 ECX.SMX (bit 6) is 0", l1_ecx(L1_ECX_SMX));
	check_hidden_feature("cpuid: leaf 1 ECX.PDCM (bit 15) is 0", l1_ecx(L1_ECX_PDCM));
	check_hidden_feature("cpuid: leaf 1 ECX.x2APIC (bit 21) is 0", l1_ecx(L1_ECX_X2APIC));
	check_hidden_feature("cpuid: leaf 1 ECX.XSAVE (bit 26) is 0", l1_ecx(L1_ECX_XSAVE));
	check_hidden_feature("cpuid: leaf 7 ECX.PKU (bit 3) is 0", l7_ecx(L7_ECX_PKU));
	check_hidden_feature("cpuid: leaf 7 ECX.LA57 (bit 16) is 0", l7_ecx(L7_ECX_LA57));
	/* DTES64 and DS-CPL describe the debug store: meaningless without it. */
	bool ds = cpuid_bit(1, 0, CPUID_EDX, L1_EDX_DS);
	bool ds_parts = l1_ecx(L1_ECX_DTES64) || l1_ecx(L1_ECX_DS_CPL);
	report(ds || !ds_parts,
	       "cpuid: without EDX.DS (bit 21), ECX.DTES64 (bit 2) and DS-CPL (bit 4) are 0",
	       "DS %d, ECX 0x%x", ds, cpuid_reg(1, 0, CPUID_ECX));
	report_info("cpuid 1: ecx 0x%08x edx 0x%08x; 7.0: ebx 0x%08x ecx 0x%08x edx 0x%08x",
	            cpuid_reg(1, 0, CPUID_ECX), cpuid_reg(1, 0, CPUID_EDX),
	            cpuid_reg(7, 0, CPUID_EBX), cpuid_reg(7, 0, CPUID_ECX),
	            cpuid_reg(7, 0, CPUID_EDX));
}

void platform_cpuid_tests(void)
{
	test_present_features();
	test_hidden_features();
}

/* Sets one CR4 bit: it must stick when CPUID offers the feature and raise #GP(0), leaving
 * CR4 as it was, when it does not. CR4 is restored either way. */
static void cr4_bit_follows_cpuid(const char *name, unsigned bit, bool offered)
{
	if (!offered && env_is_tcg()) {
		report_skip(name, SKIP_QEMU_CR4);
		return;
	}
	unsigned long before = read_cr4(), bit_mask = 1ul << bit;
	bool faulted = try_write_cr4(before | bit_mask);
	bool gp = last_fault_is_gp0();
	uint32_t vector = last_fault.vector;
	unsigned long during = read_cr4();
	if (!faulted)
		try_write_cr4(before);
	unsigned long after = read_cr4();
	bool ok =
	    offered ? !faulted && (during & bit_mask) && after == before : gp && during == before;
	report(ok, name, "CPUID %s, %s (vector %u), CR4 0x%lx -> 0x%lx -> 0x%lx",
	       offered ? "offers it" : "hides it", faulted ? "faulted" : "no fault",
	       faulted ? vector : 0, before, during, after);
}

void platform_cr4_tests(void)
{
	cr4_bit_follows_cpuid("cr4: VMXE (bit 13) settable exactly when CPUID.1:ECX.VMX = 1",
	                      CR4_VMXE_BIT, l1_ecx(L1_ECX_VMX));
	cr4_bit_follows_cpuid("cr4: SMXE (bit 14) settable exactly when CPUID.1:ECX.SMX = 1",
	                      CR4_SMXE_BIT, l1_ecx(L1_ECX_SMX));
	cr4_bit_follows_cpuid("cr4: OSXSAVE (bit 18) settable exactly when CPUID.1:ECX.XSAVE = 1",
	                      CR4_OSXSAVE_BIT, l1_ecx(L1_ECX_XSAVE));
	cr4_bit_follows_cpuid("cr4: PKE (bit 22) settable exactly when CPUID.7.0:ECX.PKU = 1",
	                      CR4_PKE_BIT, l7_ecx(L7_ECX_PKU));
	cr4_bit_follows_cpuid("cr4: LA57 (bit 12) settable outside long mode exactly when "
	                      "CPUID.7.0:ECX.LA57 = 1",
	                      CR4_LA57_BIT, l7_ecx(L7_ECX_LA57));
	cr4_bit_follows_cpuid("cr4: UMIP (bit 11) settable exactly when CPUID.7.0:ECX.UMIP = 1",
	                      CR4_UMIP_BIT, l7_ecx(L7_ECX_UMIP));
	cr4_bit_follows_cpuid("cr4: FSGSBASE (bit 16) settable exactly when "
	                      "CPUID.7.0:EBX.FSGSBASE = 1",
	                      CR4_FSGSBASE_BIT, l7_ebx(L7_EBX_FSGSBASE));
	cr4_bit_follows_cpuid("cr4: SMEP (bit 20) settable exactly when CPUID.7.0:EBX.SMEP = 1",
	                      CR4_SMEP_BIT, l7_ebx(L7_EBX_SMEP));
	cr4_bit_follows_cpuid("cr4: SMAP (bit 21) settable exactly when CPUID.7.0:EBX.SMAP = 1",
	                      CR4_SMAP_BIT, l7_ebx(L7_EBX_SMAP));
}
