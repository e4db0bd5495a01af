#ifndef VMX_CPU_LAUNCH_FAILURE_H
#define VMX_CPU_LAUNCH_FAILURE_H

#include <stdint.h>

/* VMLAUNCH failed with these RFLAGS: the error, the controls and the guest state. */
void launch_failure_report(uint64_t rflags);

#endif
