/*
 * Control-register exits (reason 28, qualification per SDM Vol. 3C §27.2.1
 * table 27-3): MOV to CR0/CR3/CR4, MOV from CR3, LMSW and CLTS. CR0 and CR4
 * changes go through the vCPU's mode logic; CR3 loads switch the shadow root.
 */
#include "arch/x86/cr.h"
#include "arch/x86/printf.h"
#include "arch/x86/vectors.h"
#include "vmx/exit/exit.h"
#include "vmx/hw/vmcs.h"

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

static void write_cr(struct vcpu *v, uint32_t cr, uint64_t value)
{
	bool ok = true;

	if (cr == 0)
		ok = vcpu_write_cr0(v, value);
	else if (cr == 4)
		ok = vcpu_write_cr4(v, value);
	else if (cr == 3)
		load_cr3(v, value);
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
		vcpu_gpr_write(v, gpr, v->cr3); /* only CR3 reads exit */
		break;
	case VMX_CR_ACCESS_LMSW: {
		/* LMSW sets CR0 bits 0-3 but cannot clear PE. */
		uint64_t msw = vmx_qual_cr_lmsw_data(qual) & 0xf;
		write_cr(v, 0, (v->cr0 & ~0xeull) | msw | (v->cr0 & CR0_PE));
		break;
	}
	case VMX_CR_ACCESS_CLTS:
		write_cr(v, 0, v->cr0 & ~(uint64_t)CR0_TS);
		break;
	}
	if (!vcpu_event_pending(v))
		vcpu_skip_instruction(v);
}
