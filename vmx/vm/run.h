#ifndef VMX_VM_RUN_H
#define VMX_VM_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "boot/bootinfo.h"

/*
 * Run the guests (vmx/guest_list.h: the boot modules, or the built-in test
 * guests), one after the other, under shadow paging.
 * Prints "vmx: " lines, the guests' own lines as "guest: ...", per guest the
 * exit counts, the pool statistics and "pool: audit ok". Without VT-x prints
 * "vmx: not available: <reason>" and a SKIP line. Options from the kernel
 * command line: hv.vmx.break=guest-state (test-only: a VM entry that must
 * fail), hv.guest=<name>, hv.guest_ram=<MiB> (see vmx/guest_list.h).
 */
struct vmx_outcome {
	uint32_t run, failed;
	bool from_modules;    /* the guests came from boot modules */
	uint32_t last_status; /* the last guest's exit status */
};
struct vmx_outcome vmx_run_guests(const struct boot_info *bi);

#endif
