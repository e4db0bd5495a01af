/*
 * The host's local APIC (see arch/x86/lapic.h). Its page is in the low 4 GiB,
 * which the kernel maps one to one; accesses to the APIC page go to the APIC
 * whatever the memory type (SDM Vol. 3A §11.4.1).
 */
#include "arch/x86/lapic.h"
#include "arch/x86/cpu.h"
#include "arch/x86/cr.h"
#include "arch/x86/hostirq.h"
#include "arch/x86/printf.h"
#include "arch/x86/tsc.h"

#define CPUID1_EDX_APIC   (1u << 9)
#define APIC_BASE_ENABLE  (1ull << 11)
#define APIC_BASE_ADDR    0xfffff000ull
#define REG_TPR           0x080
#define REG_EOI           0x0b0
#define REG_SVR           0x0f0
#define REG_LVT_TIMER     0x320
#define REG_LVT_THERMAL   0x330
#define REG_LVT_PERF      0x340
#define REG_LVT_LINT0     0x350
#define REG_LVT_ERROR     0x370
#define REG_TIMER_INITIAL 0x380
#define REG_TIMER_CURRENT 0x390
#define REG_TIMER_DIVIDE  0x3e0
#define SVR_ENABLE        (1u << 8)
#define LVT_MASKED        (1u << 16)
#define DIVIDE_BY_1       0xb
#define CALIBRATE_NS      10000000ull /* 10 ms of TSC */
#define NS_PER_SEC        1000000000ull

static volatile uint32_t *regs;
static uint64_t timer_hz;

static uint32_t rd(uint32_t reg)
{
	return regs[reg / 4];
}

static void wr(uint32_t reg, uint32_t value)
{
	regs[reg / 4] = value;
}

bool host_lapic_present(void)
{
	return regs != 0;
}

static void calibrate(void)
{
	wr(REG_TIMER_DIVIDE, DIVIDE_BY_1);
	wr(REG_LVT_TIMER, HOST_VEC_TIMER | LVT_MASKED);
	wr(REG_TIMER_INITIAL, 0xffffffffu);
	uint64_t start = rdtsc(), span = tsc_ns_to_ticks(CALIBRATE_NS);
	while (rdtsc() - start < span)
		cpu_relax();
	uint32_t counted = 0xffffffffu - rd(REG_TIMER_CURRENT);
	wr(REG_TIMER_INITIAL, 0);
	timer_hz = (uint64_t)counted * (NS_PER_SEC / CALIBRATE_NS);
	wr(REG_LVT_TIMER, HOST_VEC_TIMER); /* one-shot, unmasked */
}

bool host_lapic_init(void)
{
	if (!(cpuid(1, 0).edx & CPUID1_EDX_APIC))
		return false;
	uint64_t base = rdmsr(MSR_IA32_APIC_BASE);
	if (!(base & APIC_BASE_ENABLE))
		wrmsr(MSR_IA32_APIC_BASE, base |= APIC_BASE_ENABLE);
	regs = (volatile uint32_t *)(uintptr_t)(base & APIC_BASE_ADDR);
	wr(REG_SVR, SVR_ENABLE | HOST_VEC_APIC_SPURIOUS);
	wr(REG_TPR, 0);
	wr(REG_LVT_THERMAL, LVT_MASKED);
	wr(REG_LVT_PERF, LVT_MASKED);
	wr(REG_LVT_LINT0, LVT_MASKED); /* the 8259 pair is masked anyway */
	wr(REG_LVT_ERROR, LVT_MASKED);
	calibrate();
	printf("cpu: local APIC at 0x%lx, timer %lu kHz (one-shot, vector 0x%x)\n",
	       (unsigned long)(base & APIC_BASE_ADDR), (unsigned long)(timer_hz / 1000),
	       HOST_VEC_TIMER);
	return true;
}

void host_lapic_timer_arm(uint64_t tsc_deadline)
{
	uint64_t now = rdtsc();
	uint64_t ns = tsc_deadline > now ? tsc_ticks_to_ns(tsc_deadline - now) : 0;
	uint64_t ticks = (uint64_t)(((unsigned __int128)ns * timer_hz) / NS_PER_SEC);

	if (!regs)
		return;
	if (ticks == 0)
		ticks = 1;
	if (ticks > 0xffffffffu)
		ticks = 0xffffffffu;
	wr(REG_TIMER_INITIAL, (uint32_t)ticks);
}

void host_lapic_timer_disarm(void)
{
	if (regs)
		wr(REG_TIMER_INITIAL, 0);
}

void host_lapic_eoi(void)
{
	if (regs)
		wr(REG_EOI, 0);
}
