/*
 * Running a vCPU: VMLAUNCH through the exit stub, and the end of a guest
 * from an exit handler (back to the VMLAUNCH that started it).
 */
#include "arch/x86/printf.h"
#include "vmx/cpu/exit_stub.h"
#include "vmx/cpu/launch_failure.h"
#include "vmx/cpu/state.h"
#include "vmx/cpu/vcpu.h"

uint64_t vcpu_run(struct vcpu *v)
{
	vcpu_reset_real_state(); /* nothing of the previous guest or the firmware */
	uint64_t rflags = vmx_launch(&v->regs);
	vcpu_reset_real_state(); /* nothing of this guest for the next */

	if (rflags)
		launch_failure_report(rflags);
	return rflags;
}

void vcpu_stop(struct vcpu *v, uint32_t status, const char *why)
{
	v->end.stopped = true;
	v->end.status = status;
	snprintf(v->end.result, sizeof(v->end.result), "%s", why);
	vmx_guest_stop(&v->regs);
}
