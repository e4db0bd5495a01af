/*
 * The bits inside VMCS fields: VM-execution, VM-exit and VM-entry controls
 * (Intel SDM Vol. 3C §24.6-24.8), the exit-reason field and exit
 * qualifications (§27.2.1, tables 27-3 .. 27-5), the interruption-information
 * format (§24.8.3, §24.9.2), guest interruptibility and activity state
 * (§24.4.2) and segment access rights (§24.4.1). Included by
 * vmx/vmcs_fields.h.
 */
#ifndef VMX_VMCS_BITS_H
#define VMX_VMCS_BITS_H

#include <stdbool.h>
#include <stdint.h>

/* --- Pin-based VM-execution controls (§24.6.1, table 24-5) --- */
#define VMX_PIN_EXT_INT_EXITING (1u << 0)
#define VMX_PIN_NMI_EXITING     (1u << 3)
#define VMX_PIN_VIRTUAL_NMIS    (1u << 5)
#define VMX_PIN_PREEMPT_TIMER   (1u << 6)
#define VMX_PIN_POSTED_INTS     (1u << 7)
/* Reserved bits that are 1 without the TRUE MSRs ("default1", appendix A.3.1). */
#define VMX_PIN_DEFAULT1        0x00000016u

/* --- Primary processor-based VM-execution controls (§24.6.2, table 24-6) --- */
#define VMX_PROC_INT_WINDOW_EXITING (1u << 2)
#define VMX_PROC_TSC_OFFSETTING     (1u << 3)
#define VMX_PROC_HLT_EXITING        (1u << 7)
#define VMX_PROC_INVLPG_EXITING     (1u << 9)
#define VMX_PROC_MWAIT_EXITING      (1u << 10)
#define VMX_PROC_RDPMC_EXITING      (1u << 11)
#define VMX_PROC_RDTSC_EXITING      (1u << 12)
#define VMX_PROC_CR3_LOAD_EXITING   (1u << 15)
#define VMX_PROC_CR3_STORE_EXITING  (1u << 16)
#define VMX_PROC_TERTIARY_CONTROLS  (1u << 17)
#define VMX_PROC_CR8_LOAD_EXITING   (1u << 19)
#define VMX_PROC_CR8_STORE_EXITING  (1u << 20)
#define VMX_PROC_TPR_SHADOW         (1u << 21)
#define VMX_PROC_NMI_WINDOW_EXITING (1u << 22)
#define VMX_PROC_MOV_DR_EXITING     (1u << 23)
#define VMX_PROC_UNCOND_IO_EXITING  (1u << 24)
#define VMX_PROC_USE_IO_BITMAPS     (1u << 25)
#define VMX_PROC_MONITOR_TRAP_FLAG  (1u << 27)
#define VMX_PROC_USE_MSR_BITMAPS    (1u << 28)
#define VMX_PROC_MONITOR_EXITING    (1u << 29)
#define VMX_PROC_PAUSE_EXITING      (1u << 30)
#define VMX_PROC_SECONDARY_CONTROLS (1u << 31)
/* Bits 1, 4-6, 8, 13-16 and 26 (appendix A.3.2). */
#define VMX_PROC_DEFAULT1           0x0401E172u

/* --- Secondary processor-based VM-execution controls (§24.6.2, table 24-7) --- */
#define VMX_PROC2_VIRT_APIC_ACCESSES  (1u << 0)
#define VMX_PROC2_ENABLE_EPT          (1u << 1)
#define VMX_PROC2_DESC_TABLE_EXITING  (1u << 2)
#define VMX_PROC2_ENABLE_RDTSCP       (1u << 3)
#define VMX_PROC2_VIRT_X2APIC         (1u << 4)
#define VMX_PROC2_ENABLE_VPID         (1u << 5)
#define VMX_PROC2_WBINVD_EXITING      (1u << 6)
#define VMX_PROC2_UNRESTRICTED_GUEST  (1u << 7)
#define VMX_PROC2_APIC_REG_VIRT       (1u << 8)
#define VMX_PROC2_VIRT_INT_DELIVERY   (1u << 9)
#define VMX_PROC2_PAUSE_LOOP_EXITING  (1u << 10)
#define VMX_PROC2_RDRAND_EXITING      (1u << 11)
#define VMX_PROC2_ENABLE_INVPCID      (1u << 12)
#define VMX_PROC2_ENABLE_VMFUNC       (1u << 13)
#define VMX_PROC2_VMCS_SHADOWING      (1u << 14)
#define VMX_PROC2_ENCLS_EXITING       (1u << 15)
#define VMX_PROC2_RDSEED_EXITING      (1u << 16)
#define VMX_PROC2_ENABLE_PML          (1u << 17)
#define VMX_PROC2_EPT_VE              (1u << 18)
#define VMX_PROC2_CONCEAL_VMX_FROM_PT (1u << 19)
#define VMX_PROC2_ENABLE_XSAVES       (1u << 20)
#define VMX_PROC2_MODE_BASED_EPT_EXEC (1u << 22)
#define VMX_PROC2_TSC_SCALING         (1u << 25)
#define VMX_PROC2_DEFAULT1            0x00000000u

/* --- Primary VM-exit controls (§24.7.1, table 24-13) --- */
#define VMX_EXIT_CTL_SAVE_DEBUG_CONTROLS   (1u << 2)
#define VMX_EXIT_CTL_HOST_ADDR_SPACE_SIZE  (1u << 9) /* 64-bit host: must be 1 */
#define VMX_EXIT_CTL_LOAD_PERF_GLOBAL_CTRL (1u << 12)
#define VMX_EXIT_CTL_ACK_INT_ON_EXIT       (1u << 15)
#define VMX_EXIT_CTL_SAVE_PAT              (1u << 18)
#define VMX_EXIT_CTL_LOAD_PAT              (1u << 19)
#define VMX_EXIT_CTL_SAVE_EFER             (1u << 20)
#define VMX_EXIT_CTL_LOAD_EFER             (1u << 21)
#define VMX_EXIT_CTL_SAVE_PREEMPT_TIMER    (1u << 22)
#define VMX_EXIT_CTL_CLEAR_BNDCFGS         (1u << 23)
#define VMX_EXIT_CTL_CONCEAL_VMX_FROM_PT   (1u << 24)
/* Bits 0-8, 10, 11, 13, 14, 16, 17 (appendix A.4.1). */
#define VMX_EXIT_CTL_DEFAULT1              0x00036DFFu

/* --- VM-entry controls (§24.8.1, table 24-15) --- */
#define VMX_ENTRY_CTL_LOAD_DEBUG_CONTROLS   (1u << 2)
#define VMX_ENTRY_CTL_IA32E_GUEST           (1u << 9)
#define VMX_ENTRY_CTL_ENTRY_TO_SMM          (1u << 10)
#define VMX_ENTRY_CTL_DEACT_DUAL_MONITOR    (1u << 11)
#define VMX_ENTRY_CTL_LOAD_PERF_GLOBAL_CTRL (1u << 13)
#define VMX_ENTRY_CTL_LOAD_PAT              (1u << 14)
#define VMX_ENTRY_CTL_LOAD_EFER             (1u << 15)
#define VMX_ENTRY_CTL_LOAD_BNDCFGS          (1u << 16)
#define VMX_ENTRY_CTL_CONCEAL_VMX_FROM_PT   (1u << 17)
/* Bits 0-8 and 12 (appendix A.5). */
#define VMX_ENTRY_CTL_DEFAULT1              0x000011FFu

_Static_assert((VMX_PIN_DEFAULT1 &
                (VMX_PIN_EXT_INT_EXITING | VMX_PIN_NMI_EXITING | VMX_PIN_VIRTUAL_NMIS)) == 0,
               "default1 pin bits are reserved bits");
_Static_assert((VMX_PROC_DEFAULT1 & (VMX_PROC_CR3_LOAD_EXITING | VMX_PROC_CR3_STORE_EXITING)) ==
                   (VMX_PROC_CR3_LOAD_EXITING | VMX_PROC_CR3_STORE_EXITING),
               "CR3 exiting is default1 (clearable only with the TRUE MSR)");
_Static_assert((VMX_EXIT_CTL_DEFAULT1 & VMX_EXIT_CTL_SAVE_DEBUG_CONTROLS) != 0,
               "save debug controls is default1");
_Static_assert((VMX_EXIT_CTL_DEFAULT1 & VMX_EXIT_CTL_HOST_ADDR_SPACE_SIZE) == 0,
               "host address-space size is not default1");
_Static_assert((VMX_ENTRY_CTL_DEFAULT1 & VMX_ENTRY_CTL_IA32E_GUEST) == 0,
               "IA-32e guest is not default1");

/* --- Exit reason field (§24.9.1, table 24-17) --- */
#define VMX_EXIT_REASON_BASIC_MASK    0xFFFFu
#define VMX_EXIT_REASON_ENCLAVE       (1u << 27)
#define VMX_EXIT_REASON_PENDING_MTF   (1u << 28)
#define VMX_EXIT_REASON_FROM_ROOT     (1u << 29)
#define VMX_EXIT_REASON_ENTRY_FAILURE (1u << 31)

static inline uint32_t vmx_exit_reason_basic(uint32_t reason)
{
	return reason & VMX_EXIT_REASON_BASIC_MASK;
}

static inline bool vmx_exit_reason_is_entry_failure(uint32_t reason)
{
	return (reason & VMX_EXIT_REASON_ENTRY_FAILURE) != 0;
}

/*
 * --- Interruption information (§24.8.3 table 24-16 for VM-entry,
 * §24.9.2 tables 24-18/24-19 for VM-exit and IDT-vectoring) ---
 */
#define VMX_INTR_INFO_VECTOR_MASK        0xFFu
#define VMX_INTR_INFO_TYPE_SHIFT         8
#define VMX_INTR_INFO_TYPE_MASK          (0x7u << VMX_INTR_INFO_TYPE_SHIFT)
#define VMX_INTR_INFO_ERRCODE_VALID      (1u << 11)
#define VMX_INTR_INFO_NMI_UNBLOCKED_IRET (1u << 12) /* exit information only */
#define VMX_INTR_INFO_VALID              (1u << 31)

enum vmx_intr_type {
	VMX_INTR_TYPE_EXT_INT = 0,
	VMX_INTR_TYPE_NMI = 2,
	VMX_INTR_TYPE_HW_EXCEPTION = 3,
	VMX_INTR_TYPE_SW_INT = 4,
	VMX_INTR_TYPE_PRIV_SW_EXCEPTION = 5, /* INT1 */
	VMX_INTR_TYPE_SW_EXCEPTION = 6,      /* INT3, INTO */
	VMX_INTR_TYPE_OTHER = 7,
};

static inline uint32_t vmx_intr_info_vector(uint32_t info)
{
	return info & VMX_INTR_INFO_VECTOR_MASK;
}

static inline uint32_t vmx_intr_info_type(uint32_t info)
{
	return (info & VMX_INTR_INFO_TYPE_MASK) >> VMX_INTR_INFO_TYPE_SHIFT;
}

static inline bool vmx_intr_info_has_errcode(uint32_t info)
{
	return (info & VMX_INTR_INFO_ERRCODE_VALID) != 0;
}

static inline bool vmx_intr_info_valid(uint32_t info)
{
	return (info & VMX_INTR_INFO_VALID) != 0;
}

/* Compose a VM-entry interruption-information value (valid bit set). */
static inline uint32_t vmx_intr_info_make(uint32_t vector, enum vmx_intr_type type,
                                          bool errcode_valid)
{
	return (vector & VMX_INTR_INFO_VECTOR_MASK) |
	       (((uint32_t)type << VMX_INTR_INFO_TYPE_SHIFT) & VMX_INTR_INFO_TYPE_MASK) |
	       (errcode_valid ? VMX_INTR_INFO_ERRCODE_VALID : 0) | VMX_INTR_INFO_VALID;
}

/* --- VM-entry and VM-exit MSR-load/store lists (§25.7.2, §25.8.2, table 25-15) --- */
struct vmx_msr_entry {
	uint32_t index;
	uint32_t reserved;
	uint64_t value;
};
_Static_assert(sizeof(struct vmx_msr_entry) == 16, "MSR list entries are 128 bits");

/* --- Exit qualification for control-register accesses (§27.2.1, table 27-3) --- */
#define VMX_QUAL_CR_NUM_MASK        0xFull
#define VMX_QUAL_CR_ACCESS_SHIFT    4
#define VMX_QUAL_CR_ACCESS_MASK     (0x3ull << VMX_QUAL_CR_ACCESS_SHIFT)
#define VMX_QUAL_CR_LMSW_MEMORY     (1ull << 6)
#define VMX_QUAL_CR_GPR_SHIFT       8
#define VMX_QUAL_CR_GPR_MASK        (0xFull << VMX_QUAL_CR_GPR_SHIFT)
#define VMX_QUAL_CR_LMSW_DATA_SHIFT 16
#define VMX_QUAL_CR_LMSW_DATA_MASK  (0xFFFFull << VMX_QUAL_CR_LMSW_DATA_SHIFT)

enum vmx_cr_access {
	VMX_CR_ACCESS_MOV_TO_CR = 0,
	VMX_CR_ACCESS_MOV_FROM_CR = 1,
	VMX_CR_ACCESS_CLTS = 2,
	VMX_CR_ACCESS_LMSW = 3,
};

static inline uint32_t vmx_qual_cr_num(uint64_t qual)
{
	return (uint32_t)(qual & VMX_QUAL_CR_NUM_MASK);
}

static inline enum vmx_cr_access vmx_qual_cr_access(uint64_t qual)
{
	return (enum vmx_cr_access)((qual & VMX_QUAL_CR_ACCESS_MASK) >> VMX_QUAL_CR_ACCESS_SHIFT);
}

/* General-purpose register number, as in struct vcpu_regs (vmx/vcpu_regs.h). */
static inline uint32_t vmx_qual_cr_gpr(uint64_t qual)
{
	return (uint32_t)((qual & VMX_QUAL_CR_GPR_MASK) >> VMX_QUAL_CR_GPR_SHIFT);
}

static inline uint16_t vmx_qual_cr_lmsw_data(uint64_t qual)
{
	return (uint16_t)((qual & VMX_QUAL_CR_LMSW_DATA_MASK) >> VMX_QUAL_CR_LMSW_DATA_SHIFT);
}

/* --- Exit qualification for MOV DR (§27.2.1, table 27-4) --- */
#define VMX_QUAL_DR_NUM_MASK  0x7ull
#define VMX_QUAL_DR_FROM_DR   (1ull << 4) /* 0: MOV to DR, 1: MOV from DR */
#define VMX_QUAL_DR_GPR_SHIFT 8
#define VMX_QUAL_DR_GPR_MASK  (0xFull << VMX_QUAL_DR_GPR_SHIFT)

/* --- Exit qualification for I/O instructions (§27.2.1, table 27-5) --- */
#define VMX_QUAL_IO_SIZE_MASK  0x7ull      /* 0: 1 byte, 1: 2 bytes, 3: 4 bytes */
#define VMX_QUAL_IO_IN         (1ull << 3) /* 0: OUT, 1: IN */
#define VMX_QUAL_IO_STRING     (1ull << 4)
#define VMX_QUAL_IO_REP        (1ull << 5)
#define VMX_QUAL_IO_IMMEDIATE  (1ull << 6) /* 0: port in DX, 1: immediate */
#define VMX_QUAL_IO_PORT_SHIFT 16
#define VMX_QUAL_IO_PORT_MASK  (0xFFFFull << VMX_QUAL_IO_PORT_SHIFT)

/* Access size in bytes (1, 2 or 4). */
static inline uint32_t vmx_qual_io_size(uint64_t qual)
{
	return (uint32_t)(qual & VMX_QUAL_IO_SIZE_MASK) + 1;
}

static inline bool vmx_qual_io_is_in(uint64_t qual)
{
	return (qual & VMX_QUAL_IO_IN) != 0;
}

static inline bool vmx_qual_io_is_string(uint64_t qual)
{
	return (qual & VMX_QUAL_IO_STRING) != 0;
}

static inline bool vmx_qual_io_is_rep(uint64_t qual)
{
	return (qual & VMX_QUAL_IO_REP) != 0;
}

static inline uint16_t vmx_qual_io_port(uint64_t qual)
{
	return (uint16_t)((qual & VMX_QUAL_IO_PORT_MASK) >> VMX_QUAL_IO_PORT_SHIFT);
}

/*
 * Exit qualification for a #PF exit is the faulting linear address (CR2 is
 * not written, §27.1), for INVLPG the linear operand (§27.2.1). For a VM-entry
 * failure due to invalid guest state (basic reason 33) it is 0, or 2/3/4 for
 * a bad PDPTE, an NMI injected while blocked by STI, or a bad VMCS link
 * pointer; for a failure while loading MSRs (reason 34) it is the 1-based
 * index of the failing MSR-load entry (§26.8 "VM-entry failures during or
 * after loading guest state").
 */
#define VMX_QUAL_ENTRY_FAIL_DEFAULT       0u
#define VMX_QUAL_ENTRY_FAIL_PDPTE         2u
#define VMX_QUAL_ENTRY_FAIL_NMI_INJECTION 3u
#define VMX_QUAL_ENTRY_FAIL_LINK_PTR      4u

/* --- Guest interruptibility state (§24.4.2, table 24-3) --- */
#define VMX_INTERRUPTIBILITY_STI     (1u << 0)
#define VMX_INTERRUPTIBILITY_MOV_SS  (1u << 1)
#define VMX_INTERRUPTIBILITY_SMI     (1u << 2)
#define VMX_INTERRUPTIBILITY_NMI     (1u << 3)
#define VMX_INTERRUPTIBILITY_ENCLAVE (1u << 4)

/* --- Guest activity state (§24.4.2) --- */
#define VMX_ACTIVITY_ACTIVE    0u
#define VMX_ACTIVITY_HLT       1u
#define VMX_ACTIVITY_SHUTDOWN  2u
#define VMX_ACTIVITY_WAIT_SIPI 3u

/*
 * --- Segment access rights (§24.4.1, table 24-2): the descriptor's
 * type/S/DPL/P in bits 7:0 and AVL/L/D/G in bits 15:12, plus "unusable" ---
 */
#define VMX_AR_TYPE_MASK     0xFu
#define VMX_AR_TYPE_ACCESSED (1u << 0)
#define VMX_AR_S             (1u << 4) /* code/data (1) or system (0) */
#define VMX_AR_DPL_SHIFT     5
#define VMX_AR_DPL_MASK      (0x3u << VMX_AR_DPL_SHIFT)
#define VMX_AR_P             (1u << 7)
#define VMX_AR_AVL           (1u << 12)
#define VMX_AR_L             (1u << 13)
#define VMX_AR_DB            (1u << 14)
#define VMX_AR_G             (1u << 15)
#define VMX_AR_UNUSABLE      (1u << 16)
#define VMX_AR_RESERVED_MASK 0xFFFE0F00u

/* Segment types (Vol. 3A §3.4.5.1, table 3-1/3-2). */
#define VMX_AR_TYPE_DATA_RW_ACCESSED 0x3u
#define VMX_AR_TYPE_CODE_XR_ACCESSED 0xBu
#define VMX_AR_TYPE_LDT              0x2u
#define VMX_AR_TYPE_TSS16_BUSY       0x3u
#define VMX_AR_TYPE_TSS_BUSY         0xBu /* 32-bit or 64-bit busy TSS */

/* Ready-made access rights for the flat guests of this project. */
#define VMX_AR_FLAT_SPG     (VMX_AR_S | VMX_AR_P | VMX_AR_G)
#define VMX_AR_CODE32       (VMX_AR_TYPE_CODE_XR_ACCESSED | VMX_AR_FLAT_SPG | VMX_AR_DB)
#define VMX_AR_CODE64       (VMX_AR_TYPE_CODE_XR_ACCESSED | VMX_AR_FLAT_SPG | VMX_AR_L)
#define VMX_AR_DATA32       (VMX_AR_TYPE_DATA_RW_ACCESSED | VMX_AR_FLAT_SPG | VMX_AR_DB)
#define VMX_AR_TSS_BUSY     (VMX_AR_TYPE_TSS_BUSY | VMX_AR_P)
#define VMX_AR_LDT_UNUSABLE VMX_AR_UNUSABLE

_Static_assert(VMX_AR_CODE32 == 0xC09Bu, "flat 32-bit code segment access rights");
_Static_assert(VMX_AR_CODE64 == 0xA09Bu, "64-bit code segment access rights");
_Static_assert(VMX_AR_DATA32 == 0xC093u, "flat data segment access rights");
_Static_assert(VMX_AR_TSS_BUSY == 0x8Bu, "busy TSS access rights");

static inline uint32_t vmx_ar_dpl(uint32_t ar)
{
	return (ar & VMX_AR_DPL_MASK) >> VMX_AR_DPL_SHIFT;
}

/* --- Exception bitmap (§24.6.3): bit N makes exception vector N exit --- */
static inline uint32_t vmx_exception_bit(uint32_t vector)
{
	return 1u << (vector & 31);
}

#endif
