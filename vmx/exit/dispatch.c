/*
 * VM-exit dispatch (Intel SDM Vol. 3C ch. 27-28): read the exit reason,
 * count it, call its handler from the table, re-inject an event whose
 * delivery the exit interrupted (§28.2.4), end the guest if a device asked
 * for it, and point CR3 at the shadow root again. Entry failures and exits
 * without a handler end the guest with their reason and qualification.
 */
#include "arch/x86/printf.h"
#include "vmx/exit/exit.h"
#include "vmx/hw/names.h"
#include "vmx/hw/vmcs.h"
#include "vmx/io/bus.h"

#define EXIT_REASONS 70

static const exit_handler_fn handlers[EXIT_REASONS] = {
    [VMX_EXIT_EXCEPTION_NMI] = exit_exception,
    [VMX_EXIT_EXTERNAL_INTERRUPT] = exit_external_interrupt,
    [VMX_EXIT_TRIPLE_FAULT] = exit_triple_fault,
    [VMX_EXIT_INTERRUPT_WINDOW] = exit_window,
    [VMX_EXIT_NMI_WINDOW] = exit_window,
    [VMX_EXIT_CPUID] = exit_cpuid,
    [VMX_EXIT_HLT] = exit_hlt,
    [VMX_EXIT_INVD] = exit_invd,
    [VMX_EXIT_INVLPG] = exit_invlpg,
    [VMX_EXIT_RDPMC] = exit_rdpmc,
    [VMX_EXIT_MWAIT] = exit_monitor_mwait,
    [VMX_EXIT_MONITOR] = exit_monitor_mwait,
    [VMX_EXIT_VMCALL] = exit_vmcall,
    [VMX_EXIT_VMCLEAR] = exit_vmx_instruction,
    [VMX_EXIT_VMLAUNCH] = exit_vmx_instruction,
    [VMX_EXIT_VMPTRLD] = exit_vmx_instruction,
    [VMX_EXIT_VMPTRST] = exit_vmx_instruction,
    [VMX_EXIT_VMREAD] = exit_vmx_instruction,
    [VMX_EXIT_VMRESUME] = exit_vmx_instruction,
    [VMX_EXIT_VMWRITE] = exit_vmx_instruction,
    [VMX_EXIT_VMXOFF] = exit_vmx_instruction,
    [VMX_EXIT_VMXON] = exit_vmx_instruction,
    [VMX_EXIT_CR_ACCESS] = exit_cr_access,
    [VMX_EXIT_IO_INSTRUCTION] = exit_io,
    [VMX_EXIT_RDMSR] = exit_rdmsr,
    [VMX_EXIT_WRMSR] = exit_wrmsr,
    [VMX_EXIT_INVEPT] = exit_vmx_instruction,
    [VMX_EXIT_INVVPID] = exit_vmx_instruction,
    [VMX_EXIT_VMFUNC] = exit_vmx_instruction,
    [VMX_EXIT_PREEMPTION_TIMER] = exit_window,
};

_Static_assert(EXIT_REASONS <= VCPU_EXIT_REASONS, "every handled reason is counted");

static void entry_failed(struct vcpu *v, uint32_t reason, uint64_t qual)
{
	uint32_t basic = vmx_exit_reason_basic(reason);
	const char *meaning = vmx_entry_failure_meaning(basic);
	printf("vmx: VM entry failed: exit reason %u (%s: %s), qualification %lu\n", basic,
	       vmx_exit_reason_name(basic), meaning ? meaning : "?", (unsigned long)qual);
	vmcs_dump_guest();
	vcpu_stop(v, 1, "VM entry failed");
}

static void unhandled_exit(struct vcpu *v, uint32_t basic, uint64_t qual)
{
	char why[96];
	printf("vmx: unhandled exit %u (%s), qualification 0x%lx, rip 0x%lx\n", basic,
	       vmx_exit_reason_name(basic), (unsigned long)qual,
	       (unsigned long)vmcs_read(VMCS_GUEST_RIP));
	snprintf(why, sizeof(why), "unhandled exit %s", vmx_exit_reason_name(basic));
	vcpu_stop(v, 1, why);
}

/* A device asked to end the machine (a status on a debug port, a reset). */
static void stop_if_requested(struct vcpu *v)
{
	const struct io_stop *s = &v->bus->stop;
	char why[96];

	if (!io_bus_stop_requested(v->bus))
		return;
	switch (s->kind) {
	case IO_STOP_EXIT:
		snprintf(why, sizeof(why), "exit status %u (%s)", s->status, s->why);
		break;
	case IO_STOP_RESET:
		snprintf(why, sizeof(why), "reset (%s)", s->why);
		break;
	case IO_STOP_LIMIT:
		snprintf(why, sizeof(why), "stopped at its time limit (%s)", s->why);
		break;
	default:
		snprintf(why, sizeof(why), "shutdown (%s)", s->why);
		break;
	}
	vcpu_stop(v, s->status, why);
}

void exit_dispatch(struct vcpu *v)
{
	uint32_t reason = (uint32_t)vmcs_read(VMCS_EXIT_REASON);
	uint32_t basic = vmx_exit_reason_basic(reason);
	uint64_t qual = vmcs_read(VMCS_EXIT_QUALIFICATION);

	v->stats.exit_total++;
	v->stats.exits[basic < VCPU_EXIT_REASONS ? basic : 0]++;
	if (vmx_exit_reason_is_entry_failure(reason))
		entry_failed(v, reason, qual);
	uint32_t vectoring = (uint32_t)vmcs_read(VMCS_IDT_VECTORING_INFO);
	uint32_t vectoring_error = (uint32_t)vmcs_read(VMCS_IDT_VECTORING_ERRCODE);
	exit_handler_fn handler = basic < EXIT_REASONS ? handlers[basic] : 0;
	if (!handler)
		unhandled_exit(v, basic, qual);
	handler(v, qual);
	vcpu_reinject_interrupted(v, vectoring, vectoring_error);
	exit_deliver_events(v);
	stop_if_requested(v);
	if (!vcpu_load_shadow_root(v))
		vcpu_stop(v, 1, "no shadow root");
}
