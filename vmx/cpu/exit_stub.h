/*
 * Entry points of vmx/exit_stub.S and the C functions it calls.
 *
 * Flow, per vCPU (see the comment at the top of exit_stub.S for the stack):
 *
 *   regs = ...;                                  // struct vcpu_regs, zeroed
 *   host_rsp = vcpu_exit_stack_init(stack, STACK_SIZE, regs);
 *   vmx_vmwrite(VMCS_HOST_RSP, host_rsp);
 *   vmx_vmwrite(VMCS_HOST_RIP, (uint64_t)(uintptr_t)vmx_exit_entry);
 *   ...program the rest of the VMCS...
 *   uint64_t rflags = vmx_launch(regs);
 *   if (rflags) {                                // VMLAUNCH itself failed
 *           enum vmx_result r = vmx_result_from_rflags(rflags);
 *           if (r == VMX_FAIL_VALID)
 *                   printf("vmx: VMLAUNCH failed: error %u: %s\n",
 *                          vmx_insn_error(), vmx_insn_error_name(vmx_insn_error()));
 *   } else {
 *           // the guest ran and vmx_exit_dispatch() called vmx_guest_stop()
 *   }
 *
 * Every VM exit runs vmx_exit_dispatch(regs) on the exit stack; when it
 * returns, the guest is resumed. A VM-entry failure that happens after the
 * VMLAUNCH/VMRESUME instruction itself succeeded (invalid guest state,
 * exit reason 33 with bit 31 set) arrives as an ordinary exit.
 */
#ifndef VMX_EXIT_STUB_H
#define VMX_EXIT_STUB_H

#include <stdint.h>

#include "vmx/cpu/vcpu_regs.h"

/* HOST_RIP: never call it. */
void vmx_exit_entry(void);

/*
 * Load guest GPRs and CR2 from regs and VMLAUNCH the current VMCS.
 * Returns the RFLAGS of the failed VMLAUNCH (CF or ZF set, decode with
 * vmx_result_from_rflags()), or 0 when the guest was stopped by
 * vmx_guest_stop(). Interrupts are off (RFLAGS.IF=0) after a guest ran:
 * a VM exit clears RFLAGS (§27.5.3).
 */
uint64_t vmx_launch(struct vcpu_regs *regs);

/* From the exit handler: abandon the guest, return 0 from vmx_launch(). */
__attribute__((noreturn)) void vmx_guest_stop(struct vcpu_regs *regs);

/* Written by the lead: handle one exit; returning resumes the guest. */
void vmx_exit_dispatch(struct vcpu_regs *regs);

/* Written by the lead: VMRESUME failed with these RFLAGS; must not return. */
__attribute__((noreturn)) void vmx_resume_failed(uint64_t rflags);

#endif
