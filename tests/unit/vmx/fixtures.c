#include "tests/unit/vmx/fixtures.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "vmx/hw/msr_vmx.h"

void fake_cpu_set(struct fake_cpu *cpu, uint32_t msr, uint64_t value)
{
	for (int i = 0; i < cpu->count; i++) {
		if (cpu->msrs[i].msr == msr) {
			cpu->msrs[i].value = value;
			return;
		}
	}
	if (cpu->count < FAKE_MAX_MSRS)
		cpu->msrs[cpu->count++] = (struct fake_msr){msr, value};
}

void fake_cpu_remove(struct fake_cpu *cpu, uint32_t msr)
{
	for (int i = 0; i < cpu->count; i++) {
		if (cpu->msrs[i].msr == msr) {
			cpu->msrs[i] = cpu->msrs[--cpu->count];
			return;
		}
	}
}

void fake_cpu_t9600(struct fake_cpu *cpu)
{
	memset(cpu, 0, sizeof(*cpu));
	fake_cpu_set(cpu, MSR_IA32_FEATURE_CONTROL, 0x5);
	fake_cpu_set(cpu, MSR_IA32_VMX_BASIC, 0x005A08000000000Dull);
	fake_cpu_set(cpu, MSR_IA32_VMX_PINBASED_CTLS, 0x0000003F00000016ull);
	fake_cpu_set(cpu, MSR_IA32_VMX_PROCBASED_CTLS, 0xF7F9FFFE0401E172ull);
	fake_cpu_set(cpu, MSR_IA32_VMX_EXIT_CTLS, 0x0003FFFF00036DFFull);
	fake_cpu_set(cpu, MSR_IA32_VMX_ENTRY_CTLS, 0x00003FFF000011FFull);
	fake_cpu_set(cpu, MSR_IA32_VMX_MISC, 0x00000000000403C0ull);
	fake_cpu_set(cpu, MSR_IA32_VMX_CR0_FIXED0, 0x80000021ull);
	fake_cpu_set(cpu, MSR_IA32_VMX_CR0_FIXED1, 0xFFFFFFFFull);
	fake_cpu_set(cpu, MSR_IA32_VMX_CR4_FIXED0, 0x00002000ull);
	fake_cpu_set(cpu, MSR_IA32_VMX_CR4_FIXED1, 0x000467FFull);
	fake_cpu_set(cpu, MSR_IA32_VMX_VMCS_ENUM, 0x2Cull);
	fake_cpu_set(cpu, MSR_IA32_VMX_PROCBASED_CTLS2, 0x0000004100000000ull);
}

void fake_cpu_t9600_true(struct fake_cpu *cpu)
{
	fake_cpu_t9600(cpu);
	fake_cpu_set(cpu, MSR_IA32_VMX_BASIC, 0x005A08000000000Dull | VMX_BASIC_TRUE_CTLS);
	fake_cpu_set(cpu, MSR_IA32_VMX_TRUE_PINBASED_CTLS, 0x0000003F00000016ull);
	fake_cpu_set(cpu, MSR_IA32_VMX_TRUE_PROCBASED_CTLS, 0xF7F9FFFE04006172ull);
	fake_cpu_set(cpu, MSR_IA32_VMX_TRUE_EXIT_CTLS, 0x0003FFFF00036DFBull);
	fake_cpu_set(cpu, MSR_IA32_VMX_TRUE_ENTRY_CTLS, 0x00003FFF000011FBull);
}

void fake_cpu_ept(struct fake_cpu *cpu)
{
	fake_cpu_t9600_true(cpu);
	/* EPT(1), RDTSCP(3), VPID(5), WBINVD(6), unrestricted(7), plus APIC bits. */
	fake_cpu_set(cpu, MSR_IA32_VMX_PROCBASED_CTLS2, 0x000000FF00000000ull);
	fake_cpu_set(cpu, MSR_IA32_VMX_EPT_VPID_CAP, 0x00000F0106114141ull);
	fake_cpu_set(cpu, MSR_IA32_VMX_VMFUNC, 0);
}

int fake_cpu_was_read(const struct fake_cpu *cpu, uint32_t msr)
{
	for (int i = 0; i < cpu->nreads; i++)
		if (cpu->reads[i] == msr)
			return 1;
	return 0;
}

uint64_t fake_rdmsr(void *ctx, uint32_t msr)
{
	struct fake_cpu *cpu = ctx;

	if (cpu->nreads < (int)(sizeof(cpu->reads) / sizeof(cpu->reads[0])))
		cpu->reads[cpu->nreads++] = msr;
	for (int i = 0; i < cpu->count; i++)
		if (cpu->msrs[i].msr == msr)
			return cpu->msrs[i].value;
	cpu->bad_reads++;
	cpu->last_bad = msr;
	return 0;
}

char captured[4096];

void capture_reset(void)
{
	captured[0] = '\0';
}

int capture_printf(const char *fmt, ...)
{
	size_t used = strlen(captured);
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(captured + used, sizeof(captured) - used, fmt, ap);
	va_end(ap);
	return n;
}
