/*
 * Events: the one place that decides, before every VM entry, what the guest
 * receives (SDM Vol. 3C ch. 26.6): the device timers whose time has come run
 * first; then an NMI if one is waiting and the guest can take it, else the
 * interrupt the controller in front of the CPU presents (the local APIC, or
 * the 8259 pair through it or alone) if RFLAGS.IF is set and no STI or MOV-SS
 * shadow blocks it. Whatever cannot be taken now is waited for with interrupt-
 * and NMI-window exiting; nothing is injected while an event already is, or
 * while a page-table write is being stepped (that window is one instruction).
 * The host timer is armed for the earliest device deadline.
 *
 * And the exits about the machine rather than an instruction: a host
 * interrupt (acknowledged on exit where the CPU can, or taken now), the
 * window and preemption-timer exits (nothing to do but deliver), the
 * guest's triple fault, and HLT: the guest sleeps until an interrupt or NMI
 * it can take, while the host sleeps too; HLT with interrupts off and no NMI
 * waiting can never end and stops the guest.
 */
#include "arch/x86/hostirq.h"
#include "arch/x86/printf.h"
#include "arch/x86/vectors.h"
#include "vmx/exit/exit.h"
#include "vmx/hw/vmcs.h"
#include "vmx/io/bus.h"

void exit_deliver_events(struct vcpu *v)
{
	struct io_bus *b = v->bus;
	uint64_t next = io_bus_run_timers(b, io_bus_now(b));
	bool busy = vcpu_event_pending(v), stepping = v->step.active;
	bool nmi = io_intr_nmi_pending(&b->intr);
	bool irq = io_intr_pending(&b->intr) != IO_INTR_NONE;

	if (nmi && !busy && !stepping && vcpu_nmi_open(v)) {
		io_intr_nmi_ack(&b->intr);
		vcpu_inject_nmi(v);
		busy = true;
		nmi = false;
	}
	if (irq && !busy && !stepping && vcpu_interrupt_open(v)) {
		int vector = io_intr_ack(&b->intr);
		if (vector != IO_INTR_NONE)
			vcpu_inject_interrupt(v, (uint8_t)vector);
		irq = io_intr_pending(&b->intr) != IO_INTR_NONE;
	}
	/* While stepping a window would open before the stepped instruction and
	 * exit again at once: the step's own #DB comes first. */
	vcpu_request_nmi_window(v, nmi && !stepping);
	vcpu_request_interrupt_window(v, irq && !stepping);
	vcpu_arm_deadline(v, next);
}

void exit_external_interrupt(struct vcpu *v, uint64_t qual)
{
	uint32_t info = (uint32_t)vmcs_read(VMCS_EXIT_INTR_INFO);

	(void)qual;
	v->stats.host_interrupts++;
	if (vmx_intr_info_valid(info)) /* acknowledged on exit: the vector is here */
		host_interrupt(vmx_intr_info_vector(info));
	else
		host_take_pending_interrupts();
}

void exit_window(struct vcpu *v, uint64_t qual)
{
	(void)v;
	(void)qual; /* exit_deliver_events() delivers, and closes the window */
}

void exit_triple_fault(struct vcpu *v, uint64_t qual)
{
	(void)qual;
	printf("vmx: guest triple fault at rip 0x%lx\n", (unsigned long)vmcs_read(VMCS_GUEST_RIP));
	vcpu_stop(v, 1, "triple fault");
}

/* Until the guest has something to take, a device asks to stop, or time ends. */
static void idle(struct vcpu *v)
{
	struct io_bus *b = v->bus;

	for (;;) {
		uint64_t next = io_bus_run_timers(b, io_bus_now(b));
		if (io_bus_stop_requested(b) || io_intr_nmi_pending(&b->intr) ||
		    io_intr_pending(&b->intr) != IO_INTR_NONE)
			return;
		vcpu_idle_until(v, next);
	}
}

void exit_hlt(struct vcpu *v, uint64_t qual)
{
	(void)qual;
	if (!(vmcs_read(VMCS_GUEST_RFLAGS) & RFLAGS_IF) && !io_intr_nmi_pending(&v->bus->intr))
		vcpu_stop(v, 1, "halted with interrupts off");
	vcpu_skip_instruction(v);
	v->stats.halts++;
	idle(v);
}
