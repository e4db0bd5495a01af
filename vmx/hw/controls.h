/*
 * Choosing the VM-execution, VM-exit and VM-entry controls from what the
 * CPU allows, never hard-coded (Intel SDM Vol. 3C §31.5.1 "Algorithms for
 * determining VMX capabilities", appendix A.3-A.5): a control is
 *     (wanted | allowed-0) & allowed-1
 * with allowed-0 = low half of the capability MSR (bits that must be 1) and
 * allowed-1 = high half (bits that may be 1), from the TRUE MSRs when
 * IA32_VMX_BASIC[55] says they exist (vmx/caps.h picks them).
 */
#ifndef VMX_CONTROLS_H
#define VMX_CONTROLS_H

#include <stdint.h>

#include "vmx/hw/caps.h"
#include "vmx/hw/printf_fn.h"

/*
 * Adjust one control field. `required` bits are wanted and must be allowed;
 * other `wanted` bits are dropped silently when not allowed.
 * Returns 0 and stores the value in *out, or -1 and stores in *out the
 * required bits that the CPU does not allow (allowed-1 is 0 for them).
 */
int vmx_adjust_controls(uint64_t cap_msr, uint32_t wanted, uint32_t required, uint32_t *out);

/* What the hypervisor asks for in one control field. */
struct vmx_ctl_request {
	uint32_t wanted;   /* nice to have */
	uint32_t required; /* fail without them */
};

/* The chosen values, ready for VMCS_PIN_CONTROLS ... VMCS_ENTRY_CONTROLS. */
struct vmx_controls {
	uint32_t ctl[VMX_CTL_COUNT];
};

struct vmx_ctl_failure {
	enum vmx_ctl ctl; /* the first control whose required bits are missing */
	uint32_t missing; /* those bits */
};

/*
 * Compute all five controls. "Activate secondary controls" in the primary
 * controls is managed here: it is set exactly when the secondary controls
 * end up non-zero (a request for it in req[VMX_CTL_PROC] is ignored), and a
 * CPU without secondary controls fails any required secondary bit.
 * Returns 0, or -1 with *fail filled (fail may be NULL).
 */
int vmx_choose_controls(const struct vmx_caps *caps,
                        const struct vmx_ctl_request req[VMX_CTL_COUNT], struct vmx_controls *out,
                        struct vmx_ctl_failure *fail);

/* `vmx: pin=0x00000016 proc=0x... proc2=0x... exit=0x... entry=0x...` */
void vmx_controls_print(const struct vmx_controls *c, vmx_printf_fn pf);

/* `vmx: control proc2: required bits 0x00000002 not allowed (allowed-1 0x00000041)` */
void vmx_ctl_failure_print(const struct vmx_caps *caps, const struct vmx_ctl_failure *f,
                           vmx_printf_fn pf);

#endif
