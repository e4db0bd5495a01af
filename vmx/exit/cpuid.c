/*
 * CPUID (exit reason 10): the guest sees the CPU model of
 * vmx/exit/cpuid_model.c, an allowlist of what this hypervisor virtualizes
 * over the host's values, with the hypervisor leaf 0x40000000
 * ("hvx86hvx86hv").
 */
#include "arch/x86/cpu.h"
#include "arch/x86/cr.h"
#include "vmx/exit/cpuid_model.h"
#include "vmx/exit/exit.h"
#include "vmx/io/bus.h"

#define APIC_BASE_MSR_ENABLE (1ull << 11)

struct cpuid_regs4 exit_host_cpuid(void *ctx, uint32_t leaf, uint32_t subleaf)
{
	struct cpuid_regs r = cpuid(leaf, subleaf);

	(void)ctx;
	return (struct cpuid_regs4){r.eax, r.ebx, r.ecx, r.edx};
}

/* CPUID.1:EDX.APIC follows IA32_APIC_BASE[11] (SDM Vol. 3A §11.4.3): it reads
 * 0 when no APIC is there or it is globally disabled. */
static bool apic_enabled(struct vcpu *v)
{
	uint64_t base;
	return io_msr_read(v->bus, MSR_IA32_APIC_BASE, &base, 0) && (base & APIC_BASE_MSR_ENABLE);
}

struct cpuid_regs4 exit_guest_cpuid(struct vcpu *v, uint32_t leaf, uint32_t subleaf)
{
	struct cpuid_facts facts = {.apic_enabled = apic_enabled(v),
	                            .in_64bit_mode = vcpu_in_64bit_code(v)};

	return cpuid_model(leaf, subleaf, exit_host_cpuid, 0, &facts);
}

void exit_cpuid(struct vcpu *v, uint64_t qual)
{
	uint32_t leaf = (uint32_t)v->regs.gpr[VCPU_RAX];
	uint32_t sub = (uint32_t)v->regs.gpr[VCPU_RCX];
	struct cpuid_regs4 r = exit_guest_cpuid(v, leaf, sub);

	(void)qual;
	v->regs.gpr[VCPU_RAX] = r.eax;
	v->regs.gpr[VCPU_RBX] = r.ebx;
	v->regs.gpr[VCPU_RCX] = r.ecx;
	v->regs.gpr[VCPU_RDX] = r.edx;
	vcpu_skip_instruction(v);
}
