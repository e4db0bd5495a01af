/*
 * RDMSR and WRMSR (exit reasons 31 and 32), by the MSR table of
 * vmx/exit/msr_model.c: which MSRs exist for the modelled CPU, their reset
 * values and the bits a write may set (others raise #GP, as on hardware).
 * Where each value lives: the VMCS guest state (SYSENTER, DEBUGCTL), the
 * vCPU (PAT, MISC_ENABLE, EFER, the TSC offset), a device on the bus (the
 * local APIC's base). The SYSCALL MSRs, KERNEL_GS_BASE and FS/GS base never
 * exit: the MSR bitmap passes them through (vmx/cpu/state.h). An MSR that
 * does not exist raises #GP and is logged once.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/cr.h"
#include "arch/x86/vectors.h"
#include "vmx/exit/exit.h"
#include "vmx/exit/msr_model.h"
#include "vmx/hw/vmcs.h"
#include "vmx/io/bus.h"

#define ONCE_TAG_MSR (5ull << 60)

/* The capabilities behind the table: a property of the modelled CPU, the same
 * for every guest of this host. */
static const struct msr_caps *caps(void)
{
	static struct msr_caps c;
	static bool known;

	if (!known) {
		c = msr_caps_from_cpuid(exit_host_cpuid, 0);
		known = true;
	}
	return &c;
}

/* The VMCS field holding a stored MSR, or 0. */
static uint32_t vmcs_field_of(uint32_t msr)
{
	switch (msr) {
	case MSR_IA32_SYSENTER_CS:
		return VMCS_GUEST_SYSENTER_CS;
	case MSR_IA32_SYSENTER_ESP:
		return VMCS_GUEST_SYSENTER_ESP;
	case MSR_IA32_SYSENTER_EIP:
		return VMCS_GUEST_SYSENTER_EIP;
	case MSR_IA32_DEBUGCTL:
		return VMCS_GUEST_DEBUGCTL;
	case MSR_FS_BASE:
		return VMCS_GUEST_FS_BASE;
	case MSR_GS_BASE:
		return VMCS_GUEST_GS_BASE;
	default:
		return 0;
	}
}

/* The vCPU's copy of a stored MSR, or 0 (then it is a VMCS field or a real
 * register the guest owns). */
static uint64_t *vcpu_slot(struct vcpu *v, uint32_t msr)
{
	switch (msr) {
	case MSR_IA32_PAT:
		return &v->msr.pat;
	case MSR_MODEL_MISC_ENABLE:
		return &v->msr.misc_enable;
	default:
		return 0;
	}
}

static uint64_t read_stored(struct vcpu *v, uint32_t msr)
{
	uint64_t *slot = vcpu_slot(v, msr);
	uint32_t field = vmcs_field_of(msr);

	if (slot)
		return *slot;
	return field ? vmcs_read(field) : rdmsr(msr);
}

static void write_stored(struct vcpu *v, uint32_t msr, uint64_t value)
{
	uint64_t *slot = vcpu_slot(v, msr);
	uint32_t field = vmcs_field_of(msr);

	if (slot)
		*slot = value;
	else if (field)
		vmcs_write(field, value);
	else
		wrmsr(msr, value);
}

static bool read_msr(struct vcpu *v, const struct msr_desc *d, uint64_t *value)
{
	switch (d->kind) {
	case MSR_KIND_CONST:
		*value = d->reset;
		return true;
	case MSR_KIND_TSC:
		*value = rdtsc() + v->tsc_offset;
		return true;
	case MSR_KIND_EFER:
		*value = v->efer;
		return true;
	case MSR_KIND_DEVICE:
		return io_msr_read(v->bus, d->msr, value, 0);
	default:
		*value = read_stored(v, d->msr);
		return true;
	}
}

static bool write_msr(struct vcpu *v, const struct msr_desc *d, uint64_t value)
{
	if (d->kind == MSR_KIND_DEVICE)
		return io_msr_write(v->bus, d->msr, value, 0); /* it logs its refusals */
	if (!msr_model_write_ok(d, value, caps()))
		return false;
	uint64_t old = 0;
	read_msr(v, d, &old);
	value = msr_model_after_write(d, old, value, caps());
	switch (d->kind) {
	case MSR_KIND_CONST:
		return true; /* accepted and ignored (IA32_BIOS_SIGN_ID) */
	case MSR_KIND_TSC:
		v->tsc_offset = value - rdtsc();
		vmcs_write(VMCS_TSC_OFFSET, v->tsc_offset);
		return true;
	case MSR_KIND_EFER:
		return vcpu_write_efer(v, value);
	default:
		write_stored(v, d->msr, value);
		return true;
	}
}

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
	const struct msr_desc *d = msr_model_find(msr, caps());
	uint64_t value;

	(void)qual;
	if (!d || !read_msr(v, d, &value)) {
		msr_fault(v, "RDMSR", msr, d != 0);
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
	const struct msr_desc *d = msr_model_find(msr, caps());

	(void)qual;
	if (!d || !write_msr(v, d, value)) {
		msr_fault(v, "WRMSR", msr, d != 0);
		return;
	}
	/* An EFER write that raised #GP (bad PDPTEs on the mode change) must not
	 * skip the instruction. */
	if (!vcpu_event_pending(v))
		vcpu_skip_instruction(v);
}
