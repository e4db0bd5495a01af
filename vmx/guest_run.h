#ifndef VMX_GUEST_RUN_H
#define VMX_GUEST_RUN_H

/*
 * Run every built-in test guest, one after the other, under shadow paging.
 * Prints "vmx: " lines, the guests' own lines as "guest: ...", per guest the
 * exit counts, the pool statistics and "pool: audit ok". Without VT-x prints
 * "vmx: not available: <reason>" and a SKIP line. Options from the kernel
 * command line: hv.vmx.break=guest-state (test-only: a VM entry that must
 * fail), hv.guest=<name> (run only that guest).
 * Returns the number of guests that failed.
 */
int vmx_run_guests(const char *cmdline);

#endif
