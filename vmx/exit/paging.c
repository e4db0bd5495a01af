/*
 * The exits shadow paging is about besides the CR accesses: a #PF (fill the
 * shadow, reflect the guest's own fault, step a page-table write, or emulate
 * an access outside RAM) and INVLPG (Intel SDM Vol. 3A §4.7, §4.10.4).
 */
#include "arch/x86/printf.h"
#include "arch/x86/vectors.h"
#include "vmx/exit/exit.h"
#include "vmx/hw/vmcs.h"
#include "vmx/io/bus.h"

static void reflect_page_fault(struct vcpu *v, uint64_t cr2, uint32_t error)
{
	v->regs.cr2 = cr2;
	vcpu_inject(v, VEC_PF, true, error); /* #DF if it hit a delivery: vcpu_inject */
}

/*
 * A write the shadow keeps read-only while the CPU was delivering an event
 * (IDT-vectoring information valid): the event pushes its frame onto one of
 * the guest's page tables. A single step cannot cover event delivery (TF is
 * cleared by it), so the page stops being shadowed instead: the guest uses
 * it as a stack, not as a page table (what KVM and VirtualBox conclude too).
 * The event is delivered again when the dispatcher re-injects it.
 */
static void delivery_write(struct vcpu *v, uint64_t gpa)
{
	v->stats.delivery_unshadows++;
	if (pool_gfn_monitored(v->shadow.pool, gpa >> 12) &&
	    shadow_forget_table(&v->shadow, gpa >> 12)) {
		vcpu_flush_tlb(v);
		return;
	}
	printf("vmx: guest %s: event delivery writes guest-physical 0x%lx, which the shadow "
	       "keeps read-only (%s)\n",
	       v->name, (unsigned long)gpa,
	       pool_gfn_monitored(v->shadow.pool, gpa >> 12) ? "its current top-level page table"
	                                                     : "a read-only page under CR0.WP = 0");
	vcpu_stop(v, 1, "event delivery into a page the shadow must keep read-only");
}

static void emulate_write(struct vcpu *v, uint64_t la, uint64_t gpa, uint32_t access)
{
	if (vmx_intr_info_valid((uint32_t)vmcs_read(VMCS_IDT_VECTORING_INFO))) {
		delivery_write(v, gpa);
		return;
	}
	if (step_begin(v, la, gpa, access))
		return;
	printf("vmx: cannot step the write to 0x%lx (gpa 0x%lx)\n", (unsigned long)la,
	       (unsigned long)gpa);
	vcpu_stop(v, 1, "page-table write emulation failed");
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
		emulate_write(v, la, f.gpa, access);
		return;
	case SHADOW_NOT_RAM:
		exit_outside_ram(v, la, f.gpa, access);
		return;
	case SHADOW_GP:
		vcpu_inject(v, VEC_GP, true, 0);
		return;
	case SHADOW_NO_MEMORY:
		io_log_guest(v->bus->log, io_bus_now(v->bus),
		             "shadow pool exhausted: flushing all shadows\n");
		vcpu_flush_shadows(v);
		return;
	}
}

void exit_invlpg(struct vcpu *v, uint64_t qual)
{
	shadow_invlpg(&v->shadow, qual);
	vcpu_flush_tlb(v);
	vcpu_skip_instruction(v);
}
