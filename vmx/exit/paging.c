/*
 * The exits shadow paging is about besides the CR accesses: a #PF (fill the
 * shadow, reflect the guest's own fault, step a page-table write, or emulate
 * an access outside RAM) and INVLPG (Intel SDM Vol. 3A §4.7, §4.10.4).
 */
#include "arch/x86/printf.h"
#include "arch/x86/vectors.h"
#include "vmx/exit/exit.h"
#include "vmx/hw/vmcs.h"

/* Contributory exceptions and #PF turn a second fault into #DF (SDM Vol. 3A
 * §7.15, table 7-5). */
static bool is_double_fault_class(uint32_t vector)
{
	return vector == VEC_DE || (vector >= VEC_TS && vector <= VEC_PF);
}

static void reflect_page_fault(struct vcpu *v, uint64_t cr2, uint32_t error)
{
	uint32_t vectoring = (uint32_t)vmcs_read(VMCS_IDT_VECTORING_INFO);
	if (vmx_intr_info_valid(vectoring) &&
	    vmx_intr_info_type(vectoring) == VMX_INTR_TYPE_HW_EXCEPTION &&
	    is_double_fault_class(vmx_intr_info_vector(vectoring))) {
		vcpu_inject(v, VEC_DF, true, 0);
		return;
	}
	v->regs.cr2 = cr2;
	vcpu_inject(v, VEC_PF, true, error);
}

void exit_page_fault(struct vcpu *v, uint64_t la)
{
	uint32_t error = (uint32_t)vmcs_read(VMCS_EXIT_INTR_ERRCODE);
	uint32_t access = error & (WALK_ACC_WRITE | WALK_ACC_USER | WALK_ACC_FETCH);
	struct shadow_fault f;

	if (vmcs_read(VMCS_GUEST_RFLAGS) & RFLAGS_AC)
		access |= WALK_ACC_AC;
	shadow_sync(&v->shadow, la, access, &f);
	switch (f.result) {
	case SHADOW_FIXED:
		vcpu_flush_tlb(v);
		return;
	case SHADOW_REFLECT:
		reflect_page_fault(v, f.cr2, f.error_code);
		return;
	case SHADOW_EMULATE:
		if (step_begin(v, la, f.gpa, access))
			return;
		printf("vmx: cannot step the write to 0x%lx (gpa 0x%lx)\n", (unsigned long)la,
		       (unsigned long)f.gpa);
		vcpu_stop(v, 1, "page-table write emulation failed");
		return;
	case SHADOW_NOT_RAM:
		exit_outside_ram(v, la, f.gpa, access);
		return;
	case SHADOW_GP:
		vcpu_inject(v, VEC_GP, true, 0);
		return;
	case SHADOW_NO_MEMORY:
		printf("vmx: shadow pool exhausted: flushing all shadows\n");
		pool_flush_all(v->shadow.pool);
		return;
	}
}

void exit_invlpg(struct vcpu *v, uint64_t qual)
{
	shadow_invlpg(&v->shadow, qual);
	vcpu_flush_tlb(v);
	vcpu_skip_instruction(v);
}
