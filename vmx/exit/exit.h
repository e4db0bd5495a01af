/*
 * VM-exit handlers, one file per family. Each handler takes the vCPU and the
 * exit qualification, and either resumes the guest (returns) or ends it with
 * vcpu_stop(). vmx/exit/dispatch.c is the only place that names them: a
 * table indexed by basic exit reason (Intel SDM Vol. 3C appendix C).
 */
#ifndef VMX_EXIT_EXIT_H
#define VMX_EXIT_EXIT_H

#include <stdint.h>

#include "vmx/cpu/vcpu.h"
#include "vmx/exit/cpuid_model.h"

typedef void (*exit_handler_fn)(struct vcpu *v, uint64_t qual);

/* The layer's entry: handle one VM exit of v (give it to vmcs_setup()). */
void exit_dispatch(struct vcpu *v);

/* exception.c */
void exit_exception(struct vcpu *v, uint64_t qual);
/* paging.c */
void exit_invlpg(struct vcpu *v, uint64_t qual);
/* cr.c */
void exit_cr_access(struct vcpu *v, uint64_t qual);
/* io.c */
void exit_io(struct vcpu *v, uint64_t qual);
/* cpuid.c */
void exit_cpuid(struct vcpu *v, uint64_t qual);
/* msr.c */
void exit_rdmsr(struct vcpu *v, uint64_t qual);
void exit_wrmsr(struct vcpu *v, uint64_t qual);
/* vmcall.c */
void exit_vmcall(struct vcpu *v, uint64_t qual);
/* insn.c: instructions the guest may not use or that need nothing */
void exit_vmx_instruction(struct vcpu *v, uint64_t qual);
void exit_invd(struct vcpu *v, uint64_t qual);
void exit_rdpmc(struct vcpu *v, uint64_t qual);
void exit_monitor_mwait(struct vcpu *v, uint64_t qual);
/* events.c */
void exit_external_interrupt(struct vcpu *v, uint64_t qual);
void exit_window(struct vcpu *v, uint64_t qual);
void exit_triple_fault(struct vcpu *v, uint64_t qual);
void exit_hlt(struct vcpu *v, uint64_t qual);
/* Before every VM entry: timers, then the NMI or interrupt to deliver. */
void exit_deliver_events(struct vcpu *v);

/* Helpers of one family for another (not handlers). */
/* cpuid.c: the host's CPUID for the models, and what the guest sees. */
struct cpuid_regs4 exit_host_cpuid(void *ctx, uint32_t leaf, uint32_t subleaf);
struct cpuid_regs4 exit_guest_cpuid(struct vcpu *v, uint32_t leaf, uint32_t subleaf);
/* paging.c: a #PF the guest took at linear address la. */
void exit_page_fault(struct vcpu *v, uint64_t la);
/* mmio.c: a guest access to guest-physical memory outside its RAM. */
void exit_outside_ram(struct vcpu *v, uint64_t la, uint64_t gpa, uint32_t access);

#endif
