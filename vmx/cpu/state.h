/*
 * CPU state the guest uses in the real registers, not through the VMCS: the
 * x87/SSE registers, DR0-DR3 and DR6, and the MSRs the host never uses and so
 * leaves to the guest while it runs (KERNEL_GS_BASE for SWAPGS, STAR, LSTAR,
 * CSTAR and FMASK for SYSCALL). Each guest starts with them in their reset
 * state, and they are scrubbed again when it ends, so that nothing of one
 * guest (or of the firmware) reaches the next.
 */
#ifndef VMX_CPU_STATE_H
#define VMX_CPU_STATE_H

#include <stdbool.h>
#include <stdint.h>

/* The MSRs the guest owns in the real registers (pass-through in the MSR bitmap). */
extern const uint32_t vcpu_passthrough_msrs[];
extern const unsigned vcpu_passthrough_msr_count;

/* The reset state of all of the above, into the real registers. */
void vcpu_reset_real_state(void);

#endif
