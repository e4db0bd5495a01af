/*
 * CPUID and MSR accesses. The guest sees the host CPU minus everything this
 * hypervisor does not virtualize (VMX, SMX, x2APIC, XSAVE/AVX, PCID, PKU,
 * LA57, PDCM, ...), plus a hypervisor leaf 0x40000000 with the signature
 * "hvx86hvx86hv". MSRs: EFER is virtual (it drives the paging mode); a few
 * architectural ones are kept per guest; anything else raises #GP in the
 * guest and is logged once.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/cr.h"
#include "arch/x86/printf.h"
#include "vmx/exit/exit.h"
#include "vmx/hw/vmcs.h"

#define VEC_GP        13
#define HV_CPUID_LEAF 0x40000000u

/* CPUID.1 (SDM Vol. 2A table 3-10, 3-11). */
#define ECX1_HIDDEN                                                                          \
	((1u << 2) /* DTES64 (needs DS) */ | (1u << 4) /* DS-CPL (needs DS) */ |             \
	 (1u << 3) /* MONITOR */ | (1u << 5) /* VMX */ | (1u << 6) /* SMX */ |               \
	 (1u << 7) /* EST */ | (1u << 8) /* TM2 */ | (1u << 15) /* PDCM */ |                 \
	 (1u << 17) /* PCID */ | (1u << 18) /* DCA */ | (1u << 21) /* x2APIC */ |            \
	 (1u << 24) /* TSC deadline */ | (1u << 26) /* XSAVE */ | (1u << 27) /* OSXSAVE */ | \
	 (1u << 28) /* AVX */)
#define EDX1_HIDDEN                                                                           \
	((1u << 1) /* VME */ | (1u << 12) /* MTRR */ | (1u << 14) /* MCA: no MCG_CAP MSR */ | \
	 (1u << 21) /* DS */ | (1u << 22) /* ACPI */ | (1u << 29) /* TM */)
/* CPUID.7.0:EBX: only SMEP (7) and SMAP (20) are virtualized. */
#define EBX7_KEPT ((1u << 7) | (1u << 20))

#define MSR_IA32_TSC         0x10
#define MSR_IA32_MISC_ENABLE 0x1a0
#define MSR_STAR             0xc0000081
#define MSR_LSTAR            0xc0000082
#define MSR_CSTAR            0xc0000083
#define MSR_FMASK            0xc0000084
#define CPUID1_EDX_APIC      (1u << 9)

static void filter_cpuid(struct vcpu *v, uint32_t leaf, struct cpuid_regs *r)
{
	switch (leaf) {
	case 1:
		r->ecx = (r->ecx & ~ECX1_HIDDEN) | CPUID1_ECX_HYPERVISOR;
		r->edx &= ~EDX1_HIDDEN;
		/* CPUID.1:EDX.APIC reads 0 while the APIC is globally disabled. */
		if (!vlapic_hw_enabled(&v->lapic))
			r->edx &= ~CPUID1_EDX_APIC;
		r->ebx &= 0x0000ffffu; /* one logical CPU, APIC ID 0 */
		r->ebx |= 1u << 16;
		break;
	case 7:
		*r = (struct cpuid_regs){.ebx = r->ebx & EBX7_KEPT};
		break;
	case 0xb: /* x2APIC topology */
	case 0xd: /* XSAVE */
		*r = (struct cpuid_regs){0};
		break;
	case HV_CPUID_LEAF:
		*r = (struct cpuid_regs){HV_CPUID_LEAF, 0x38787668, 0x78766836, 0x76683638};
		break;
	default:
		if (leaf > HV_CPUID_LEAF && leaf < 0x80000000u)
			*r = (struct cpuid_regs){0};
		break;
	}
}

void exit_cpuid(struct vcpu *v)
{
	uint32_t leaf = (uint32_t)v->regs.gpr[VCPU_RAX];
	uint32_t sub = (uint32_t)v->regs.gpr[VCPU_RCX];
	struct cpuid_regs r = leaf == HV_CPUID_LEAF ? (struct cpuid_regs){0} : cpuid(leaf, sub);

	filter_cpuid(v, leaf, &r);
	v->regs.gpr[VCPU_RAX] = r.eax;
	v->regs.gpr[VCPU_RBX] = r.ebx;
	v->regs.gpr[VCPU_RCX] = r.ecx;
	v->regs.gpr[VCPU_RDX] = r.edx;
	vcpu_skip_instruction(v);
}

static bool first_time_for_msr(struct vcpu *v, uint32_t msr)
{
	unsigned n = sizeof(v->warned_msrs) / sizeof(v->warned_msrs[0]);
	for (unsigned i = 0; i < n; i++) {
		if (v->warned_msrs[i] == (uint64_t)msr + 1)
			return false;
		if (!v->warned_msrs[i]) {
			v->warned_msrs[i] = (uint64_t)msr + 1;
			return true;
		}
	}
	return false;
}

/* The per-guest copy of a simple MSR, or 0 if it is not one. */
static uint64_t *msr_slot(struct vcpu *v, uint32_t msr)
{
	switch (msr) {
	case MSR_IA32_PAT:
		return &v->pat;
	case MSR_STAR:
		return &v->star;
	case MSR_LSTAR:
		return &v->lstar;
	case MSR_CSTAR:
		return &v->cstar;
	case MSR_FMASK:
		return &v->fmask;
	case MSR_KERNEL_GS_BASE:
		return &v->kernel_gs_base;
	default:
		return 0;
	}
}

static bool read_msr(struct vcpu *v, uint32_t msr, uint64_t *value)
{
	uint64_t *slot = msr_slot(v, msr);
	if (slot) {
		*value = *slot;
		return true;
	}
	switch (msr) {
	case MSR_EFER:
		*value = v->efer;
		return true;
	case MSR_IA32_APIC_BASE:
		*value = vlapic_read_base_msr(&v->lapic);
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

/* IA32_APIC_BASE: enable may be cleared and set again; x2APIC mode, reserved
 * bits and moving the page are refused with #GP, logged once. */
static bool write_apic_base(struct vcpu *v, uint64_t value)
{
	enum vlapic_msr_status st = vlapic_write_base_msr(&v->lapic, value);
	if (st == VLAPIC_MSR_OK)
		return true;
	if (first_time_for_msr(v, MSR_IA32_APIC_BASE | 0x80000000u))
		printf("vmx: guest %s: IA32_APIC_BASE = 0x%lx refused: %s\n", v->name,
		       (unsigned long)value, vlapic_msr_status_name(st));
	return false;
}

static bool write_msr(struct vcpu *v, uint32_t msr, uint64_t value)
{
	uint64_t *slot = msr_slot(v, msr);
	if (slot) {
		*slot = value;
		return true;
	}
	switch (msr) {
	case MSR_EFER:
		return vcpu_write_efer(v, value);
	case MSR_IA32_APIC_BASE:
		return write_apic_base(v, value);
	case MSR_IA32_SYSENTER_CS:
		vmcs_write(VMCS_GUEST_SYSENTER_CS, value);
		return true;
	case MSR_IA32_SYSENTER_ESP:
		vmcs_write(VMCS_GUEST_SYSENTER_ESP, value);
		return true;
	case MSR_IA32_SYSENTER_EIP:
		vmcs_write(VMCS_GUEST_SYSENTER_EIP, value);
		return true;
	default:
		return false;
	}
}

static void msr_fault(struct vcpu *v, const char *op, uint32_t msr)
{
	if (first_time_for_msr(v, msr))
		printf("vmx: guest %s: %s of MSR 0x%x: #GP\n", v->name, op, msr);
	vcpu_inject(v, VEC_GP, true, 0);
}

void exit_rdmsr(struct vcpu *v)
{
	uint32_t msr = (uint32_t)v->regs.gpr[VCPU_RCX];
	uint64_t value;
	if (!read_msr(v, msr, &value)) {
		msr_fault(v, "RDMSR", msr);
		return;
	}
	v->regs.gpr[VCPU_RAX] = (uint32_t)value;
	v->regs.gpr[VCPU_RDX] = value >> 32;
	vcpu_skip_instruction(v);
}

void exit_wrmsr(struct vcpu *v)
{
	uint32_t msr = (uint32_t)v->regs.gpr[VCPU_RCX];
	uint64_t value = (v->regs.gpr[VCPU_RDX] << 32) | (uint32_t)v->regs.gpr[VCPU_RAX];
	if (!write_msr(v, msr, value)) {
		msr_fault(v, "WRMSR", msr);
		return;
	}
	/* An EFER write that raised #GP (bad bits) must not skip the instruction. */
	if (!vmx_intr_info_valid((uint32_t)vmcs_read(VMCS_ENTRY_INTR_INFO)))
		vcpu_skip_instruction(v);
}
