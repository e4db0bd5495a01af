/*
 * Events for the next VM entry (Intel SDM Vol. 3C §26.6 "Event injection"):
 * exceptions the hypervisor raises or reflects, events an exit interrupted
 * (§28.2.4, IDT-vectoring information), and moving RIP past an instruction
 * the hypervisor performed. An exception is delivered as the hardware would:
 * a fault while the CPU was delivering another exception becomes #DF or a
 * triple fault by the rules of SDM Vol. 3A §7.15 (table 7-5), and a fault
 * leaves RF set in the RFLAGS image it pushes (§18.3.1.1), so that its
 * handler's IRET does not retrigger an instruction breakpoint.
 */
#include "arch/x86/vectors.h"
#include "vmx/cpu/vcpu.h"
#include "vmx/hw/vmcs.h"

/* Table 7-5 classes. */
static bool contributory(uint32_t vector)
{
	return vector == VEC_DE || (vector >= VEC_TS && vector <= VEC_GP);
}

/* Exceptions of the fault class (§7.3 table 7-1): not #DB (mostly a trap),
 * #BP and #OF (traps), #DF and #MC (aborts). */
static bool fault_class(uint32_t vector)
{
	return vector == VEC_DE || vector == VEC_BR || vector == VEC_UD || vector == VEC_NM ||
	       (vector >= VEC_TS && vector <= VEC_PF) || vector == VEC_MF || vector == VEC_AC ||
	       vector == VEC_XM || vector == VEC_VE || vector == VEC_CP;
}

/* The exception this exit interrupted the delivery of, or -1. */
static int exception_being_delivered(void)
{
	uint32_t vectoring = (uint32_t)vmcs_read(VMCS_IDT_VECTORING_INFO);

	if (!vmx_intr_info_valid(vectoring) ||
	    vmx_intr_info_type(vectoring) != VMX_INTR_TYPE_HW_EXCEPTION)
		return -1;
	return (int)vmx_intr_info_vector(vectoring);
}

static void set_event(uint32_t vector, enum vmx_intr_type type, bool has_error, uint32_t error)
{
	vmcs_write(VMCS_ENTRY_INTR_INFO, vmx_intr_info_make(vector, type, has_error));
	if (has_error)
		vmcs_write(VMCS_ENTRY_EXCEPTION_ERRCODE, error);
	if (type == VMX_INTR_TYPE_HW_EXCEPTION && fault_class(vector))
		vmcs_write(VMCS_GUEST_RFLAGS, vmcs_read(VMCS_GUEST_RFLAGS) | RFLAGS_RF);
}

void vcpu_inject(struct vcpu *v, uint32_t vector, bool has_error, uint32_t error)
{
	/* The stepped instruction ends here: the event must not be delivered
	 * with the hypervisor's TF or with shadow entries still open. */
	if (v->step.active)
		step_finish(v, false);
	int first = exception_being_delivered();
	bool serious = contributory(vector) || vector == VEC_PF;
	if (first == VEC_DF && serious) {
		v->stats.triple_faults++;
		vcpu_stop(v, 1, "triple fault (a fault while delivering #DF)");
	}
	if (first >= 0 && serious && (contributory((uint32_t)first) || first == VEC_PF)) {
		vector = VEC_DF; /* contributory or #PF during contributory or #PF */
		has_error = true;
		error = 0;
	}
	set_event(vector, VMX_INTR_TYPE_HW_EXCEPTION, has_error, error);
}

bool vcpu_event_pending(const struct vcpu *v)
{
	(void)v;
	return vmx_intr_info_valid((uint32_t)vmcs_read(VMCS_ENTRY_INTR_INFO));
}

/* Past the instruction the hypervisor performed. The STI and MOV-SS shadows end
 * with that instruction (SDM Vol. 3A §6.8.3), so they are cleared too. */
void vcpu_skip_instruction(struct vcpu *v)
{
	uint64_t state = vmcs_read(VMCS_GUEST_INTERRUPTIBILITY);
	uint64_t shadows = VMX_INTERRUPTIBILITY_STI | VMX_INTERRUPTIBILITY_MOV_SS;

	(void)v;
	vmcs_write(VMCS_GUEST_RIP, vmcs_read(VMCS_GUEST_RIP) + vmcs_read(VMCS_EXIT_INSTR_LEN));
	if (state & shadows)
		vmcs_write(VMCS_GUEST_INTERRUPTIBILITY, state & ~shadows);
}

void vcpu_reinject_interrupted(struct vcpu *v, uint32_t vectoring, uint32_t error)
{
	if (!vmx_intr_info_valid(vectoring) || vcpu_event_pending(v))
		return;
	if (v->step.active)
		step_finish(v, false);
	vmcs_write(VMCS_ENTRY_INTR_INFO, vectoring & ~VMX_INTR_INFO_NMI_UNBLOCKED_IRET);
	if (vmx_intr_info_has_errcode(vectoring))
		vmcs_write(VMCS_ENTRY_EXCEPTION_ERRCODE, error);
	uint32_t type = vmx_intr_info_type(vectoring);
	if (type == VMX_INTR_TYPE_SW_INT || type == VMX_INTR_TYPE_SW_EXCEPTION ||
	    type == VMX_INTR_TYPE_PRIV_SW_EXCEPTION)
		vmcs_write(VMCS_ENTRY_INSTR_LEN, vmcs_read(VMCS_EXIT_INSTR_LEN));
}

void vcpu_reflect_exception(struct vcpu *v)
{
	uint32_t info = (uint32_t)vmcs_read(VMCS_EXIT_INTR_INFO);
	uint32_t type = vmx_intr_info_type(info);
	uint32_t vector = vmx_intr_info_vector(info);
	bool has_error = vmx_intr_info_has_errcode(info);
	uint32_t error = has_error ? (uint32_t)vmcs_read(VMCS_EXIT_INTR_ERRCODE) : 0;

	if (type == VMX_INTR_TYPE_HW_EXCEPTION) {
		vcpu_inject(v, vector, has_error, error);
		return;
	}
	/* INT3 and INTO are delivered again as the software exceptions they are:
	 * past the instruction (SDM Vol. 3C §26.6.1.3). */
	if (v->step.active)
		step_finish(v, false);
	set_event(vector, (enum vmx_intr_type)type, has_error, error);
	vmcs_write(VMCS_ENTRY_INSTR_LEN, vmcs_read(VMCS_EXIT_INSTR_LEN));
}
