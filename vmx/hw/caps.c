/*
 * Reading the VMX capability MSRs (Intel SDM Vol. 3C appendix A) and the
 * CR0/CR4 rules they impose. Pure logic: MSRs come through a callback.
 */
#include "vmx/hw/caps.h"

#include "vmx/hw/msr_vmx.h"
#include "vmx/hw/vmcs_bits.h"

/* CR0.PE and CR0.PG: "unrestricted guest" exempts them from FIXED0 (§26.3.1.1). */
#define UNRESTRICTED_CR0_EXEMPT ((1ull << 0) | (1ull << 31))

uint32_t vmx_ctl_cap_msr(enum vmx_ctl ctl, uint64_t basic)
{
	bool use_true = vmx_basic_true_ctls(basic);

	switch (ctl) {
	case VMX_CTL_PIN:
		return use_true ? MSR_IA32_VMX_TRUE_PINBASED_CTLS : MSR_IA32_VMX_PINBASED_CTLS;
	case VMX_CTL_PROC:
		return use_true ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS : MSR_IA32_VMX_PROCBASED_CTLS;
	case VMX_CTL_PROC2:
		return MSR_IA32_VMX_PROCBASED_CTLS2; /* has no TRUE variant */
	case VMX_CTL_EXIT:
		return use_true ? MSR_IA32_VMX_TRUE_EXIT_CTLS : MSR_IA32_VMX_EXIT_CTLS;
	case VMX_CTL_ENTRY:
		return use_true ? MSR_IA32_VMX_TRUE_ENTRY_CTLS : MSR_IA32_VMX_ENTRY_CTLS;
	default:
		return 0;
	}
}

const char *vmx_ctl_name(enum vmx_ctl ctl)
{
	static const char *const names[VMX_CTL_COUNT] = {
	    [VMX_CTL_PIN] = "pin",   [VMX_CTL_PROC] = "proc",   [VMX_CTL_PROC2] = "proc2",
	    [VMX_CTL_EXIT] = "exit", [VMX_CTL_ENTRY] = "entry",
	};
	if ((unsigned)ctl >= VMX_CTL_COUNT)
		return "unknown";
	return names[ctl];
}

bool vmx_caps_allows(const struct vmx_caps *caps, enum vmx_ctl ctl, uint32_t bits)
{
	if ((unsigned)ctl >= VMX_CTL_COUNT)
		return false;
	return (vmx_ctl_allowed1(caps->ctl[ctl]) & bits) == bits;
}

/* Secondary controls exist only if the primary ones can activate them (A.3.3). */
static uint64_t read_proc2(const struct vmx_caps *caps, vmx_rdmsr_fn rdmsr, void *ctx)
{
	if (!vmx_caps_allows(caps, VMX_CTL_PROC, VMX_PROC_SECONDARY_CONTROLS))
		return 0;
	return rdmsr(ctx, MSR_IA32_VMX_PROCBASED_CTLS2);
}

/* EPT_VPID_CAP exists only if EPT or VPID can be enabled (A.10). */
static uint64_t read_ept_vpid(const struct vmx_caps *caps, vmx_rdmsr_fn rdmsr, void *ctx)
{
	uint32_t allowed1 = vmx_ctl_allowed1(caps->ctl[VMX_CTL_PROC2]);

	if (!(allowed1 & (VMX_PROC2_ENABLE_EPT | VMX_PROC2_ENABLE_VPID)))
		return 0;
	return rdmsr(ctx, MSR_IA32_VMX_EPT_VPID_CAP);
}

void vmx_caps_read(struct vmx_caps *caps, vmx_rdmsr_fn rdmsr, void *ctx)
{
	__builtin_memset(caps, 0, sizeof(*caps));
	caps->basic = rdmsr(ctx, MSR_IA32_VMX_BASIC);
	caps->true_ctls = vmx_basic_true_ctls(caps->basic);
	caps->ctl[VMX_CTL_PIN] = rdmsr(ctx, vmx_ctl_cap_msr(VMX_CTL_PIN, caps->basic));
	caps->ctl[VMX_CTL_PROC] = rdmsr(ctx, vmx_ctl_cap_msr(VMX_CTL_PROC, caps->basic));
	caps->ctl[VMX_CTL_EXIT] = rdmsr(ctx, vmx_ctl_cap_msr(VMX_CTL_EXIT, caps->basic));
	caps->ctl[VMX_CTL_ENTRY] = rdmsr(ctx, vmx_ctl_cap_msr(VMX_CTL_ENTRY, caps->basic));
	caps->ctl[VMX_CTL_PROC2] = read_proc2(caps, rdmsr, ctx);
	caps->misc = rdmsr(ctx, MSR_IA32_VMX_MISC);
	caps->cr0_fixed0 = rdmsr(ctx, MSR_IA32_VMX_CR0_FIXED0);
	caps->cr0_fixed1 = rdmsr(ctx, MSR_IA32_VMX_CR0_FIXED1);
	caps->cr4_fixed0 = rdmsr(ctx, MSR_IA32_VMX_CR4_FIXED0);
	caps->cr4_fixed1 = rdmsr(ctx, MSR_IA32_VMX_CR4_FIXED1);
	caps->vmcs_enum = rdmsr(ctx, MSR_IA32_VMX_VMCS_ENUM);
	caps->ept_vpid = read_ept_vpid(caps, rdmsr, ctx);
}

uint64_t vmx_cr_apply_fixed(uint64_t wish, uint64_t fixed0, uint64_t fixed1)
{
	return (wish | fixed0) & fixed1;
}

bool vmx_cr_is_allowed(uint64_t value, uint64_t fixed0, uint64_t fixed1)
{
	return (value & fixed0) == fixed0 && (value & ~fixed1) == 0;
}

uint64_t vmx_cr_forced_bits(uint64_t fixed0, uint64_t fixed1)
{
	return fixed0 | ~fixed1;
}

uint64_t vmx_caps_guest_cr0(const struct vmx_caps *caps, uint64_t wish, bool unrestricted)
{
	uint64_t fixed0 = caps->cr0_fixed0;

	if (unrestricted)
		fixed0 &= ~UNRESTRICTED_CR0_EXEMPT;
	return vmx_cr_apply_fixed(wish, fixed0, caps->cr0_fixed1);
}

uint64_t vmx_caps_guest_cr4(const struct vmx_caps *caps, uint64_t wish)
{
	return vmx_cr_apply_fixed(wish, caps->cr4_fixed0, caps->cr4_fixed1);
}

static const char *yes_no(bool b)
{
	return b ? "yes" : "no";
}

void vmx_caps_print(const struct vmx_caps *caps, vmx_printf_fn pf)
{
	pf("vmx: revision=0x%x vmcs_size=%u memtype=%u true_ctls=%s ept=%s vpid=%s "
	   "unrestricted=%s\n",
	   vmx_basic_revision(caps->basic), vmx_basic_region_size(caps->basic),
	   vmx_basic_memtype(caps->basic), yes_no(caps->true_ctls),
	   yes_no(vmx_caps_allows(caps, VMX_CTL_PROC2, VMX_PROC2_ENABLE_EPT)),
	   yes_no(vmx_caps_allows(caps, VMX_CTL_PROC2, VMX_PROC2_ENABLE_VPID)),
	   yes_no(vmx_caps_allows(caps, VMX_CTL_PROC2, VMX_PROC2_UNRESTRICTED_GUEST)));
}

enum vmx_fc_action vmx_feature_control_decide(uint64_t fc, uint64_t *value_to_write)
{
	*value_to_write = fc;
	if (feature_control_vmxon_allowed(fc))
		return VMX_FC_READY;
	if (feature_control_locked(fc))
		return VMX_FC_LOCKED_OFF;
	*value_to_write = fc | FEATURE_CONTROL_LOCK | FEATURE_CONTROL_VMX_OUTSIDE_SMX;
	return VMX_FC_WRITE_AND_LOCK;
}
