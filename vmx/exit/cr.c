/*
 * Control-register exits (reason 28, qualification per SDM Vol. 3C §27.2.1
 * table 27-3): MOV to CR0/CR3/CR4/CR8, MOV from CR3/CR8, LMSW and CLTS. CR0
 * and CR4 changes go through the vCPU's mode logic; CR3 loads switch the
 * shadow root; CR8 is the task priority of the interrupt controller.
 */
#include "arch/x86/cr.h"
#include "arch/x86/printf.h"
#include "arch/x86/vectors.h"
#include "vmx/exit/exit.h"
#include "vmx/hw/vmcs.h"
#include "vmx/io/bus.h"

#define CR8_TPR_SHIFT 4 /* CR8[3:0] is TPR[7:4] (SDM Vol. 3A §11.8.6.1) */

static void load_cr3(struct vcpu *v, uint64_t value)
{
	enum shadow_result r = shadow_load_cr3(&v->shadow, value);
	if (r == SHADOW_GP) {
		vcpu_inject(v, VEC_GP, true, 0);
		return;
	}
	if (r != SHADOW_FIXED) {
		printf("vmx: CR3 load 0x%lx failed (%d)\n", (unsigned long)value, (int)r);
		vcpu_stop(v, 1, "CR3 load failed");
	}
	v->cr3 = value;
	vcpu_flush_tlb(v);
}

/* MOV to CR8: the interrupt controller's task priority; bits 63:4 are reserved. */
static bool write_cr8(struct vcpu *v, uint64_t value)
{
	if (value >> CR8_TPR_SHIFT)
		return false;
	io_intr_set_tpr(&v->bus->intr, (uint8_t)(value << CR8_TPR_SHIFT));
	return true;
}

static uint64_t read_cr(struct vcpu *v, uint32_t cr)
{
	if (cr == 8)
		return io_intr_get_tpr(&v->bus->intr) >> CR8_TPR_SHIFT;
	return v->cr3; /* the only other read that exits */
}

static void write_cr(struct vcpu *v, uint32_t cr, uint64_t value)
{
	bool ok = true;

	if (cr == 0)
		ok = vcpu_write_cr0(v, value);
	else if (cr == 4)
		ok = vcpu_write_cr4(v, value);
	else if (cr == 3)
		load_cr3(v, value);
	else if (cr == 8)
		ok = write_cr8(v, value);
	else {
		printf("vmx: MOV to CR%u not virtualized\n", cr);
		vcpu_stop(v, 1, "unexpected control register write");
	}
	if (!ok)
		vcpu_inject(v, VEC_GP, true, 0);
}

void exit_cr_access(struct vcpu *v, uint64_t qual)
{
	uint32_t cr = vmx_qual_cr_num(qual), gpr = vmx_qual_cr_gpr(qual);

	switch (vmx_qual_cr_access(qual)) {
	case VMX_CR_ACCESS_MOV_TO_CR:
		write_cr(v, cr, vcpu_gpr_read(v, gpr));
		break;
	case VMX_CR_ACCESS_MOV_FROM_CR:
		vcpu_gpr_write(v, gpr, read_cr(v, cr));
		break;
	case VMX_CR_ACCESS_LMSW: {
		/* LMSW sets CR0 bits 0-3 but cannot clear PE. */
		uint64_t msw = vmx_qual_cr_lmsw_data(qual) & 0xf, cr0 = vcpu_guest_cr0(v);
		write_cr(v, 0, (cr0 & ~0xeull) | msw | (cr0 & CR0_PE));
		break;
	}
	case VMX_CR_ACCESS_CLTS:
		write_cr(v, 0, vcpu_guest_cr0(v) & ~(uint64_t)CR0_TS);
		break;
	}
	if (!vcpu_event_pending(v))
		vcpu_skip_instruction(v);
}
