/*
 * Names for log lines: basic exit reasons (appendix C), VM-instruction error
 * numbers (§30.4) and VMCS fields (appendix B). Every lookup returns a
 * non-empty string; numbers outside the tables give "unknown".
 */
#ifndef VMX_NAMES_H
#define VMX_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "vmx/hw/exit_reason.h"
#include "vmx/hw/insn_error.h"
#include "vmx/hw/vmcs_fields.h"

/* "CR_ACCESS" for 28; takes the basic reason (bits 15:0), see vmx_exit_reason_basic(). */
const char *vmx_exit_reason_name(uint32_t basic_reason);

/* "VM entry with invalid control field(s)" for 7. */
const char *vmx_insn_error_name(uint32_t error);

/*
 * For the basic reasons that mean "VM entry failed" (33, 34, 41, reported
 * with bit 31 of the exit reason set): what went wrong, e.g. "VM-entry
 * failure due to invalid guest state"; NULL for any other reason.
 */
const char *vmx_entry_failure_meaning(uint32_t basic_reason);

/* "GUEST_CR0" for 0x6800; "unknown" for encodings not in the catalog. */
const char *vmcs_field_name(uint32_t encoding);

/* The catalog of every field in vmx/vmcs_fields.h, with its declared group. */
struct vmcs_field_desc {
	uint32_t encoding;
	const char *name;
	enum vmcs_width width; /* the group it is declared in, checked by tests */
	enum vmcs_type type;
};

extern const struct vmcs_field_desc vmcs_field_catalog[];
extern const size_t vmcs_field_catalog_len;

#endif
