/*
 * Print every VMCS field of one type (guest state, host state, controls or
 * exit information) with its name, e.g. after a failed VM entry. Fields
 * come through a read callback, so this is pure logic: the kernel passes a
 * wrapper around vmx_vmread(), host tests a fake VMCS.
 */
#ifndef VMX_VMCS_DUMP_H
#define VMX_VMCS_DUMP_H

#include <stdint.h>

#include "vmx/hw/printf_fn.h"
#include "vmx/hw/vmcs_fields.h"

/* Returns 0 and fills *value, or non-zero when the CPU lacks the field. */
typedef int (*vmcs_read_fn)(void *ctx, uint32_t encoding, uint64_t *value);

/*
 * One line per readable field of `type`, in appendix-B order:
 *   `vmx:   GUEST_CR0 = 0x0000000080000031`
 * 16-bit fields print 4 hex digits, 32-bit 8, 64-bit and natural width 16.
 * Fields the CPU does not support are skipped (the serial log is slow).
 * Returns the number of lines printed.
 */
int vmcs_dump(enum vmcs_type type, vmcs_read_fn read, void *ctx, vmx_printf_fn pf);

#endif
