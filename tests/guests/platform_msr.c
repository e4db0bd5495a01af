/* MSRs that must not exist and exceptions that must reach the guest's own IDT: an MSR the
 * platform does not have raises #GP(0) on RDMSR and WRMSR (SDM Vol. 2B, RDMSR/WRMSR), and
 * #UD is delivered to the guest with EIP at the faulting instruction. */
#include "tests/guests/cpu.h"
#include "tests/guests/env.h"
#include "tests/guests/platform.h"
#include "tests/guests/probe.h"
#include "tests/guests/report.h"

/* Outside every architectural and paravirtual MSR range. */
#define MSR_NONEXISTENT      0x12345678u
#define MSR_IA32_VMX_BASIC   0x480u /* exists only with CPUID.1:ECX.VMX = 1 (SDM Vol. 3D A.1) */
#define MSR_X2APIC_ID        0x802u /* #GP unless x2APIC mode is on (SDM Vol. 3A §11.12.1.2) */
#define MSR_IA32_TSC         0x10u
#define MSR_IA32_SYSENTER_CS 0x174u
#define MSR_IA32_MCG_CAP     0x179u
#define MSR_IA32_PAT         0x277u

/* CPUID.1 bits (SDM Vol. 2A table 3-10, 3-11) and CR4.VMXE (Vol. 3A §2.5). */
#define L1_ECX_VMX 5
#define L1_EDX_TSC 4
#define L1_EDX_SEP 11
#define L1_EDX_MCA 14
#define L1_EDX_PAT 16
#define CR4_VMXE   (1ul << 13)

/* QEMU 7.2's TCG reads such an MSR as 0 and drops writes to it: a known defect there. */
static void expect_msr_gp(const char *name, uint32_t msr, bool write)
{
	uint64_t value = 0;
	bool faulted = write ? try_wrmsr(msr, 0) : try_rdmsr(msr, &value);
	if (!faulted && env_is_tcg()) {
		report_skip(name, SKIP_QEMU_MSR);
		return;
	}
	report(faulted && last_fault_is_gp0(), name,
	       "faulted %d vector %u error 0x%x, value read 0x%llx", faulted, last_fault.vector,
	       last_fault.error, (unsigned long long)value);
}

/* The MSRs that come with a CPUID.1:EDX feature the guest is told about (SDM Vol. 4
 * table 2-2, "Architectural MSRs", and each feature's CPUID description). */
static void test_advertised_msrs(void)
{
	static const struct {
		unsigned edx_bit;
		uint32_t msr;
	} pairs[] = {
	    {L1_EDX_TSC, MSR_IA32_TSC},
	    {L1_EDX_SEP, MSR_IA32_SYSENTER_CS},
	    {L1_EDX_MCA, MSR_IA32_MCG_CAP},
	    {L1_EDX_PAT, MSR_IA32_PAT},
	};
	uint32_t bad = 0;
	for (unsigned i = 0; i < sizeof(pairs) / sizeof(pairs[0]) && !bad; i++) {
		uint64_t value;
		if (cpuid_bit(1, 0, CPUID_EDX, pairs[i].edx_bit) && try_rdmsr(pairs[i].msr, &value))
			bad = pairs[i].msr;
	}
	report(!bad,
	       "msr: the MSRs of TSC, SEP, MCA and PAT read without #GP where CPUID.1:EDX has them",
	       "RDMSR 0x%x: vector %u, CPUID.1:EDX 0x%x", bad, last_fault.vector,
	       cpuid_reg(1, 0, CPUID_EDX));
}

void platform_msr_tests(void)
{
	test_advertised_msrs();
	expect_msr_gp("msr: RDMSR of a nonexistent MSR (0x12345678) raises #GP(0)", MSR_NONEXISTENT,
	              false);
	expect_msr_gp("msr: WRMSR of a nonexistent MSR (0x12345678) raises #GP(0)", MSR_NONEXISTENT,
	              true);
	const char *vmx_basic = "msr: RDMSR of IA32_VMX_BASIC (0x480) raises #GP(0) when "
	                        "CPUID.1:ECX.VMX = 0";
	if (cpuid_bit(1, 0, CPUID_ECX, L1_ECX_VMX))
		check_hidden_feature(vmx_basic, true);
	else
		expect_msr_gp(vmx_basic, MSR_IA32_VMX_BASIC, false);
	expect_msr_gp("msr: RDMSR of the x2APIC ID (0x802) in xAPIC mode raises #GP(0)",
	              MSR_X2APIC_ID, false);
}

static void test_ud2(void)
{
	uintptr_t at;
	last_fault.taken = false;
	last_fault.vector = ~0u;
	__asm__ volatile("mov $1f, %0\n1: ud2\n2:\n" FIXUP("1b", "2b") : "=r"(at) : : "memory");
	report(fault_is(VEC_UD, 0, 0) && last_fault.ip == at,
	       "exception: #UD from ud2 reaches the guest's IDT handler, EIP at the ud2",
	       "taken %d vector %u eip 0x%lx, ud2 at 0x%lx", last_fault.taken, last_fault.vector,
	       (unsigned long)last_fault.ip, (unsigned long)at);
}

/* VMXON with CR4.VMXE = 0 is #UD (SDM Vol. 3C §31.3, VMXON). Inside a VM the instruction
 * causes a VM exit whatever the guest's CR4 says, so the hypervisor must deliver this #UD
 * itself. */
static void test_vmxon(void)
{
	static volatile uint64_t region;
	uintptr_t at;
	last_fault.taken = false;
	last_fault.vector = ~0u;
	__asm__ volatile("mov $1f, %0\n1: vmxon %1\n2:\n" FIXUP("1b", "2b")
	                 : "=&r"(at)
	                 : "m"(region)
	                 : "memory", "cc");
	report(!(read_cr4() & CR4_VMXE) && fault_is(VEC_UD, 0, 0) && last_fault.ip == at,
	       "exception: VMXON with CR4.VMXE = 0 raises #UD in the guest",
	       "taken %d vector %u eip 0x%lx, vmxon at 0x%lx", last_fault.taken, last_fault.vector,
	       (unsigned long)last_fault.ip, (unsigned long)at);
}

void platform_exception_tests(void)
{
	test_ud2();
	test_vmxon();
}
