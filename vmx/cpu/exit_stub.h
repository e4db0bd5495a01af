/*
 * Entry points of vmx/cpu/exit_stub.S (see the comment at its top for the
 * exit stack). vmx/cpu/run.c is the only user: it launches the guest, and
 * every VM exit then runs the handler stored on the exit stack; when that
 * returns, the guest is resumed. A VM-entry failure after the VMLAUNCH or
 * VMRESUME instruction itself succeeded (invalid guest state, exit reason 33
 * with bit 31 set) arrives as an ordinary exit.
 */
#ifndef VMX_CPU_EXIT_STUB_H
#define VMX_CPU_EXIT_STUB_H

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

/* Called by the stub when VMRESUME failed, with its RFLAGS; never returns. */
__attribute__((noreturn)) void vmx_resume_failed(uint64_t rflags);

#endif
