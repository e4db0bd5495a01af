/*
 * What this CPU's VMX can do: the capability MSRs read once at start-up
 * (Intel SDM Vol. 3C appendix A), and the CR0/CR4 values they allow.
 *
 * The MSRs are read through a callback so host tests can feed recorded
 * values. Only MSRs that exist are read: the TRUE_* ones only when
 * IA32_VMX_BASIC[55] is set, PROCBASED_CTLS2 only when the primary controls
 * allow "activate secondary controls", EPT_VPID_CAP only when the secondary
 * controls allow EPT or VPID (appendix A.3.3, A.10); reading any other would
 * #GP. The caller must have checked CPUID.1:ECX.VMX[bit 5] first.
 */
#ifndef VMX_CAPS_H
#define VMX_CAPS_H

#include <stdbool.h>
#include <stdint.h>

#include "vmx/hw/printf_fn.h"

/* The five VM-execution/exit/entry control fields computed from the MSRs. */
enum vmx_ctl {
	VMX_CTL_PIN = 0,
	VMX_CTL_PROC,
	VMX_CTL_PROC2,
	VMX_CTL_EXIT,
	VMX_CTL_ENTRY,
	VMX_CTL_COUNT,
};

struct vmx_caps {
	uint64_t basic;
	bool true_ctls; /* IA32_VMX_BASIC[55]: ctl[] holds the TRUE MSRs */
	/* Capability MSR value per control (allowed-0 low, allowed-1 high);
	 * ctl[VMX_CTL_PROC2] is 0 (nothing allowed) when it does not exist. */
	uint64_t ctl[VMX_CTL_COUNT];
	uint64_t misc;
	uint64_t cr0_fixed0, cr0_fixed1;
	uint64_t cr4_fixed0, cr4_fixed1;
	uint64_t vmcs_enum;
	uint64_t ept_vpid; /* 0 when the MSR does not exist */
};

typedef uint64_t (*vmx_rdmsr_fn)(void *ctx, uint32_t msr);

/* The capability MSR to read for a control: TRUE variant when basic[55]. */
uint32_t vmx_ctl_cap_msr(enum vmx_ctl ctl, uint64_t basic);

/* "pin", "proc", "proc2", "exit", "entry". */
const char *vmx_ctl_name(enum vmx_ctl ctl);

void vmx_caps_read(struct vmx_caps *caps, vmx_rdmsr_fn rdmsr, void *ctx);

/* True when every bit of `bits` may be 1 in control `ctl`. */
bool vmx_caps_allows(const struct vmx_caps *caps, enum vmx_ctl ctl, uint32_t bits);

/*
 * CR0/CR4 in VMX operation (appendix A.7, A.8): a bit set in FIXED0 must be
 * 1, a bit clear in FIXED1 must be 0.
 */
uint64_t vmx_cr_apply_fixed(uint64_t wish, uint64_t fixed0, uint64_t fixed1);
bool vmx_cr_is_allowed(uint64_t value, uint64_t fixed0, uint64_t fixed1);
/* Bits the guest cannot choose freely: they belong in the guest/host mask. */
uint64_t vmx_cr_forced_bits(uint64_t fixed0, uint64_t fixed1);

/*
 * The real CR0 to run a guest with, from the CR0 the guest wants. With
 * "unrestricted guest" PE and PG may be 0 even though FIXED0 has them
 * (§26.3.1.1); without it (core2_penryn) they are forced to 1 and the guest
 * sees its own PE/PG only through the CR0 read shadow.
 */
uint64_t vmx_caps_guest_cr0(const struct vmx_caps *caps, uint64_t wish, bool unrestricted);
uint64_t vmx_caps_guest_cr4(const struct vmx_caps *caps, uint64_t wish);

/* One `vmx: ` line with revision, region size, memory type, TRUE, EPT/VPID. */
void vmx_caps_print(const struct vmx_caps *caps, vmx_printf_fn pf);

/*
 * IA32_FEATURE_CONTROL at start-up (§23.7): VMXON outside SMX needs the lock
 * bit and the "VMX outside SMX" bit. If the firmware left the MSR unlocked,
 * the kernel writes *value_to_write (enable + lock) and goes on.
 */
enum vmx_fc_action {
	VMX_FC_READY,          /* locked with VMX outside SMX enabled */
	VMX_FC_WRITE_AND_LOCK, /* unlocked: write *value_to_write first */
	VMX_FC_LOCKED_OFF,     /* locked with VMX disabled: VT-x unusable until reset */
};

enum vmx_fc_action vmx_feature_control_decide(uint64_t fc, uint64_t *value_to_write);

#endif
