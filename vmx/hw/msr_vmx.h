/*
 * VMX capability MSRs and IA32_FEATURE_CONTROL (Intel SDM Vol. 3C appendix A,
 * Vol. 3C §24.1 / Vol. 4 table 2-2). Numbers, named fields and accessors only:
 * reading them is the caller's business (rdmsr in the kernel, recorded values
 * in host tests).
 */
#ifndef VMX_MSR_VMX_H
#define VMX_MSR_VMX_H

#include <stdbool.h>
#include <stdint.h>

/* MSR numbers (SDM Vol. 4 table 2-2; appendix A.1 .. A.11). */
#define MSR_IA32_FEATURE_CONTROL         0x03Au
#define MSR_IA32_VMX_BASIC               0x480u
#define MSR_IA32_VMX_PINBASED_CTLS       0x481u
#define MSR_IA32_VMX_PROCBASED_CTLS      0x482u
#define MSR_IA32_VMX_EXIT_CTLS           0x483u
#define MSR_IA32_VMX_ENTRY_CTLS          0x484u
#define MSR_IA32_VMX_MISC                0x485u
#define MSR_IA32_VMX_CR0_FIXED0          0x486u
#define MSR_IA32_VMX_CR0_FIXED1          0x487u
#define MSR_IA32_VMX_CR4_FIXED0          0x488u
#define MSR_IA32_VMX_CR4_FIXED1          0x489u
#define MSR_IA32_VMX_VMCS_ENUM           0x48Au
#define MSR_IA32_VMX_PROCBASED_CTLS2     0x48Bu
#define MSR_IA32_VMX_EPT_VPID_CAP        0x48Cu
#define MSR_IA32_VMX_TRUE_PINBASED_CTLS  0x48Du
#define MSR_IA32_VMX_TRUE_PROCBASED_CTLS 0x48Eu
#define MSR_IA32_VMX_TRUE_EXIT_CTLS      0x48Fu
#define MSR_IA32_VMX_TRUE_ENTRY_CTLS     0x490u
#define MSR_IA32_VMX_VMFUNC              0x491u

/*
 * IA32_FEATURE_CONTROL (SDM Vol. 3C §23.7 "Enabling and entering VMX
 * operation"). VMXON outside SMX needs LOCK=1 and VMX_OUTSIDE_SMX=1; once
 * LOCK is set the MSR cannot be written until reset (a write #GPs).
 */
#define FEATURE_CONTROL_LOCK               (1ull << 0)
#define FEATURE_CONTROL_VMX_INSIDE_SMX     (1ull << 1)
#define FEATURE_CONTROL_VMX_OUTSIDE_SMX    (1ull << 2)
#define FEATURE_CONTROL_SENTER_LOCAL_SHIFT 8
#define FEATURE_CONTROL_SENTER_LOCAL_MASK  (0x7Full << FEATURE_CONTROL_SENTER_LOCAL_SHIFT)
#define FEATURE_CONTROL_SENTER_GLOBAL      (1ull << 15)
#define FEATURE_CONTROL_SGX_LAUNCH_CONTROL (1ull << 17)
#define FEATURE_CONTROL_SGX_GLOBAL         (1ull << 18)
#define FEATURE_CONTROL_LMCE_ON            (1ull << 20)

static inline bool feature_control_locked(uint64_t fc)
{
	return (fc & FEATURE_CONTROL_LOCK) != 0;
}

static inline bool feature_control_vmxon_allowed(uint64_t fc)
{
	return (fc & (FEATURE_CONTROL_LOCK | FEATURE_CONTROL_VMX_OUTSIDE_SMX)) ==
	       (FEATURE_CONTROL_LOCK | FEATURE_CONTROL_VMX_OUTSIDE_SMX);
}

/*
 * IA32_VMX_BASIC (SDM Vol. 3C appendix A.1).
 *   30:0  VMCS revision identifier (written into the first dword of the
 *         VMXON region and of every VMCS region)
 *   31    always 0
 *   44:32 bytes to allocate for the VMXON region and each VMCS (<= 4096)
 *   48    1: VMXON/VMCS/bitmap addresses limited to 32 bits
 *   49    dual-monitor treatment of SMIs and SMM supported
 *   53:50 memory type for VMCS accesses (0 = UC, 6 = WB)
 *   54    VM exits for INS/OUTS report the instruction-information field
 *   55    the IA32_VMX_TRUE_*_CTLS MSRs exist (default1 controls may be 0)
 *   56    VM entry may deliver hardware exceptions with or without error code
 */
#define VMX_BASIC_REVISION_SHIFT    0
#define VMX_BASIC_REVISION_MASK     0x7FFFFFFFull
#define VMX_BASIC_REGION_SIZE_SHIFT 32
#define VMX_BASIC_REGION_SIZE_MASK  (0x1FFFull << VMX_BASIC_REGION_SIZE_SHIFT)
#define VMX_BASIC_PHYS_32BIT        (1ull << 48)
#define VMX_BASIC_DUAL_MONITOR      (1ull << 49)
#define VMX_BASIC_MEMTYPE_SHIFT     50
#define VMX_BASIC_MEMTYPE_MASK      (0xFull << VMX_BASIC_MEMTYPE_SHIFT)
#define VMX_BASIC_INS_OUTS_INFO     (1ull << 54)
#define VMX_BASIC_TRUE_CTLS         (1ull << 55)
#define VMX_BASIC_NO_ERRCODE_CHECK  (1ull << 56)

#define VMX_MEMTYPE_UC 0u
#define VMX_MEMTYPE_WB 6u

_Static_assert((VMX_BASIC_REVISION_MASK & VMX_BASIC_REGION_SIZE_MASK) == 0,
               "revision and size fields overlap");
_Static_assert(VMX_BASIC_REGION_SIZE_MASK == 0x00001FFF00000000ull, "size is bits 44:32");
_Static_assert(VMX_BASIC_MEMTYPE_MASK == 0x003C000000000000ull, "memory type is bits 53:50");
_Static_assert(VMX_BASIC_TRUE_CTLS == 0x0080000000000000ull, "TRUE controls is bit 55");

static inline uint32_t vmx_basic_revision(uint64_t basic)
{
	return (uint32_t)((basic >> VMX_BASIC_REVISION_SHIFT) & VMX_BASIC_REVISION_MASK);
}

static inline uint32_t vmx_basic_region_size(uint64_t basic)
{
	return (uint32_t)((basic & VMX_BASIC_REGION_SIZE_MASK) >> VMX_BASIC_REGION_SIZE_SHIFT);
}

static inline uint32_t vmx_basic_memtype(uint64_t basic)
{
	return (uint32_t)((basic & VMX_BASIC_MEMTYPE_MASK) >> VMX_BASIC_MEMTYPE_SHIFT);
}

static inline bool vmx_basic_phys_32bit(uint64_t basic)
{
	return (basic & VMX_BASIC_PHYS_32BIT) != 0;
}

static inline bool vmx_basic_ins_outs_info(uint64_t basic)
{
	return (basic & VMX_BASIC_INS_OUTS_INFO) != 0;
}

static inline bool vmx_basic_true_ctls(uint64_t basic)
{
	return (basic & VMX_BASIC_TRUE_CTLS) != 0;
}

/*
 * Control capability MSRs (appendix A.3-A.5): bits 31:0 are the allowed
 * 0-settings (a 1 there means the control must be 1), bits 63:32 the allowed
 * 1-settings (a 0 there means the control must be 0).
 */
static inline uint32_t vmx_ctl_allowed0(uint64_t cap)
{
	return (uint32_t)cap;
}

static inline uint32_t vmx_ctl_allowed1(uint64_t cap)
{
	return (uint32_t)(cap >> 32);
}

/*
 * IA32_VMX_MISC (appendix A.6).
 *   4:0   VMX-preemption timer ticks every 2^N TSC ticks
 *   5     VM exits store EFER.LMA into the "IA-32e mode guest" entry control
 *   6,7,8 activity states HLT, shutdown, wait-for-SIPI supported
 *   24:16 number of CR3-target values
 *   27:25 recommended max MSR-list entries = 512 * (N + 1)
 *   29    VMWRITE may write read-only exit-information fields
 *   30    injection of software events with instruction length 0 allowed
 *   63:32 MSEG revision identifier
 */
#define VMX_MISC_PREEMPT_RATE_MASK  0x1Full
#define VMX_MISC_STORE_LMA          (1ull << 5)
#define VMX_MISC_ACTIVITY_HLT       (1ull << 6)
#define VMX_MISC_ACTIVITY_SHUTDOWN  (1ull << 7)
#define VMX_MISC_ACTIVITY_WAIT_SIPI (1ull << 8)
#define VMX_MISC_CR3_TARGETS_SHIFT  16
#define VMX_MISC_CR3_TARGETS_MASK   (0x1FFull << VMX_MISC_CR3_TARGETS_SHIFT)
#define VMX_MISC_MSR_LIST_SHIFT     25
#define VMX_MISC_MSR_LIST_MASK      (0x7ull << VMX_MISC_MSR_LIST_SHIFT)
#define VMX_MISC_VMWRITE_ANY        (1ull << 29)
#define VMX_MISC_INJECT_ILEN0       (1ull << 30)

static inline uint32_t vmx_misc_cr3_targets(uint64_t misc)
{
	return (uint32_t)((misc & VMX_MISC_CR3_TARGETS_MASK) >> VMX_MISC_CR3_TARGETS_SHIFT);
}

static inline uint32_t vmx_misc_max_msr_list(uint64_t misc)
{
	return 512u * (uint32_t)(((misc & VMX_MISC_MSR_LIST_MASK) >> VMX_MISC_MSR_LIST_SHIFT) + 1);
}

/* IA32_VMX_VMCS_ENUM (appendix A.9): bits 9:1 highest field index used. */
#define VMX_VMCS_ENUM_MAX_INDEX_SHIFT 1
#define VMX_VMCS_ENUM_MAX_INDEX_MASK  (0x1FFull << VMX_VMCS_ENUM_MAX_INDEX_SHIFT)

static inline uint32_t vmx_vmcs_enum_max_index(uint64_t vmcs_enum)
{
	return (uint32_t)((vmcs_enum & VMX_VMCS_ENUM_MAX_INDEX_MASK) >>
	                  VMX_VMCS_ENUM_MAX_INDEX_SHIFT);
}

/*
 * IA32_VMX_EPT_VPID_CAP (appendix A.10). Present only if the secondary
 * controls allow "enable EPT" or "enable VPID". This project uses only the
 * INVVPID bits; the EPT bits are named for the INVEPT wrapper.
 */
#define VMX_EPT_CAP_WALK_4                    (1ull << 6)
#define VMX_EPT_CAP_MEMTYPE_WB                (1ull << 14)
#define VMX_EPT_CAP_INVEPT                    (1ull << 20)
#define VMX_EPT_CAP_INVEPT_SINGLE             (1ull << 25)
#define VMX_EPT_CAP_INVEPT_ALL                (1ull << 26)
#define VMX_VPID_CAP_INVVPID                  (1ull << 32)
#define VMX_VPID_CAP_INVVPID_ADDR             (1ull << 40)
#define VMX_VPID_CAP_INVVPID_SINGLE           (1ull << 41)
#define VMX_VPID_CAP_INVVPID_ALL              (1ull << 42)
#define VMX_VPID_CAP_INVVPID_SINGLE_NONGLOBAL (1ull << 43)

#endif
