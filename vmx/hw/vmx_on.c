/*
 * Entering VMX operation (Intel SDM Vol. 3C §24.6-24.8): CPUID.1:ECX.VMX,
 * IA32_FEATURE_CONTROL, the capability MSRs, CR0/CR4 fixed bits, a VMXON
 * region holding the VMCS revision identifier, then VMXON.
 */
#include "vmx/hw/vmx_on.h"
#include "arch/x86/cpu.h"
#include "arch/x86/cr.h"
#include "arch/x86/printf.h"
#include "vmx/hw/insn.h"
#include "vmx/hw/msr_vmx.h"

static struct vmx_cpu cpu;

static uint64_t hw_rdmsr(void *ctx, uint32_t msr)
{
	(void)ctx;
	return rdmsr(msr);
}

static struct vmx_cpu *not_available(const char *why)
{
	snprintf(cpu.why_not, sizeof(cpu.why_not), "%s", why);
	printf("vmx: not available: %s\n", why);
	return &cpu;
}

static bool feature_control_allows_vmx(void)
{
	uint64_t value;
	switch (vmx_feature_control_decide(rdmsr(MSR_IA32_FEATURE_CONTROL), &value)) {
	case VMX_FC_READY:
		return true;
	case VMX_FC_WRITE_AND_LOCK:
		wrmsr(MSR_IA32_FEATURE_CONTROL, value);
		printf("vmx: IA32_FEATURE_CONTROL was unlocked: enabled VMXON outside SMX and "
		       "locked\n");
		return true;
	default:
		return false;
	}
}

/* CR0 and CR4 must satisfy the VMX fixed bits before VMXON (§24.8). */
static bool apply_fixed_bits(void)
{
	uint64_t cr0 = vmx_cr_apply_fixed(read_cr0(), cpu.caps.cr0_fixed0, cpu.caps.cr0_fixed1);
	uint64_t cr4 =
	    vmx_cr_apply_fixed(read_cr4() | CR4_VMXE, cpu.caps.cr4_fixed0, cpu.caps.cr4_fixed1);
	if (!vmx_cr_is_allowed(cr0, cpu.caps.cr0_fixed0, cpu.caps.cr0_fixed1) ||
	    !vmx_cr_is_allowed(cr4, cpu.caps.cr4_fixed0, cpu.caps.cr4_fixed1))
		return false;
	write_cr0(cr0);
	write_cr4(cr4);
	return true;
}

struct vmx_cpu *vmx_on(uint64_t region_phys, void *region)
{
	if (!(cpuid(1, 0).ecx & CPUID1_ECX_VMX))
		return not_available(
		    "CPUID.1:ECX.VMX[bit 5] = 0 (no VT-x on this CPU or emulator)");
	if (!feature_control_allows_vmx())
		return not_available("IA32_FEATURE_CONTROL is locked with VMX disabled "
		                     "(enable VT-x in the firmware setup)");
	vmx_caps_read(&cpu.caps, hw_rdmsr, 0);
	vmx_caps_print(&cpu.caps, printf);
	cpu.revision = (uint32_t)vmx_basic_revision(cpu.caps.basic);
	if (!apply_fixed_bits())
		return not_available("CR0/CR4 cannot satisfy the VMX fixed-bit MSRs");

	if (!region_phys)
		return not_available("no free frame for the VMXON region");
	cpu.vmxon_phys = region_phys;
	__builtin_memset(region, 0, VMX_REGION_SIZE);
	*(uint32_t *)region = cpu.revision;

	enum vmx_result r = vmx_vmxon(cpu.vmxon_phys);
	if (r != VMX_OK) {
		printf("vmx: VMXON failed (%s)\n",
		       r == VMX_FAIL_INVALID ? "VMfailInvalid" : "VMfailValid");
		return not_available("VMXON failed");
	}
	cpu.on = true;
	printf("vmx: VMXON ok, region at %016lx\n", (unsigned long)cpu.vmxon_phys);
	return &cpu;
}
