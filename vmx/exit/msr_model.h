/*
 * The MSRs the vCPU has, as an allowlist table (msr_model.c): per MSR where
 * its value comes from, its reset value, and which written values are legal
 * (a write that sets a reserved bit, or an illegal value, raises #GP, SDM
 * Vol. 2B WRMSR). An MSR not in the table, or one whose CPUID feature the
 * guest is not shown, does not exist: RDMSR and WRMSR of it raise #GP.
 *
 * Pure: what the checks depend on (NX, long mode, the linear-address width)
 * comes from the guest's modelled CPUID through struct msr_caps, so every
 * MSR exists exactly when CPUID says its feature does.
 */
#ifndef VMX_EXIT_MSR_MODEL_H
#define VMX_EXIT_MSR_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "vmx/exit/cpuid_model.h"

/* Architectural MSR numbers (SDM Vol. 4, table 2-2). */
#define MSR_MODEL_TSC             0x10u
#define MSR_MODEL_PLATFORM_ID     0x17u
#define MSR_MODEL_APIC_BASE       0x1bu
#define MSR_MODEL_FEATURE_CONTROL 0x3au
#define MSR_MODEL_BIOS_SIGN_ID    0x8bu
#define MSR_MODEL_SYSENTER_CS     0x174u
#define MSR_MODEL_SYSENTER_ESP    0x175u
#define MSR_MODEL_SYSENTER_EIP    0x176u
#define MSR_MODEL_MISC_ENABLE     0x1a0u
#define MSR_MODEL_DEBUGCTL        0x1d9u
#define MSR_MODEL_PAT             0x277u
#define MSR_MODEL_EFER            0xc0000080u
#define MSR_MODEL_STAR            0xc0000081u
#define MSR_MODEL_LSTAR           0xc0000082u
#define MSR_MODEL_CSTAR           0xc0000083u
#define MSR_MODEL_FMASK           0xc0000084u
#define MSR_MODEL_FS_BASE         0xc0000100u
#define MSR_MODEL_GS_BASE         0xc0000101u
#define MSR_MODEL_KERNEL_GS_BASE  0xc0000102u

/* IA32_FEATURE_CONTROL (Vol. 4 table 2-2): bit 0 lock; VMX bits 1, 2 clear. */
#define MODEL_FEATURE_CONTROL_LOCK (1ull << 0)

/* IA32_MISC_ENABLE (Vol. 4 table 2-2). */
#define MODEL_MISC_FAST_STRINGS (1ull << 0)
#define MODEL_MISC_TCC          (1ull << 3)
#define MODEL_MISC_PERF_MON     (1ull << 7) /* RO: performance monitoring available */
#define MODEL_MISC_BTS_UNAVAIL  (1ull << 11)
#define MODEL_MISC_PEBS_UNAVAIL (1ull << 12)
#define MODEL_MISC_EIST         (1ull << 16)
#define MODEL_MISC_MONITOR      (1ull << 18)
#define MODEL_MISC_LIMIT_CPUID  (1ull << 22)
#define MODEL_MISC_XTPR_DISABLE (1ull << 23)
#define MODEL_MISC_XD_DISABLE   (1ull << 34)

/* IA32_DEBUGCTL (Vol. 3B §18.4.1, Vol. 4 table 2-2). */
#define MODEL_DEBUGCTL_LBR (1ull << 0)
#define MODEL_DEBUGCTL_BTF (1ull << 1)

/* IA32_EFER (Vol. 3A §2.2.1, Vol. 4 table 2-2). */
#define MODEL_EFER_SCE (1ull << 0)
#define MODEL_EFER_LME (1ull << 8)
#define MODEL_EFER_LMA (1ull << 10)
#define MODEL_EFER_NXE (1ull << 11)

/* IA32_PAT reset value (Vol. 3A §11.12.4): WB, WT, UC-, UC in each half. */
#define MODEL_PAT_RESET 0x0007040600070406ull

/* Where an MSR's value lives. */
enum msr_kind {
	MSR_KIND_CONST,  /* reads `reset` always; writes per the check, never stored */
	MSR_KIND_STORED, /* a per-vCPU value (vCPU field or VMCS guest state), from `reset` */
	MSR_KIND_DEVICE, /* owned by a device model on the bus (the local APIC) */
	MSR_KIND_TSC,    /* reads host TSC + offset; a write sets the offset */
	MSR_KIND_EFER,   /* stored, and a write changes the paging mode */
};

/* The rule a written value must pass besides its reserved bits. */
enum msr_check {
	MSR_CHECK_NONE,
	MSR_CHECK_READ_ONLY, /* every WRMSR raises #GP */
	MSR_CHECK_CANONICAL, /* a linear address: canonical (Vol. 3A §3.3.7.1) */
	MSR_CHECK_PAT,       /* each byte a valid memory type (Vol. 3A §11.12.2) */
};

/* The CPUID feature without which the MSR does not exist. */
enum msr_need {
	MSR_NEED_NONE,
	MSR_NEED_TSC,  /* CPUID.1:EDX.TSC */
	MSR_NEED_SEP,  /* CPUID.1:EDX.SEP */
	MSR_NEED_PAT,  /* CPUID.1:EDX.PAT */
	MSR_NEED_LM,   /* CPUID.80000001H:EDX.LM */
	MSR_NEED_EFER, /* CPUID.80000001H:EDX.NX or .LM */
};

struct msr_desc {
	uint32_t msr;
	const char *name;
	enum msr_kind kind;
	enum msr_need need;
	enum msr_check check;
	uint64_t reset;    /* value after reset (MSR_KIND_CONST: the value read) */
	uint64_t writable; /* bits a write stores (before the capability trim) */
	uint64_t ignored;  /* bits a write may hold anything in; dropped (read-only) */
};

/* What the guest's CPUID offers that the MSR checks depend on. */
struct msr_caps {
	bool tsc, sep, pat, nx, long_mode;
	uint8_t linear_bits; /* CPUID.80000008H:EAX[15:8]; 48 when not reported */
};

/* The capabilities as the modelled CPUID (cpuid_model) shows them. */
struct msr_caps msr_caps_from_cpuid(cpuid_host_fn host, void *ctx);

/* The MSR's description, or 0 when the guest has no such MSR (#GP). */
const struct msr_desc *msr_model_find(uint32_t msr, const struct msr_caps *caps);

/* Bits of the MSR a write may change, given the capabilities (EFER.NXE
 * only with NX, for example). */
uint64_t msr_model_writable(const struct msr_desc *d, const struct msr_caps *caps);

/* True when WRMSR of `value` is legal; false: #GP. An MSR_KIND_DEVICE MSR is
 * always passed on: its device decides. */
bool msr_model_write_ok(const struct msr_desc *d, uint64_t value, const struct msr_caps *caps);

/* The value to keep after a legal write over `old`: the writable bits from
 * `value`, the rest (read-only bits) from `old`. */
uint64_t msr_model_after_write(const struct msr_desc *d, uint64_t old, uint64_t value,
                               const struct msr_caps *caps);

/* Canonical for `linear_bits` (48: bits 63:47 all equal). */
bool msr_model_canonical(uint64_t value, uint8_t linear_bits);

/* The table itself, in MSR order (for listing and tests). */
const struct msr_desc *msr_model_table(unsigned *count);

#endif
