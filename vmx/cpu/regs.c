/*
 * General registers as an instruction of the guest's current mode sees them:
 * outside 64-bit code a 32-bit operand is the low half, and writing one
 * zero-extends (SDM Vol. 1 §3.4.1.1). RSP lives in the VMCS, the others in
 * the save area of the exit stub.
 */
#include "arch/x86/cr.h"
#include "arch/x86/vectors.h"
#include "vmx/cpu/vcpu.h"
#include "vmx/hw/vmcs.h"

bool vcpu_in_64bit_code(const struct vcpu *v)
{
	return (v->efer & EFER_LMA) && (vmcs_read(VMCS_GUEST_CS_AR) & SEG_AR_L);
}

uint64_t vcpu_gpr_read(const struct vcpu *v, unsigned n)
{
	uint64_t value = n == VCPU_RSP ? vmcs_read(VMCS_GUEST_RSP) : v->regs.gpr[n];
	return vcpu_in_64bit_code(v) ? value : (uint32_t)value;
}

void vcpu_gpr_write(struct vcpu *v, unsigned n, uint64_t value)
{
	if (!vcpu_in_64bit_code(v))
		value = (uint32_t)value;
	if (n == VCPU_RSP)
		vmcs_write(VMCS_GUEST_RSP, value);
	else
		v->regs.gpr[n] = value;
}
