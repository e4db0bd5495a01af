/*
 * Exception and NMI exits (reason 0). The exception bitmap holds #PF (shadow
 * paging) and, while a page-table write is being stepped, #DB. Anything else
 * arriving here is the guest's own and goes back to it.
 */
#include "arch/x86/vectors.h"
#include "vmx/exit/exit.h"
#include "vmx/hw/vmcs.h"

void exit_exception(struct vcpu *v, uint64_t qual)
{
	uint32_t info = (uint32_t)vmcs_read(VMCS_EXIT_INTR_INFO);
	uint32_t vector = vmx_intr_info_vector(info);

	if (vmx_intr_info_type(info) == VMX_INTR_TYPE_NMI)
		return; /* a host NMI: nothing of the guest's */
	if (vector == VEC_PF) {
		exit_page_fault(v, qual);
		return;
	}
	if (vector == VEC_DB && v->step.active) {
		step_finish(v);
		return;
	}
	bool has_error = vmx_intr_info_has_errcode(info);
	vcpu_inject(v, vector, has_error,
	            has_error ? (uint32_t)vmcs_read(VMCS_EXIT_INTR_ERRCODE) : 0);
}
