/*
 * CPUID (exit reason 10). The guest sees the host CPU minus everything this
 * hypervisor does not virtualize (VMX, SMX, x2APIC, XSAVE/AVX, PCID, PKU,
 * LA57, PDCM, ...), plus a hypervisor leaf 0x40000000 with the signature
 * "hvx86hvx86hv".
 */
#include "arch/x86/cpu.h"
#include "arch/x86/cr.h"
#include "vmx/exit/exit.h"
#include "vmx/io/bus.h"

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
#define EBX7_KEPT            ((1u << 7) | (1u << 20))
#define CPUID1_EDX_APIC      (1u << 9)
#define APIC_BASE_MSR_ENABLE (1ull << 11)

/* CPUID.1:EDX.APIC follows IA32_APIC_BASE[11] (SDM Vol. 3A §11.4.3): it reads
 * 0 when no APIC is there or it is globally disabled. */
static bool apic_enabled(struct vcpu *v)
{
	uint64_t base;
	return io_msr_read(v->bus, MSR_IA32_APIC_BASE, &base, 0) && (base & APIC_BASE_MSR_ENABLE);
}

static void filter_cpuid(struct vcpu *v, uint32_t leaf, struct cpuid_regs *r)
{
	switch (leaf) {
	case 1:
		r->ecx = (r->ecx & ~ECX1_HIDDEN) | CPUID1_ECX_HYPERVISOR;
		r->edx &= ~EDX1_HIDDEN;
		if (!apic_enabled(v))
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

void exit_cpuid(struct vcpu *v, uint64_t qual)
{
	uint32_t leaf = (uint32_t)v->regs.gpr[VCPU_RAX];
	uint32_t sub = (uint32_t)v->regs.gpr[VCPU_RCX];
	struct cpuid_regs r = leaf == HV_CPUID_LEAF ? (struct cpuid_regs){0} : cpuid(leaf, sub);

	(void)qual;
	filter_cpuid(v, leaf, &r);
	v->regs.gpr[VCPU_RAX] = r.eax;
	v->regs.gpr[VCPU_RBX] = r.ebx;
	v->regs.gpr[VCPU_RCX] = r.ecx;
	v->regs.gpr[VCPU_RDX] = r.edx;
	vcpu_skip_instruction(v);
}
