/*
 * Checked wrappers for the VMX instructions (Intel SDM Vol. 3C chapter 30).
 * Each returns how the instruction ended (vmx/result.h): VMX_OK,
 * VMX_FAIL_INVALID (CF=1) or VMX_FAIL_VALID (ZF=1, the reason is in
 * VMCS_VM_INSTRUCTION_ERROR, see vmx_insn_error() and vmx/names.h).
 *
 * VMLAUNCH and VMRESUME are not here: they switch to the guest and come back
 * through the exit stub, so they live in vmx/exit_stub.S (vmx_launch).
 *
 * Clobbers: every wrapper changes RFLAGS ("cc"). The ones that make the CPU
 * read or write memory the C code also touches (VMXON/VMCLEAR/VMPTRLD read
 * the revision id we wrote, VMCLEAR writes the VMCS back, VMPTRST stores,
 * INVEPT/INVVPID must come after the page-table writes they flush, VMXOFF
 * ends all of it) take "memory". VMREAD/VMWRITE touch only the current VMCS,
 * which C never accesses directly, so like Linux they omit "memory" and
 * keep their order with each other by being asm volatile.
 *
 * Kernel-only: VMX instructions #UD outside VMX operation.
 */
#ifndef VMX_INSN_H
#define VMX_INSN_H

#if __STDC_HOSTED__
#error "vmx/insn.h is kernel-only: host tests must not include it"
#endif

#include <stdint.h>

#include "vmx/hw/result.h"
#include "vmx/hw/vmcs_fields.h"

/* Enter VMX operation; vmxon_phys is a 4 KiB-aligned region holding the revision id. */
static inline enum vmx_result vmx_vmxon(uint64_t vmxon_phys)
{
	uint8_t cf, zf;

	__asm__ volatile("vmxon %[pa]\n\t"
	                 "setc %[cf]\n\t"
	                 "setz %[zf]"
	                 : [cf] "=qm"(cf), [zf] "=qm"(zf)
	                 : [pa] "m"(vmxon_phys)
	                 : "cc", "memory");
	return vmx_result_from_flags(cf, zf);
}

static inline enum vmx_result vmx_vmxoff(void)
{
	uint8_t cf, zf;

	__asm__ volatile("vmxoff\n\t"
	                 "setc %[cf]\n\t"
	                 "setz %[zf]"
	                 : [cf] "=qm"(cf), [zf] "=qm"(zf)
	                 :
	                 : "cc", "memory");
	return vmx_result_from_flags(cf, zf);
}

/* Flush a VMCS to memory and make it "clear" (needed before its first VMLAUNCH). */
static inline enum vmx_result vmx_vmclear(uint64_t vmcs_phys)
{
	uint8_t cf, zf;

	__asm__ volatile("vmclear %[pa]\n\t"
	                 "setc %[cf]\n\t"
	                 "setz %[zf]"
	                 : [cf] "=qm"(cf), [zf] "=qm"(zf)
	                 : [pa] "m"(vmcs_phys)
	                 : "cc", "memory");
	return vmx_result_from_flags(cf, zf);
}

/* Make a VMCS current (and active). */
static inline enum vmx_result vmx_vmptrld(uint64_t vmcs_phys)
{
	uint8_t cf, zf;

	__asm__ volatile("vmptrld %[pa]\n\t"
	                 "setc %[cf]\n\t"
	                 "setz %[zf]"
	                 : [cf] "=qm"(cf), [zf] "=qm"(zf)
	                 : [pa] "m"(vmcs_phys)
	                 : "cc", "memory");
	return vmx_result_from_flags(cf, zf);
}

/* Store the current-VMCS pointer (~0 when there is none). */
static inline enum vmx_result vmx_vmptrst(uint64_t *vmcs_phys)
{
	uint8_t cf, zf;

	__asm__ volatile("vmptrst %[pa]\n\t"
	                 "setc %[cf]\n\t"
	                 "setz %[zf]"
	                 : [cf] "=qm"(cf), [zf] "=qm"(zf), [pa] "=m"(*vmcs_phys)
	                 :
	                 : "cc", "memory");
	return vmx_result_from_flags(cf, zf);
}

/* Read a field of the current VMCS; *value is 0 when the read fails. */
static inline enum vmx_result vmx_vmread(uint32_t field, uint64_t *value)
{
	uint64_t v;
	uint8_t cf, zf;

	__asm__ volatile("vmread %[field], %[v]\n\t"
	                 "setc %[cf]\n\t"
	                 "setz %[zf]"
	                 : [v] "=r"(v), [cf] "=qm"(cf), [zf] "=qm"(zf)
	                 : [field] "r"((uint64_t)field)
	                 : "cc");
	enum vmx_result r = vmx_result_from_flags(cf, zf);
	*value = r == VMX_OK ? v : 0;
	return r;
}

static inline enum vmx_result vmx_vmwrite(uint32_t field, uint64_t value)
{
	uint8_t cf, zf;

	__asm__ volatile("vmwrite %[v], %[field]\n\t"
	                 "setc %[cf]\n\t"
	                 "setz %[zf]"
	                 : [cf] "=qm"(cf), [zf] "=qm"(zf)
	                 : [field] "r"((uint64_t)field), [v] "rm"(value)
	                 : "cc");
	return vmx_result_from_flags(cf, zf);
}

/* The VM-instruction error number after VMX_FAIL_VALID (0 if unreadable). */
static inline uint32_t vmx_insn_error(void)
{
	uint64_t err;

	if (vmx_vmread(VMCS_VM_INSTRUCTION_ERROR, &err) != VMX_OK)
		return 0;
	return (uint32_t)err;
}

/* INVEPT/INVVPID types (§30.3, "INVEPT"/"INVVPID" descriptions). */
#define VMX_INVEPT_SINGLE_CONTEXT    1ull
#define VMX_INVEPT_ALL_CONTEXT       2ull
#define VMX_INVVPID_ADDRESS          0ull
#define VMX_INVVPID_SINGLE_CONTEXT   1ull
#define VMX_INVVPID_ALL_CONTEXT      2ull
#define VMX_INVVPID_SINGLE_NONGLOBAL 3ull

/* 128-bit descriptors: {EPTP, 0} and {VPID (bits 15:0), linear address}. */
struct vmx_invept_desc {
	uint64_t eptp;
	uint64_t reserved;
};

struct vmx_invvpid_desc {
	uint64_t vpid; /* bits 63:16 must be 0 */
	uint64_t linear;
};

_Static_assert(sizeof(struct vmx_invept_desc) == 16, "INVEPT descriptor is 128 bits");
_Static_assert(sizeof(struct vmx_invvpid_desc) == 16, "INVVPID descriptor is 128 bits");

static inline enum vmx_result vmx_invept(uint64_t type, uint64_t eptp)
{
	struct vmx_invept_desc desc = {eptp, 0};
	uint8_t cf, zf;

	__asm__ volatile("invept %[desc], %[type]\n\t"
	                 "setc %[cf]\n\t"
	                 "setz %[zf]"
	                 : [cf] "=qm"(cf), [zf] "=qm"(zf)
	                 : [desc] "m"(desc), [type] "r"(type)
	                 : "cc", "memory");
	return vmx_result_from_flags(cf, zf);
}

static inline enum vmx_result vmx_invvpid(uint64_t type, uint16_t vpid, uint64_t linear)
{
	struct vmx_invvpid_desc desc = {vpid, linear};
	uint8_t cf, zf;

	__asm__ volatile("invvpid %[desc], %[type]\n\t"
	                 "setc %[cf]\n\t"
	                 "setz %[zf]"
	                 : [cf] "=qm"(cf), [zf] "=qm"(zf)
	                 : [desc] "m"(desc), [type] "r"(type)
	                 : "cc", "memory");
	return vmx_result_from_flags(cf, zf);
}

#endif
