#include "vmx/hw/vmcs.h"
#include "arch/x86/panic.h"
#include "arch/x86/printf.h"
#include "vmx/hw/insn.h"
#include "vmx/hw/names.h"
#include "vmx/hw/vmcs_dump.h"

void vmcs_write(uint32_t field, uint64_t value)
{
	enum vmx_result r = vmx_vmwrite(field, value);
	if (r != VMX_OK) {
		uint32_t err = r == VMX_FAIL_VALID ? vmx_insn_error() : 0;
		panic("vmx: VMWRITE %s (0x%x) = 0x%lx failed: error %u (%s)",
		      vmcs_field_name(field), field, (unsigned long)value, err,
		      vmx_insn_error_name(err));
	}
}

uint64_t vmcs_read(uint32_t field)
{
	uint64_t value = 0;
	enum vmx_result r = vmx_vmread(field, &value);
	if (r != VMX_OK) {
		uint32_t err = r == VMX_FAIL_VALID ? vmx_insn_error() : 0;
		panic("vmx: VMREAD %s (0x%x) failed: error %u (%s)", vmcs_field_name(field), field,
		      err, vmx_insn_error_name(err));
	}
	return value;
}

static int read_field(void *ctx, uint32_t field, uint64_t *value)
{
	(void)ctx;
	return vmx_vmread(field, value) == VMX_OK ? 0 : -1;
}

void vmcs_dump_guest(void)
{
	vmcs_dump(VMCS_TYPE_GUEST, read_field, 0, printf);
}

void vmcs_dump_controls(void)
{
	vmcs_dump(VMCS_TYPE_CONTROL, read_field, 0, printf);
}
