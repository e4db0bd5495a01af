/*
 * Weak defaults for the two C functions vmx/exit_stub.S calls, so the kernel
 * links before the real exit handling exists. The lead's vmx_exit_dispatch()
 * and vmx_resume_failed() (strong definitions) replace them at link time.
 */
#include "arch/x86/panic.h"
#include "vmx/exit_stub.h"
#include "vmx/insn.h"
#include "vmx/names.h"
#include "vmx/result.h"

__attribute__((weak)) void vmx_exit_dispatch(struct vcpu_regs *regs)
{
	uint64_t reason = 0;

	(void)regs;
	vmx_vmread(VMCS_EXIT_REASON, &reason);
	panic("vmx: exit %u (%s) but no exit dispatcher is linked in",
	      vmx_exit_reason_basic((uint32_t)reason),
	      vmx_exit_reason_name(vmx_exit_reason_basic((uint32_t)reason)));
}

__attribute__((weak)) void vmx_resume_failed(uint64_t rflags)
{
	enum vmx_result r = vmx_result_from_rflags(rflags);
	uint32_t err = r == VMX_FAIL_VALID ? vmx_insn_error() : 0;

	panic("vmx: VMRESUME failed: %s, error %u (%s)", vmx_result_name(r), err,
	      r == VMX_FAIL_VALID ? vmx_insn_error_name(err) : "no current VMCS");
}
