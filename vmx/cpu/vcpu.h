#ifndef VMX_VCPU_H
#define VMX_VCPU_H

#include <stdbool.h>
#include <stdint.h>

#include "pool/shadow.h"
#include "vmx/hw/controls.h"
#include "vmx/hw/exit_reason.h"
#include "vmx/vm/guest_mem.h"
#include "vmx/cpu/vcpu_regs.h"
#include "vmx/hw/vmx_on.h"
#include "vmx/dev/fwcfg.h"
#include "vmx/dev/lapic.h"
#include "vmx/dev/pic.h"
#include "vmx/dev/uart.h"

/* Where a guest starts: 32-bit protected mode, paging off (multiboot). */
struct guest_entry {
	uint64_t rip;
	uint64_t rax; /* the multiboot magic */
	uint64_t rbx; /* the multiboot information, guest-physical */
};

#define VCPU_EXIT_STACK_SIZE 16384
#define VCPU_EXIT_REASONS    80
#define VCPU_STEP_PAGES      4

#define VCPU_STEP_ENTRIES (4 * VCPU_STEP_PAGES)

/* One page made writable for a single guest instruction (see vmx/step.c). */
struct step_page {
	uint64_t la;     /* guest linear page */
	uint64_t gpa;    /* guest-physical page it maps */
	uint8_t *before; /* snapshot to diff against */
};

/* A shadow entry (leaf or link) given R/W for the step, and its old value. */
struct step_entry {
	uint16_t pool_idx;
	uint32_t index;
	uint64_t old;
};

struct vcpu_step {
	bool active;
	bool guest_tf; /* the guest had RFLAGS.TF itself */
	unsigned count, nentries;
	struct step_page page[VCPU_STEP_PAGES];
	struct step_entry entry[VCPU_STEP_ENTRIES];
	uint8_t snapshot[VCPU_STEP_PAGES][4096];
};

struct vcpu {
	struct vcpu_regs regs; /* first: the exit stub hands us &regs */
	const char *name;
	struct vmx_cpu *cpu;
	uint64_t vmcs_phys;
	uint64_t io_bitmap_phys, msr_bitmap_phys; /* I/O bitmap A and B are contiguous */
	struct vmx_controls ctl;
	uint16_t vpid;

	struct guest_mem mem;
	struct shadow_vcpu shadow;
	/* The guest's own view of its control registers and EFER. */
	uint64_t cr0, cr3, cr4, efer;
	struct vuart uart;
	struct vpic pic;
	struct vfwcfg fwcfg;
	struct vlapic lapic;
	struct vcpu_step step;

	uint64_t exits[VCPU_EXIT_REASONS];
	uint64_t exit_total;
	uint64_t warned_ports[8];   /* ports already logged (a small set) */
	uint64_t warned_msrs[8];    /* MSRs already logged */
	unsigned shutdown_progress; /* bytes of "Shutdown" seen on port 0x8900 */
	uint64_t pat, sysenter_cs, star, lstar, cstar, fmask, kernel_gs_base;
	bool stopped;
	bool outside_ram_logged; /* accesses outside RAM are logged once */
	bool apic_refused_logged;
	uint32_t status; /* the guest's exit status (port 0xf4 / hypercall) */
	char result[96]; /* how the guest ended, for the log */
	uint8_t exit_stack[VCPU_EXIT_STACK_SIZE] __attribute__((aligned(16)));
};

static inline struct vcpu *vcpu_of(struct vcpu_regs *regs)
{
	return (struct vcpu *)regs;
}

/* vmx/vmcs_setup.c */
int vmcs_setup(struct vcpu *v, const struct guest_entry *entry);
/* Recompute the real CR0/CR4, the read shadows and the IA-32e entry control
 * from the guest's view (after any write to CR0, CR4 or EFER). */
void vcpu_sync_control_regs(struct vcpu *v);
/* Point the real CR3 at the current shadow root. false if there is none. */
bool vcpu_load_shadow_root(struct vcpu *v);
/* Invalidate the guest's TLB entries (VPID) after shadow entries changed. */
void vcpu_flush_tlb(struct vcpu *v);

/* vmx/exit_dispatch.c */
__attribute__((noreturn)) void vcpu_stop(struct vcpu *v, uint32_t status, const char *why);
void vcpu_inject(struct vcpu *v, uint32_t vector, bool has_error, uint32_t error);
void vcpu_skip_instruction(struct vcpu *v);

#endif
