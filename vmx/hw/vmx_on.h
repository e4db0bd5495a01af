#ifndef VMX_VMX_ON_H
#define VMX_VMX_ON_H

#include <stdbool.h>
#include <stdint.h>

#include "vmx/hw/caps.h"

/* This CPU's VMX state after vmx_on(). */
struct vmx_cpu {
	bool on;
	struct vmx_caps caps;
	uint32_t revision;
	uint64_t vmxon_phys;
	char why_not[96]; /* when !on: the reason, for "vmx: not available: " */
};

/*
 * Detect VT-x, enable it in IA32_FEATURE_CONTROL if the firmware left it
 * unlocked, apply the CR0/CR4 fixed bits and execute VMXON (Intel SDM Vol. 3C
 * §24.7, §24.8). Prints "vmx: " lines; without VT-x, exactly one line
 * "vmx: not available: <reason>". Returns the state (cpu->on says whether
 * VMX operation was entered).
 */
struct vmx_cpu *vmx_on(void);

#endif
