/*
 * The host timer that brings the CPU back to the hypervisor at a guest
 * deadline (a device's next event, the guest's time limit): the VMX
 * preemption timer where the CPU has it (it counts down at the TSC rate
 * shifted right by IA32_VMX_MISC[4:0] while the guest runs, SDM Vol. 3C
 * §26.5.1), else the host local APIC timer, whose interrupt makes the guest
 * exit (external-interrupt exiting). While the guest halts the hypervisor
 * itself sleeps on the local APIC timer. Guest time is nanoseconds since
 * v->time_zero_tsc on the host TSC.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/lapic.h"
#include "arch/x86/tsc.h"
#include "vmx/cpu/vcpu.h"
#include "vmx/hw/msr_vmx.h"
#include "vmx/hw/vmcs.h"

#define NO_DEADLINE  UINT64_MAX
#define PREEMPT_MAX  0xffffffffull
#define HALT_POLL_NS 10000000ull /* without a local APIC: look again every 10 ms */

static uint64_t deadline_tsc(const struct vcpu *v, uint64_t guest_ns)
{
	return v->time_zero_tsc + tsc_ns_to_ticks(guest_ns);
}

uint64_t vcpu_guest_now(const struct vcpu *v)
{
	return tsc_ticks_to_ns(rdtsc() - v->time_zero_tsc);
}

bool vcpu_has_preemption_timer(const struct vcpu *v)
{
	return v->ctl.ctl[VMX_CTL_PIN] & VMX_PIN_PREEMPT_TIMER;
}

void vcpu_arm_deadline(struct vcpu *v, uint64_t guest_ns)
{
	if (!vcpu_has_preemption_timer(v)) {
		if (guest_ns == NO_DEADLINE)
			host_lapic_timer_disarm();
		else
			host_lapic_timer_arm(deadline_tsc(v, guest_ns));
		return;
	}
	uint64_t value = PREEMPT_MAX;
	if (guest_ns != NO_DEADLINE) {
		uint64_t at = deadline_tsc(v, guest_ns), now = rdtsc();
		unsigned shift = (unsigned)(v->cpu->caps.misc & VMX_MISC_PREEMPT_RATE_MASK);
		value = at > now ? (at - now) >> shift : 0;
		if (value > PREEMPT_MAX)
			value = PREEMPT_MAX;
	}
	vmcs_write(VMCS_GUEST_PREEMPT_TIMER, value);
}

void vcpu_idle_until(struct vcpu *v, uint64_t guest_ns)
{
	if (!host_lapic_present()) {
		uint64_t until =
		    guest_ns == NO_DEADLINE ? vcpu_guest_now(v) + HALT_POLL_NS : guest_ns;
		while (vcpu_guest_now(v) < until)
			cpu_relax();
		return;
	}
	if (guest_ns == NO_DEADLINE)
		guest_ns = vcpu_guest_now(v) + HALT_POLL_NS;
	host_lapic_timer_arm(deadline_tsc(v, guest_ns));
	/* Any host interrupt ends the sleep; its handler acknowledges it. */
	__asm__ volatile("sti; hlt; cli" ::: "memory");
	v->stats.idle_wakeups++;
}
