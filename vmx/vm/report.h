/* The end-of-guest report: how it ended, its exits, the devices, the shadow and the pool. */
#ifndef VMX_VM_REPORT_H
#define VMX_VM_REPORT_H

#include <stdbool.h>

#include "vmx/vm/vm.h"

/* Print every report line; true when the pool audit passed. */
bool vm_report(struct vm *vm);

#endif
