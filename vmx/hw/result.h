/*
 * How a VMX instruction ended (Intel SDM Vol. 3C §30.2 "Conventions"):
 *   VMsucceed      CF=0 ZF=0
 *   VMfailInvalid  CF=1       no current VMCS to hold an error number
 *   VMfailValid    ZF=1       error number in VMCS_VM_INSTRUCTION_ERROR
 * Pure logic, shared by the inline wrappers (vmx/insn.h) and the launch
 * path (vmx/exit_stub.S returns the RFLAGS of a failed VMLAUNCH).
 */
#ifndef VMX_RESULT_H
#define VMX_RESULT_H

#include <stdbool.h>
#include <stdint.h>

enum vmx_result {
	VMX_OK = 0,
	VMX_FAIL_INVALID = 1, /* CF=1 */
	VMX_FAIL_VALID = 2,   /* ZF=1: read VMCS_VM_INSTRUCTION_ERROR */
};

#define VMX_RFLAGS_CF (1ull << 0)
#define VMX_RFLAGS_ZF (1ull << 6)

static inline enum vmx_result vmx_result_from_flags(bool cf, bool zf)
{
	if (cf)
		return VMX_FAIL_INVALID;
	if (zf)
		return VMX_FAIL_VALID;
	return VMX_OK;
}

static inline enum vmx_result vmx_result_from_rflags(uint64_t rflags)
{
	return vmx_result_from_flags((rflags & VMX_RFLAGS_CF) != 0, (rflags & VMX_RFLAGS_ZF) != 0);
}

static inline const char *vmx_result_name(enum vmx_result r)
{
	switch (r) {
	case VMX_OK:
		return "VMsucceed";
	case VMX_FAIL_INVALID:
		return "VMfailInvalid";
	case VMX_FAIL_VALID:
		return "VMfailValid";
	}
	return "unknown";
}

#endif
