#ifndef VMX_VMCS_H
#define VMX_VMCS_H

#include <stdint.h>

#include "vmx/hw/vmcs_fields.h"

/* VMWRITE/VMREAD of the current VMCS. A failure is a hypervisor bug: it
 * panics naming the field and the VM-instruction error. */
void vmcs_write(uint32_t field, uint64_t value);
uint64_t vmcs_read(uint32_t field);

/* Print every guest-state field of the current VMCS ("vmx:   FIELD = value"). */
void vmcs_dump_guest(void);
/* The same for the VM-execution, exit and entry control fields. */
void vmcs_dump_controls(void);

#endif
