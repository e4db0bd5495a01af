/*
 * One virtual CPU: its registers, its VMCS and controls, the guest's view of
 * its control registers and MSRs, its paging context (the shadow), the
 * single-step state of a page-table write, and how it ended. Devices and
 * memory are not here: the vCPU reaches them through its bus (vmx/io/bus.h)
 * and its shadow's pool.
 */
#ifndef VMX_CPU_VCPU_H
#define VMX_CPU_VCPU_H

#include <stdbool.h>
#include <stdint.h>

#include "pool/shadow/shadow.h"
#include "vmx/cpu/step.h"
#include "vmx/cpu/vcpu_regs.h"
#include "vmx/hw/controls.h"
#include "vmx/hw/exit_reason.h"
#include "vmx/hw/vmx_on.h"
#include "vmx/load/boot_state.h"

struct io_bus;

#define VCPU_EXIT_STACK_SIZE 16384
#define VCPU_EXIT_REASONS    80
#define VCPU_RESULT_MAX      96

/* MSRs the hypervisor keeps for the guest (the SYSCALL family and
 * KERNEL_GS_BASE live in the real registers: vmx/cpu/state.h). */
struct vcpu_msrs {
	uint64_t pat, misc_enable;
};

#define VCPU_PAT_RESET         0x0007040600070406ull /* SDM Vol. 3A §13.12.4, table 13-11 */
/* Fast strings; BTS and PEBS unavailable (SDM Vol. 4 table 2-2): what the
 * CPUID model advertises (vmx/exit/msr_model.c checks the match). */
#define VCPU_MISC_ENABLE_RESET 0x1801ull

/* The MSR-load lists' frame: the VM-entry list at entry 0, the VM-exit list here. */
#define VCPU_MSR_AREA_EXIT_LOAD 128

struct vcpu_stats {
	uint64_t exits[VCPU_EXIT_REASONS];
	uint64_t exit_total;
	uint64_t shadow_flushes;     /* the pool was flushed (it ran out) */
	uint64_t delivery_unshadows; /* event delivery wrote to a shadowed page table */
	uint64_t triple_faults;
	uint64_t idle_wakeups; /* the host slept while the guest halted */
	uint64_t injected_irqs, injected_nmis;
	uint64_t host_interrupts, halts;
};

/* How the guest ended (vcpu_stop). */
struct vcpu_end {
	bool stopped;
	uint32_t status; /* the guest's exit status (port 0xf4 / hypercall) */
	char result[VCPU_RESULT_MAX];
};

struct vcpu;
/* Called by the exit stub for every VM exit; returning resumes the guest. */
typedef void (*vcpu_exit_fn)(struct vcpu *v);

struct vcpu {
	struct vcpu_regs regs; /* first: the exit stub hands us &regs */
	const char *name;
	const struct vmx_cpu *cpu;
	uint64_t vmcs_phys;
	uint64_t io_bitmap_phys, msr_bitmap_phys; /* I/O bitmap A and B are contiguous */
	uint64_t msr_area_phys;                   /* the VM-entry/exit MSR-load lists */
	uint64_t tsc_offset;                      /* guest TSC = host TSC + this */
	uint64_t time_zero_tsc;                   /* host TSC at guest time 0 (the ns clock) */
	struct vmx_controls ctl;
	uint16_t vpid;

	/* The guest's own view of its control registers and EFER. The CR0 bits
	 * outside cr0_host_owned (TS, MP, EM, AM, ...) the guest writes without an
	 * exit: vcpu_guest_cr0() reads them back before cr0 is used. */
	uint64_t cr0, cr3, cr4, efer;
	uint64_t cr0_host_owned;
	struct vcpu_msrs msr;
	struct shadow_vcpu shadow;
	struct vcpu_step step;
	struct io_bus *bus; /* devices and the interrupt controller */

	struct vcpu_stats stats;
	struct vcpu_end end;
	uint8_t exit_stack[VCPU_EXIT_STACK_SIZE] __attribute__((aligned(16)));
};

static inline struct vcpu *vcpu_of(struct vcpu_regs *regs)
{
	return (struct vcpu *)regs;
}

/* vmx/cpu/vmcs_setup.c: a fresh VMCS for v (made current) that starts the
 * guest in `boot` and sends every exit to on_exit. 0, or -1 (printed). */
int vmcs_setup(struct vcpu *v, const struct boot_state *boot, vcpu_exit_fn on_exit);

/* vmx/cpu/run.c */
/* Run the guest until vcpu_stop(). Returns the RFLAGS of a failed VMLAUNCH
 * (printed), or 0 after the guest ran and stopped. */
uint64_t vcpu_run(struct vcpu *v);
/* End the guest from an exit handler: never returns (back into vcpu_run). */
__attribute__((noreturn)) void vcpu_stop(struct vcpu *v, uint32_t status, const char *why);

/* vmx/cpu/mode.c: the guest's CR0/CR4/EFER and what follows from them. */
/* The guest's CR0 now, with the bits it owns read from the VMCS. */
uint64_t vcpu_guest_cr0(struct vcpu *v);
/* The paging registers of the boot state, before the guest runs. 0 or -1 (printed). */
int vcpu_start_paging(struct vcpu *v, const struct boot_state *boot);
/* Apply a new guest CR0/CR4/EFER (guest view) to the shadow and the VMCS;
 * injects #GP or stops the guest on failure. */
void vcpu_set_paging_regs(struct vcpu *v, uint64_t cr0, uint64_t cr4, uint64_t efer);
/* MOV to CR0/CR4 with the architecture's checks: false means #GP. */
bool vcpu_write_cr0(struct vcpu *v, uint64_t value);
bool vcpu_write_cr4(struct vcpu *v, uint64_t value);
/* WRMSR IA32_EFER from the guest: false means #GP. */
bool vcpu_write_efer(struct vcpu *v, uint64_t value);
/* Recompute the real CR0/CR4, the read shadows and the IA-32e entry control
 * from the guest's view (after any write to CR0, CR4 or EFER). */
void vcpu_sync_control_regs(struct vcpu *v);
/* Point the real CR3 at the current shadow root. false if there is none. */
bool vcpu_load_shadow_root(struct vcpu *v);
/* The real EFER the guest runs with follows its SCE. */
void vcpu_sync_real_efer(struct vcpu *v);
/* Is the guest executing 64-bit code (IA-32e mode and CS.L)? */
bool vcpu_in_64bit_code(const struct vcpu *v);

/* vmx/cpu/timer.c: the host timer at guest deadlines (guest ns; UINT64_MAX: none). */
uint64_t vcpu_guest_now(const struct vcpu *v);
bool vcpu_has_preemption_timer(const struct vcpu *v);
/* The next exit no later than guest_ns (preemption timer or host APIC timer). */
void vcpu_arm_deadline(struct vcpu *v, uint64_t guest_ns);
/* The guest halted: sleep the host until guest_ns or any host interrupt. */
void vcpu_idle_until(struct vcpu *v, uint64_t guest_ns);

/* vmx/cpu/tlb.c: invalidate the guest's TLB entries (VPID) after shadow
 * entries changed. */
void vcpu_flush_tlb(struct vcpu *v);
/* Forget every shadow (the pool ran out): any open step is undone first. */
void vcpu_flush_shadows(struct vcpu *v);

/* vmx/cpu/regs.c: a general register as the current operand size sees it
 * (the upper half is ignored outside 64-bit code); n = x86 register number,
 * RSP included. */
uint64_t vcpu_gpr_read(const struct vcpu *v, unsigned n);
void vcpu_gpr_write(struct vcpu *v, unsigned n, uint64_t value);

/* vmx/cpu/inject.c: events for the next VM entry (SDM Vol. 3C §26.6). */
void vcpu_inject(struct vcpu *v, uint32_t vector, bool has_error, uint32_t error);
/* Is an event already set up for the next VM entry? */
bool vcpu_event_pending(const struct vcpu *v);
void vcpu_skip_instruction(struct vcpu *v);
/* The exception of this exception exit goes back to the guest as it came. */
void vcpu_reflect_exception(struct vcpu *v);
/* An exit during event delivery (e.g. a #PF on the guest's IDT or stack)
 * loses the event: set it up again unless the handler injected another. */
void vcpu_reinject_interrupted(struct vcpu *v, uint32_t vectoring, uint32_t error);

/* vmx/cpu/interrupt.c: external interrupts and NMIs (SDM Vol. 3C §26.6, §25.6.2). */
/* Can the guest take an external interrupt / an NMI at this VM entry? */
bool vcpu_interrupt_open(const struct vcpu *v);
bool vcpu_nmi_open(const struct vcpu *v);
void vcpu_inject_interrupt(struct vcpu *v, uint8_t vector);
void vcpu_inject_nmi(struct vcpu *v);
/* Exit as soon as the guest can take an interrupt / an NMI (window exiting). */
void vcpu_request_interrupt_window(struct vcpu *v, bool on);
void vcpu_request_nmi_window(struct vcpu *v, bool on);

#endif
