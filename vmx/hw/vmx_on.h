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

/* The VMXON region and every VMCS: one 4 KiB frame (IA32_VMX_BASIC[44:32] is
 * at most 4096, §A.1). */
#define VMX_REGION_SIZE 4096u

/*
 * Detect VT-x, enable it in IA32_FEATURE_CONTROL if the firmware left it
 * unlocked, apply the CR0/CR4 fixed bits and execute VMXON with the region
 * the caller gives (a frame, `region` its writable mapping; 0 if none could
 * be had) (Intel SDM Vol. 3C §24.7, §24.8). Prints "vmx: " lines; without
 * VT-x, exactly one line "vmx: not available: <reason>". Returns the state
 * (cpu->on says whether VMX operation was entered).
 */
struct vmx_cpu *vmx_on(uint64_t region_phys, void *region);

#endif
