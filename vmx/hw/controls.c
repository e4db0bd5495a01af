/*
 * Control computation from the capability MSRs (Intel SDM Vol. 3C §31.5.1,
 * appendix A.3-A.5). Pure logic, host-tested in tests/unit/vmx/.
 */
#include "vmx/hw/controls.h"

#include "vmx/hw/msr_vmx.h"
#include "vmx/hw/vmcs_bits.h"

int vmx_adjust_controls(uint64_t cap_msr, uint32_t wanted, uint32_t required, uint32_t *out)
{
	uint32_t allowed0 = vmx_ctl_allowed0(cap_msr);
	uint32_t allowed1 = vmx_ctl_allowed1(cap_msr);
	uint32_t missing = required & ~allowed1;

	if (missing) {
		*out = missing;
		return -1;
	}
	*out = (wanted | required | allowed0) & allowed1;
	return 0;
}

static int adjust_one(const struct vmx_caps *caps, enum vmx_ctl ctl, struct vmx_ctl_request r,
                      struct vmx_controls *out, struct vmx_ctl_failure *fail)
{
	uint32_t value;

	if (vmx_adjust_controls(caps->ctl[ctl], r.wanted, r.required, &value) == 0) {
		out->ctl[ctl] = value;
		return 0;
	}
	if (fail) {
		fail->ctl = ctl;
		fail->missing = value;
	}
	return -1;
}

int vmx_choose_controls(const struct vmx_caps *caps,
                        const struct vmx_ctl_request req[VMX_CTL_COUNT], struct vmx_controls *out,
                        struct vmx_ctl_failure *fail)
{
	struct vmx_ctl_request proc = req[VMX_CTL_PROC];

	__builtin_memset(out, 0, sizeof(*out));
	/* Secondary first: it decides "activate secondary controls". */
	if (adjust_one(caps, VMX_CTL_PROC2, req[VMX_CTL_PROC2], out, fail))
		return -1;
	proc.wanted &= ~VMX_PROC_SECONDARY_CONTROLS;
	proc.required &= ~VMX_PROC_SECONDARY_CONTROLS;
	if (out->ctl[VMX_CTL_PROC2])
		proc.required |= VMX_PROC_SECONDARY_CONTROLS;
	if (adjust_one(caps, VMX_CTL_PROC, proc, out, fail))
		return -1;
	if (adjust_one(caps, VMX_CTL_PIN, req[VMX_CTL_PIN], out, fail))
		return -1;
	if (adjust_one(caps, VMX_CTL_EXIT, req[VMX_CTL_EXIT], out, fail))
		return -1;
	return adjust_one(caps, VMX_CTL_ENTRY, req[VMX_CTL_ENTRY], out, fail);
}

void vmx_controls_print(const struct vmx_controls *c, vmx_printf_fn pf)
{
	pf("vmx: pin=0x%08x proc=0x%08x proc2=0x%08x exit=0x%08x entry=0x%08x\n",
	   c->ctl[VMX_CTL_PIN], c->ctl[VMX_CTL_PROC], c->ctl[VMX_CTL_PROC2], c->ctl[VMX_CTL_EXIT],
	   c->ctl[VMX_CTL_ENTRY]);
}

void vmx_ctl_failure_print(const struct vmx_caps *caps, const struct vmx_ctl_failure *f,
                           vmx_printf_fn pf)
{
	uint32_t allowed1 = 0;

	if ((unsigned)f->ctl < VMX_CTL_COUNT)
		allowed1 = vmx_ctl_allowed1(caps->ctl[f->ctl]);
	pf("vmx: control %s: required bits 0x%08x not allowed (allowed-1 0x%08x)\n",
	   vmx_ctl_name(f->ctl), f->missing, allowed1);
}
