/*
 * Events for the next VM entry (Intel SDM Vol. 3C §26.6 "Event injection"):
 * exceptions the hypervisor raises or reflects, events an exit interrupted
 * (§28.2.4, IDT-vectoring information), and moving RIP past an instruction
 * the hypervisor performed.
 */
#include "vmx/cpu/vcpu.h"
#include "vmx/hw/vmcs.h"

void vcpu_inject(struct vcpu *v, uint32_t vector, bool has_error, uint32_t error)
{
	(void)v;
	vmcs_write(VMCS_ENTRY_INTR_INFO,
	           vmx_intr_info_make(vector, VMX_INTR_TYPE_HW_EXCEPTION, has_error));
	if (has_error)
		vmcs_write(VMCS_ENTRY_EXCEPTION_ERRCODE, error);
}

bool vcpu_event_pending(const struct vcpu *v)
{
	(void)v;
	return vmx_intr_info_valid((uint32_t)vmcs_read(VMCS_ENTRY_INTR_INFO));
}

void vcpu_skip_instruction(struct vcpu *v)
{
	(void)v;
	vmcs_write(VMCS_GUEST_RIP, vmcs_read(VMCS_GUEST_RIP) + vmcs_read(VMCS_EXIT_INSTR_LEN));
}

void vcpu_reinject_interrupted(struct vcpu *v, uint32_t vectoring, uint32_t error)
{
	if (!vmx_intr_info_valid(vectoring) || vcpu_event_pending(v))
		return;
	vmcs_write(VMCS_ENTRY_INTR_INFO, vectoring & ~VMX_INTR_INFO_NMI_UNBLOCKED_IRET);
	if (vmx_intr_info_has_errcode(vectoring))
		vmcs_write(VMCS_ENTRY_EXCEPTION_ERRCODE, error);
	uint32_t type = vmx_intr_info_type(vectoring);
	if (type == VMX_INTR_TYPE_SW_INT || type == VMX_INTR_TYPE_SW_EXCEPTION ||
	    type == VMX_INTR_TYPE_PRIV_SW_EXCEPTION)
		vmcs_write(VMCS_ENTRY_INSTR_LEN, vmcs_read(VMCS_EXIT_INSTR_LEN));
}
