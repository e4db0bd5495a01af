/*
 * RDMSR and WRMSR (exit reasons 31 and 32; the MSR bitmap lets only FS/GS
 * base through). EFER is virtual (it drives the paging mode); a few
 * architectural MSRs are kept per guest; MSRs a device owns (the local
 * APIC's base) go to the bus; anything else raises #GP in the guest and is
 * logged once.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/cr.h"
#include "arch/x86/vectors.h"
#include "vmx/exit/exit.h"
#include "vmx/hw/vmcs.h"
#include "vmx/io/bus.h"

#define MSR_IA32_TSC         0x10
#define MSR_IA32_MISC_ENABLE 0x1a0
#define MSR_STAR             0xc0000081
#define MSR_LSTAR            0xc0000082
#define MSR_CSTAR            0xc0000083
#define MSR_FMASK            0xc0000084
#define ONCE_TAG_MSR         (5ull << 60)

/* The per-guest copy of a simple MSR, or 0 if it is not one. */
static uint64_t *msr_slot(struct vcpu *v, uint32_t msr)
{
	switch (msr) {
	case MSR_IA32_PAT:
		return &v->msr.pat;
	case MSR_STAR:
		return &v->msr.star;
	case MSR_LSTAR:
		return &v->msr.lstar;
	case MSR_CSTAR:
		return &v->msr.cstar;
	case MSR_FMASK:
		return &v->msr.fmask;
	case MSR_KERNEL_GS_BASE:
		return &v->msr.kernel_gs_base;
	default:
		return 0;
	}
}

/* MSRs of the CPU itself: true if msr is one (value read). */
static bool read_cpu_msr(struct vcpu *v, uint32_t msr, uint64_t *value)
{
	switch (msr) {
	case MSR_EFER:
		*value = v->efer;
		return true;
	case MSR_IA32_TSC:
		*value = rdmsr(MSR_IA32_TSC);
		return true;
	case MSR_IA32_MISC_ENABLE:
		*value = 1; /* fast strings */
		return true;
	case MSR_IA32_SYSENTER_CS:
		*value = vmcs_read(VMCS_GUEST_SYSENTER_CS);
		return true;
	case MSR_IA32_SYSENTER_ESP:
		*value = vmcs_read(VMCS_GUEST_SYSENTER_ESP);
		return true;
	case MSR_IA32_SYSENTER_EIP:
		*value = vmcs_read(VMCS_GUEST_SYSENTER_EIP);
		return true;
	default:
		return false;
	}
}

static bool read_msr(struct vcpu *v, uint32_t msr, uint64_t *value, bool *known)
{
	uint64_t *slot = msr_slot(v, msr);

	*known = true;
	if (slot) {
		*value = *slot;
		return true;
	}
	if (read_cpu_msr(v, msr, value))
		return true;
	return io_msr_read(v->bus, msr, value, known);
}

/* Writes to MSRs of the CPU itself: 1 done, 0 #GP, -1 not such an MSR. */
static int write_cpu_msr(struct vcpu *v, uint32_t msr, uint64_t value)
{
	switch (msr) {
	case MSR_EFER:
		return vcpu_write_efer(v, value);
	case MSR_IA32_SYSENTER_CS:
		vmcs_write(VMCS_GUEST_SYSENTER_CS, value);
		return 1;
	case MSR_IA32_SYSENTER_ESP:
		vmcs_write(VMCS_GUEST_SYSENTER_ESP, value);
		return 1;
	case MSR_IA32_SYSENTER_EIP:
		vmcs_write(VMCS_GUEST_SYSENTER_EIP, value);
		return 1;
	default:
		return -1;
	}
}

static bool write_msr(struct vcpu *v, uint32_t msr, uint64_t value, bool *known)
{
	uint64_t *slot = msr_slot(v, msr);

	*known = true;
	if (slot) {
		*slot = value;
		return true;
	}
	int done = write_cpu_msr(v, msr, value);
	if (done >= 0)
		return done;
	return io_msr_write(v->bus, msr, value, known);
}

/* #GP; an MSR nobody has is logged once (a device logs its own refusals). */
static void msr_fault(struct vcpu *v, const char *op, uint32_t msr, bool known)
{
	if (!known)
		io_log_once(v->bus->log, io_bus_now(v->bus), ONCE_TAG_MSR | msr,
		            "%s of MSR 0x%x: #GP\n", op, msr);
	vcpu_inject(v, VEC_GP, true, 0);
}

void exit_rdmsr(struct vcpu *v, uint64_t qual)
{
	uint32_t msr = (uint32_t)v->regs.gpr[VCPU_RCX];
	uint64_t value;
	bool known;

	(void)qual;
	if (!read_msr(v, msr, &value, &known)) {
		msr_fault(v, "RDMSR", msr, known);
		return;
	}
	v->regs.gpr[VCPU_RAX] = (uint32_t)value;
	v->regs.gpr[VCPU_RDX] = value >> 32;
	vcpu_skip_instruction(v);
}

void exit_wrmsr(struct vcpu *v, uint64_t qual)
{
	uint32_t msr = (uint32_t)v->regs.gpr[VCPU_RCX];
	uint64_t value = (v->regs.gpr[VCPU_RDX] << 32) | (uint32_t)v->regs.gpr[VCPU_RAX];
	bool known;

	(void)qual;
	if (!write_msr(v, msr, value, &known)) {
		msr_fault(v, "WRMSR", msr, known);
		return;
	}
	/* An EFER write that raised #GP (bad PDPTEs on the mode change) must not
	 * skip the instruction. */
	if (!vcpu_event_pending(v))
		vcpu_skip_instruction(v);
}
