/*
 * When the launch instructions themselves fail (Intel SDM Vol. 3C §30.3:
 * VMfailInvalid without a current VMCS, VMfailValid with the VM-instruction
 * error number of §30.4 in the VMCS): what to print.
 */
#include "vmx/cpu/launch_failure.h"
#include "arch/x86/panic.h"
#include "arch/x86/printf.h"
#include "vmx/cpu/exit_stub.h"
#include "vmx/hw/insn.h"
#include "vmx/hw/names.h"
#include "vmx/hw/vmcs.h"

void launch_failure_report(uint64_t rflags)
{
	if (vmx_result_from_rflags(rflags) ==
	    VMX_FAIL_VALID) { /* the error number is in the VMCS */
		uint32_t err = vmx_insn_error();
		printf("vmx: VMLAUNCH failed: VM-instruction error %u (%s)\n", err,
		       vmx_insn_error_name(err));
		vmcs_dump_controls(); /* errors 7 and 8 are about controls and host state */
	} else {
		printf("vmx: VMLAUNCH failed: VMfailInvalid (no current VMCS)\n");
	}
	vmcs_dump_guest();
}

void vmx_resume_failed(uint64_t rflags)
{
	uint32_t err = vmx_result_from_rflags(rflags) == VMX_FAIL_VALID ? vmx_insn_error() : 0;
	printf("vmx: VMRESUME failed: VM-instruction error %u (%s)\n", err,
	       vmx_insn_error_name(err));
	vmcs_dump_guest();
	panic("vmx: cannot resume the guest");
}
