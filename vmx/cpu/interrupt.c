/*
 * External interrupts and NMIs for the guest (SDM Vol. 3C §26.6 event
 * injection, §25.6.2 window exiting; Vol. 3A §7.7 and §6.8.3 for when the
 * CPU takes them): an interrupt only with RFLAGS.IF = 1 and no STI or MOV-SS
 * shadow, an NMI only outside NMI blocking and the MOV-SS shadow; otherwise
 * the guest exits at the first instruction boundary where it could, and the
 * event is delivered then.
 */
#include "arch/x86/vectors.h"
#include "vmx/cpu/vcpu.h"
#include "vmx/hw/vmcs.h"

#define VEC_NMI_DELIVERY 2

static uint64_t interruptibility(void)
{
	return vmcs_read(VMCS_GUEST_INTERRUPTIBILITY);
}

bool vcpu_interrupt_open(const struct vcpu *v)
{
	(void)v;
	return (vmcs_read(VMCS_GUEST_RFLAGS) & RFLAGS_IF) &&
	       !(interruptibility() & (VMX_INTERRUPTIBILITY_STI | VMX_INTERRUPTIBILITY_MOV_SS));
}

bool vcpu_nmi_open(const struct vcpu *v)
{
	(void)v;
	return !(interruptibility() & (VMX_INTERRUPTIBILITY_NMI | VMX_INTERRUPTIBILITY_MOV_SS |
	                               VMX_INTERRUPTIBILITY_STI));
}

void vcpu_inject_interrupt(struct vcpu *v, uint8_t vector)
{
	v->stats.injected_irqs++;
	vmcs_write(VMCS_ENTRY_INTR_INFO, vmx_intr_info_make(vector, VMX_INTR_TYPE_EXT_INT, false));
}

void vcpu_inject_nmi(struct vcpu *v)
{
	v->stats.injected_nmis++;
	vmcs_write(VMCS_ENTRY_INTR_INFO,
	           vmx_intr_info_make(VEC_NMI_DELIVERY, VMX_INTR_TYPE_NMI, false));
}

static void set_proc_control(struct vcpu *v, uint32_t bit, bool on)
{
	uint32_t proc = v->ctl.ctl[VMX_CTL_PROC];
	uint32_t want = on ? proc | bit : proc & ~bit;

	if (want != proc) {
		v->ctl.ctl[VMX_CTL_PROC] = want;
		vmcs_write(VMCS_PROC_CONTROLS, want);
	}
}

void vcpu_request_interrupt_window(struct vcpu *v, bool on)
{
	set_proc_control(v, VMX_PROC_INT_WINDOW_EXITING, on);
}

/* Needs virtual NMIs (and so the control); without it the NMI waits for the
 * next exit of any kind. */
void vcpu_request_nmi_window(struct vcpu *v, bool on)
{
	if (v->ctl.ctl[VMX_CTL_PIN] & VMX_PIN_VIRTUAL_NMIS)
		set_proc_control(v, VMX_PROC_NMI_WINDOW_EXITING, on);
}
