/*
 * VMCS field encodings (Intel SDM Vol. 3C §24.11.2 and appendix B), grouped
 * as in appendix B by width and type. EPT-, PML-, VMFUNC- and SGX/CET/PT-only
 * fields are left out: this hypervisor shadows guest paging.
 *
 * An encoding is a 32-bit value (§24.11.2, table 24-21):
 *   bit 0      access type: 0 full, 1 high (upper 32 bits of a 64-bit field)
 *   bits 9:1   index
 *   bits 11:10 type: 0 control, 1 VM-exit information (read-only),
 *              2 guest state, 3 host state
 *   bit 12     reserved (0)
 *   bits 14:13 width: 0 16-bit, 1 64-bit, 2 32-bit, 3 natural width
 *   bit 15     reserved (0)
 * tests/unit/vmx/test_fields.c checks every constant below against the
 * group it is declared in.
 *
 * The meaning of the bits inside the fields (controls, exit information,
 * access rights) is in vmx/vmcs_bits.h, included at the end so that this one
 * header gives the whole VMCS vocabulary.
 */
#ifndef VMX_VMCS_FIELDS_H
#define VMX_VMCS_FIELDS_H

#include <stdint.h>

/* --- Layout of an encoding --- */
#define VMCS_ENC_HIGH          (1u << 0)
#define VMCS_ENC_INDEX_SHIFT   1
#define VMCS_ENC_INDEX_MASK    (0x1FFu << VMCS_ENC_INDEX_SHIFT)
#define VMCS_ENC_TYPE_SHIFT    10
#define VMCS_ENC_TYPE_MASK     (0x3u << VMCS_ENC_TYPE_SHIFT)
#define VMCS_ENC_WIDTH_SHIFT   13
#define VMCS_ENC_WIDTH_MASK    (0x3u << VMCS_ENC_WIDTH_SHIFT)
#define VMCS_ENC_RESERVED_MASK ((1u << 12) | 0xFFFF8000u)

enum vmcs_type {
	VMCS_TYPE_CONTROL = 0,
	VMCS_TYPE_EXIT_INFO = 1, /* "VM-exit information", read-only */
	VMCS_TYPE_GUEST = 2,
	VMCS_TYPE_HOST = 3,
};

enum vmcs_width {
	VMCS_WIDTH_16 = 0,
	VMCS_WIDTH_64 = 1,
	VMCS_WIDTH_32 = 2,
	VMCS_WIDTH_NATURAL = 3,
};

_Static_assert(VMCS_ENC_INDEX_MASK == 0x3FEu, "index is bits 9:1");
_Static_assert(VMCS_ENC_TYPE_MASK == 0xC00u, "type is bits 11:10");
_Static_assert(VMCS_ENC_WIDTH_MASK == 0x6000u, "width is bits 14:13");
_Static_assert((VMCS_ENC_HIGH | VMCS_ENC_INDEX_MASK | VMCS_ENC_TYPE_MASK | VMCS_ENC_WIDTH_MASK |
                VMCS_ENC_RESERVED_MASK) == 0xFFFFFFFFu,
               "the encoding fields cover all 32 bits");

static inline enum vmcs_type vmcs_field_type(uint32_t enc)
{
	return (enum vmcs_type)((enc & VMCS_ENC_TYPE_MASK) >> VMCS_ENC_TYPE_SHIFT);
}

static inline enum vmcs_width vmcs_field_width(uint32_t enc)
{
	return (enum vmcs_width)((enc & VMCS_ENC_WIDTH_MASK) >> VMCS_ENC_WIDTH_SHIFT);
}

static inline uint32_t vmcs_field_index(uint32_t enc)
{
	return (enc & VMCS_ENC_INDEX_MASK) >> VMCS_ENC_INDEX_SHIFT;
}

static inline int vmcs_field_is_high(uint32_t enc)
{
	return (enc & VMCS_ENC_HIGH) != 0;
}

/* Build an encoding: used by tests and to name the "high" half of a field. */
static inline uint32_t vmcs_field_encode(enum vmcs_width w, enum vmcs_type t, uint32_t index)
{
	return ((uint32_t)w << VMCS_ENC_WIDTH_SHIFT) | ((uint32_t)t << VMCS_ENC_TYPE_SHIFT) |
	       ((index << VMCS_ENC_INDEX_SHIFT) & VMCS_ENC_INDEX_MASK);
}

/*
 * 64-bit fields have a "full" encoding (bit 0 = 0) for 64-bit accesses and a
 * "high" one (bit 0 = 1) for the upper half. In 64-bit mode VMREAD/VMWRITE
 * of the full encoding move all 64 bits, so only the full ones are named.
 */
#define VMCS_HIGH(enc) ((enc) | VMCS_ENC_HIGH)

/* --- B.1.1 16-bit control fields --- */
#define VMCS_VPID                     0x0000u
#define VMCS_POSTED_INT_NOTIFY_VECTOR 0x0002u

/* --- B.1.2 16-bit guest-state fields --- */
#define VMCS_GUEST_ES_SEL      0x0800u
#define VMCS_GUEST_CS_SEL      0x0802u
#define VMCS_GUEST_SS_SEL      0x0804u
#define VMCS_GUEST_DS_SEL      0x0806u
#define VMCS_GUEST_FS_SEL      0x0808u
#define VMCS_GUEST_GS_SEL      0x080Au
#define VMCS_GUEST_LDTR_SEL    0x080Cu
#define VMCS_GUEST_TR_SEL      0x080Eu
#define VMCS_GUEST_INTR_STATUS 0x0810u

/* --- B.1.3 16-bit host-state fields --- */
#define VMCS_HOST_ES_SEL 0x0C00u
#define VMCS_HOST_CS_SEL 0x0C02u
#define VMCS_HOST_SS_SEL 0x0C04u
#define VMCS_HOST_DS_SEL 0x0C06u
#define VMCS_HOST_FS_SEL 0x0C08u
#define VMCS_HOST_GS_SEL 0x0C0Au
#define VMCS_HOST_TR_SEL 0x0C0Cu

/* --- B.2.1 64-bit control fields --- */
#define VMCS_IO_BITMAP_A          0x2000u
#define VMCS_IO_BITMAP_B          0x2002u
#define VMCS_MSR_BITMAP           0x2004u
#define VMCS_EXIT_MSR_STORE_ADDR  0x2006u
#define VMCS_EXIT_MSR_LOAD_ADDR   0x2008u
#define VMCS_ENTRY_MSR_LOAD_ADDR  0x200Au
#define VMCS_EXECUTIVE_VMCS_PTR   0x200Cu
#define VMCS_TSC_OFFSET           0x2010u
#define VMCS_VIRTUAL_APIC_ADDR    0x2012u
#define VMCS_APIC_ACCESS_ADDR     0x2014u
#define VMCS_POSTED_INT_DESC_ADDR 0x2016u
#define VMCS_EOI_EXIT_BITMAP0     0x201Cu
#define VMCS_EOI_EXIT_BITMAP1     0x201Eu
#define VMCS_EOI_EXIT_BITMAP2     0x2020u
#define VMCS_EOI_EXIT_BITMAP3     0x2022u
#define VMCS_VMREAD_BITMAP        0x2026u
#define VMCS_VMWRITE_BITMAP       0x2028u
#define VMCS_XSS_EXIT_BITMAP      0x202Cu
#define VMCS_TSC_MULTIPLIER       0x2032u

/* --- B.2.2 64-bit read-only data field --- */
#define VMCS_GUEST_PHYS_ADDR 0x2400u /* EPT exits only; named for dumps */

/* --- B.2.3 64-bit guest-state fields --- */
#define VMCS_LINK_POINTER           0x2800u
#define VMCS_GUEST_DEBUGCTL         0x2802u
#define VMCS_GUEST_PAT              0x2804u
#define VMCS_GUEST_EFER             0x2806u
#define VMCS_GUEST_PERF_GLOBAL_CTRL 0x2808u
#define VMCS_GUEST_PDPTE0           0x280Au
#define VMCS_GUEST_PDPTE1           0x280Cu
#define VMCS_GUEST_PDPTE2           0x280Eu
#define VMCS_GUEST_PDPTE3           0x2810u
#define VMCS_GUEST_BNDCFGS          0x2812u

/* --- B.2.4 64-bit host-state fields --- */
#define VMCS_HOST_PAT              0x2C00u
#define VMCS_HOST_EFER             0x2C02u
#define VMCS_HOST_PERF_GLOBAL_CTRL 0x2C04u

/* --- B.3.1 32-bit control fields --- */
#define VMCS_PIN_CONTROLS            0x4000u
#define VMCS_PROC_CONTROLS           0x4002u
#define VMCS_EXCEPTION_BITMAP        0x4004u
#define VMCS_PF_ERRCODE_MASK         0x4006u
#define VMCS_PF_ERRCODE_MATCH        0x4008u
#define VMCS_CR3_TARGET_COUNT        0x400Au
#define VMCS_EXIT_CONTROLS           0x400Cu
#define VMCS_EXIT_MSR_STORE_COUNT    0x400Eu
#define VMCS_EXIT_MSR_LOAD_COUNT     0x4010u
#define VMCS_ENTRY_CONTROLS          0x4012u
#define VMCS_ENTRY_MSR_LOAD_COUNT    0x4014u
#define VMCS_ENTRY_INTR_INFO         0x4016u
#define VMCS_ENTRY_EXCEPTION_ERRCODE 0x4018u
#define VMCS_ENTRY_INSTR_LEN         0x401Au
#define VMCS_TPR_THRESHOLD           0x401Cu
#define VMCS_PROC_CONTROLS2          0x401Eu
#define VMCS_PLE_GAP                 0x4020u
#define VMCS_PLE_WINDOW              0x4022u

/* --- B.3.2 32-bit read-only data fields --- */
#define VMCS_VM_INSTRUCTION_ERROR  0x4400u
#define VMCS_EXIT_REASON           0x4402u
#define VMCS_EXIT_INTR_INFO        0x4404u
#define VMCS_EXIT_INTR_ERRCODE     0x4406u
#define VMCS_IDT_VECTORING_INFO    0x4408u
#define VMCS_IDT_VECTORING_ERRCODE 0x440Au
#define VMCS_EXIT_INSTR_LEN        0x440Cu
#define VMCS_EXIT_INSTR_INFO       0x440Eu

/* --- B.3.3 32-bit guest-state fields --- */
#define VMCS_GUEST_ES_LIMIT         0x4800u
#define VMCS_GUEST_CS_LIMIT         0x4802u
#define VMCS_GUEST_SS_LIMIT         0x4804u
#define VMCS_GUEST_DS_LIMIT         0x4806u
#define VMCS_GUEST_FS_LIMIT         0x4808u
#define VMCS_GUEST_GS_LIMIT         0x480Au
#define VMCS_GUEST_LDTR_LIMIT       0x480Cu
#define VMCS_GUEST_TR_LIMIT         0x480Eu
#define VMCS_GUEST_GDTR_LIMIT       0x4810u
#define VMCS_GUEST_IDTR_LIMIT       0x4812u
#define VMCS_GUEST_ES_AR            0x4814u
#define VMCS_GUEST_CS_AR            0x4816u
#define VMCS_GUEST_SS_AR            0x4818u
#define VMCS_GUEST_DS_AR            0x481Au
#define VMCS_GUEST_FS_AR            0x481Cu
#define VMCS_GUEST_GS_AR            0x481Eu
#define VMCS_GUEST_LDTR_AR          0x4820u
#define VMCS_GUEST_TR_AR            0x4822u
#define VMCS_GUEST_INTERRUPTIBILITY 0x4824u
#define VMCS_GUEST_ACTIVITY_STATE   0x4826u
#define VMCS_GUEST_SMBASE           0x4828u
#define VMCS_GUEST_SYSENTER_CS      0x482Au
#define VMCS_GUEST_PREEMPT_TIMER    0x482Eu

/* --- B.3.4 32-bit host-state field --- */
#define VMCS_HOST_SYSENTER_CS 0x4C00u

/* --- B.4.1 natural-width control fields --- */
#define VMCS_CR0_GUEST_HOST_MASK 0x6000u
#define VMCS_CR4_GUEST_HOST_MASK 0x6002u
#define VMCS_CR0_READ_SHADOW     0x6004u
#define VMCS_CR4_READ_SHADOW     0x6006u
#define VMCS_CR3_TARGET0         0x6008u
#define VMCS_CR3_TARGET1         0x600Au
#define VMCS_CR3_TARGET2         0x600Cu
#define VMCS_CR3_TARGET3         0x600Eu

/* --- B.4.2 natural-width read-only data fields --- */
#define VMCS_EXIT_QUALIFICATION 0x6400u
#define VMCS_IO_RCX             0x6402u
#define VMCS_IO_RSI             0x6404u
#define VMCS_IO_RDI             0x6406u
#define VMCS_IO_RIP             0x6408u
#define VMCS_GUEST_LINEAR_ADDR  0x640Au

/* --- B.4.3 natural-width guest-state fields --- */
#define VMCS_GUEST_CR0                    0x6800u
#define VMCS_GUEST_CR3                    0x6802u
#define VMCS_GUEST_CR4                    0x6804u
#define VMCS_GUEST_ES_BASE                0x6806u
#define VMCS_GUEST_CS_BASE                0x6808u
#define VMCS_GUEST_SS_BASE                0x680Au
#define VMCS_GUEST_DS_BASE                0x680Cu
#define VMCS_GUEST_FS_BASE                0x680Eu
#define VMCS_GUEST_GS_BASE                0x6810u
#define VMCS_GUEST_LDTR_BASE              0x6812u
#define VMCS_GUEST_TR_BASE                0x6814u
#define VMCS_GUEST_GDTR_BASE              0x6816u
#define VMCS_GUEST_IDTR_BASE              0x6818u
#define VMCS_GUEST_DR7                    0x681Au
#define VMCS_GUEST_RSP                    0x681Cu
#define VMCS_GUEST_RIP                    0x681Eu
#define VMCS_GUEST_RFLAGS                 0x6820u
#define VMCS_GUEST_PENDING_DBG_EXCEPTIONS 0x6822u
#define VMCS_GUEST_SYSENTER_ESP           0x6824u
#define VMCS_GUEST_SYSENTER_EIP           0x6826u

/* --- B.4.4 natural-width host-state fields --- */
#define VMCS_HOST_CR0          0x6C00u
#define VMCS_HOST_CR3          0x6C02u
#define VMCS_HOST_CR4          0x6C04u
#define VMCS_HOST_FS_BASE      0x6C06u
#define VMCS_HOST_GS_BASE      0x6C08u
#define VMCS_HOST_TR_BASE      0x6C0Au
#define VMCS_HOST_GDTR_BASE    0x6C0Cu
#define VMCS_HOST_IDTR_BASE    0x6C0Eu
#define VMCS_HOST_SYSENTER_ESP 0x6C10u
#define VMCS_HOST_SYSENTER_EIP 0x6C12u
#define VMCS_HOST_RSP          0x6C14u
#define VMCS_HOST_RIP          0x6C16u

/* A few spot checks at compile time; the test checks every field. */
_Static_assert(VMCS_GUEST_CR0 == 0x6800u && VMCS_HOST_RIP == 0x6C16u, "natural width");
_Static_assert(VMCS_LINK_POINTER == 0x2800u && VMCS_EXIT_REASON == 0x4402u, "64/32 bit");

#include "vmx/hw/vmcs_bits.h"

#endif
