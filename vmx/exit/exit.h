#ifndef VMX_EXIT_H
#define VMX_EXIT_H

#include "vmx/cpu/vcpu.h"

/* Exit handlers, one per basic exit reason (or family). Each either resumes
 * the guest (returns) or ends it with vcpu_stop(). */
void exit_exception(struct vcpu *v, uint64_t qual);
void exit_cr_access(struct vcpu *v, uint64_t qual);
void exit_invlpg(struct vcpu *v, uint64_t qual);
void exit_io(struct vcpu *v, uint64_t qual);
void exit_cpuid(struct vcpu *v);
void exit_rdmsr(struct vcpu *v);
void exit_wrmsr(struct vcpu *v);
void exit_vmcall(struct vcpu *v);

/* Hypercalls (VMCALL with the function number in EAX). */
#define HV_CALL_EXIT 0 /* EBX = status: end the guest */
#define HV_CALL_PUTC 1 /* BL = character to the guest's log line */

/* Guest exit status ports. */
#define PORT_QEMU_DEBUG_EXIT 0xf4
#define PORT_BOCHS_SHUTDOWN  0x8900

/* Apply a new guest CR0/CR4/EFER (guest view) to the shadow and the VMCS;
 * injects #GP or stops the guest on failure. */
void vcpu_set_paging_regs(struct vcpu *v, uint64_t cr0, uint64_t cr4, uint64_t efer);
/* WRMSR IA32_EFER from the guest: false means #GP. */
bool vcpu_write_efer(struct vcpu *v, uint64_t value);
/* A guest access (#PF exit) to guest-physical memory outside its RAM. */
void exit_outside_ram(struct vcpu *v, uint64_t la, uint64_t gpa, uint32_t access);

#endif
