/*
 * The CPUID the guest sees, as an allowlist: a table of the bits per leaf and
 * register that this hypervisor virtualizes (cpuid_model.c). A bit is shown
 * only when the host has it and the hypervisor makes its instructions and
 * MSRs work; everything else reads 0. The maximum basic and extended leaves
 * are clamped to what is modelled, and a leaf outside every range answers
 * as the highest basic leaf does, the Intel rule (SDM Vol. 2A, CPUID,
 * "If a value entered for CPUID.EAX is higher than the maximum input value
 * ... the data for the highest basic information leaf is returned").
 *
 * Pure: the host's CPUID comes through a callback, so the model runs on the
 * host in the unit tests (tests/unit/cpuid/) with recorded CPUs.
 */
#ifndef VMX_EXIT_CPUID_MODEL_H
#define VMX_EXIT_CPUID_MODEL_H

#include <stdbool.h>
#include <stdint.h>

struct cpuid_regs4 {
	uint32_t eax, ebx, ecx, edx;
};

/* The host CPU's answer to CPUID with EAX = leaf, ECX = subleaf. */
typedef struct cpuid_regs4 (*cpuid_host_fn)(void *ctx, uint32_t leaf, uint32_t subleaf);

/* What the guest's answer depends on besides the host. */
struct cpuid_facts {
	/* IA32_APIC_BASE[11]: CPUID.1:EDX.APIC reads 0 while the local APIC is
	 * globally disabled (SDM Vol. 3A §11.4.3). */
	bool apic_enabled;
	/* The guest executes CPUID in 64-bit mode (EFER.LMA = 1 and CS.L = 1):
	 * Intel CPUs set CPUID.80000001H:EDX.SYSCALL only there. */
	bool in_64bit_mode;
};

/* Leaves with a meaning of their own. */
#define CPUID_LEAF_MAX_BASIC      0x0u
#define CPUID_LEAF_FEATURES       0x1u
#define CPUID_LEAF_CACHE_PARAMS   0x4u
#define CPUID_LEAF_POWER          0x6u
#define CPUID_LEAF_EXT_FEATURES   0x7u
#define CPUID_LEAF_HV             0x40000000u
#define CPUID_LEAF_MAX_EXT        0x80000000u
#define CPUID_LEAF_EXT_FEATURES_1 0x80000001u
#define CPUID_LEAF_POWER_EXT      0x80000007u
#define CPUID_LEAF_ADDR_SIZES     0x80000008u

/* CPUID.1 (SDM Vol. 2A, CPUID, table 3-8 and figure 3-6). */
#define CPUID_1_EAX_SIGNATURE     0x0fff3fffu /* stepping..extended family, no reserved bits */
#define CPUID_1_EBX_BRAND_CLFLUSH 0x0000ffffu /* brand index 7:0, CLFLUSH line size 15:8 */
#define CPUID_1_EBX_LOGICAL_SHIFT 16          /* addressable logical processor IDs, 23:16 */
#define CPUID_1_EBX_APIC_ID_SHIFT 24          /* initial APIC ID, 31:24 */

/* CPUID.1:ECX (table 3-10). */
#define CPUID_1_ECX_SSE3       (1u << 0)
#define CPUID_1_ECX_PCLMULQDQ  (1u << 1)
#define CPUID_1_ECX_DTES64     (1u << 2)
#define CPUID_1_ECX_MONITOR    (1u << 3)
#define CPUID_1_ECX_DS_CPL     (1u << 4)
#define CPUID_1_ECX_VMX        (1u << 5)
#define CPUID_1_ECX_SMX        (1u << 6)
#define CPUID_1_ECX_EST        (1u << 7)
#define CPUID_1_ECX_TM2        (1u << 8)
#define CPUID_1_ECX_SSSE3      (1u << 9)
#define CPUID_1_ECX_FMA        (1u << 12)
#define CPUID_1_ECX_CX16       (1u << 13)
#define CPUID_1_ECX_XTPR       (1u << 14)
#define CPUID_1_ECX_PDCM       (1u << 15)
#define CPUID_1_ECX_PCID       (1u << 17)
#define CPUID_1_ECX_SSE41      (1u << 19)
#define CPUID_1_ECX_SSE42      (1u << 20)
#define CPUID_1_ECX_X2APIC     (1u << 21)
#define CPUID_1_ECX_MOVBE      (1u << 22)
#define CPUID_1_ECX_POPCNT     (1u << 23)
#define CPUID_1_ECX_TSC_DEADLN (1u << 24)
#define CPUID_1_ECX_AES        (1u << 25)
#define CPUID_1_ECX_XSAVE      (1u << 26)
#define CPUID_1_ECX_OSXSAVE    (1u << 27)
#define CPUID_1_ECX_AVX        (1u << 28)
#define CPUID_1_ECX_F16C       (1u << 29)
#define CPUID_1_ECX_RDRAND     (1u << 30)
#define CPUID_1_ECX_HYPERVISOR (1u << 31) /* reserved for hypervisors: reads 0 on hardware */

/* CPUID.1:EDX (table 3-11). */
#define CPUID_1_EDX_FPU   (1u << 0)
#define CPUID_1_EDX_VME   (1u << 1)
#define CPUID_1_EDX_DE    (1u << 2)
#define CPUID_1_EDX_PSE   (1u << 3)
#define CPUID_1_EDX_TSC   (1u << 4)
#define CPUID_1_EDX_MSR   (1u << 5)
#define CPUID_1_EDX_PAE   (1u << 6)
#define CPUID_1_EDX_MCE   (1u << 7)
#define CPUID_1_EDX_CX8   (1u << 8)
#define CPUID_1_EDX_APIC  (1u << 9)
#define CPUID_1_EDX_SEP   (1u << 11)
#define CPUID_1_EDX_MTRR  (1u << 12)
#define CPUID_1_EDX_PGE   (1u << 13)
#define CPUID_1_EDX_MCA   (1u << 14)
#define CPUID_1_EDX_CMOV  (1u << 15)
#define CPUID_1_EDX_PAT   (1u << 16)
#define CPUID_1_EDX_PSE36 (1u << 17)
#define CPUID_1_EDX_PSN   (1u << 18)
#define CPUID_1_EDX_CLFSH (1u << 19)
#define CPUID_1_EDX_DS    (1u << 21)
#define CPUID_1_EDX_ACPI  (1u << 22)
#define CPUID_1_EDX_MMX   (1u << 23)
#define CPUID_1_EDX_FXSR  (1u << 24)
#define CPUID_1_EDX_SSE   (1u << 25)
#define CPUID_1_EDX_SSE2  (1u << 26)
#define CPUID_1_EDX_SS    (1u << 27)
#define CPUID_1_EDX_HTT   (1u << 28)
#define CPUID_1_EDX_TM    (1u << 29)
#define CPUID_1_EDX_PBE   (1u << 31)

/* CPUID.4 (table 3-8, "Deterministic Cache Parameters Leaf"). */
#define CPUID_4_EAX_CACHE_DESC   0x000003ffu /* type 4:0, level 7:5, self-init 8, fully assoc. 9 */
#define CPUID_4_EAX_SHARING_MASK 0x03ffc000u /* logical processors sharing the cache - 1, 25:14 */
#define CPUID_4_EAX_CORES_MASK   0xfc000000u /* cores in the package - 1, 31:26 */
#define CPUID_4_EDX_CACHE_DESC   0x00000007u /* WBINVD scope, inclusive, complex indexing */

/* CPUID.6:EAX (table 3-8, "Thermal and Power Management Leaf"). */
#define CPUID_6_EAX_DTS  (1u << 0)
#define CPUID_6_EAX_ARAT (1u << 2) /* APIC timer always running */
#define CPUID_6_ECX_HCFC (1u << 0) /* IA32_MPERF/IA32_APERF */

/* CPUID.(EAX=7, ECX=0) (table 3-8, "Structured Extended Feature Flags"). */
#define CPUID_7_EBX_FSGSBASE   (1u << 0)
#define CPUID_7_EBX_TSC_ADJUST (1u << 1)
#define CPUID_7_EBX_BMI1       (1u << 3)
#define CPUID_7_EBX_HLE        (1u << 4)
#define CPUID_7_EBX_AVX2       (1u << 5)
#define CPUID_7_EBX_FDP_EXCPTN (1u << 6) /* x87 FDP updated only on exceptions */
#define CPUID_7_EBX_SMEP       (1u << 7)
#define CPUID_7_EBX_BMI2       (1u << 8)
#define CPUID_7_EBX_ERMS       (1u << 9)
#define CPUID_7_EBX_INVPCID    (1u << 10)
#define CPUID_7_EBX_RTM        (1u << 11)
#define CPUID_7_EBX_FCS_FDS    (1u << 13) /* x87 CS and DS deprecated */
#define CPUID_7_EBX_RDSEED     (1u << 18)
#define CPUID_7_EBX_ADX        (1u << 19)
#define CPUID_7_EBX_SMAP       (1u << 20)
#define CPUID_7_EBX_CLFLUSHOPT (1u << 23)
#define CPUID_7_EBX_CLWB       (1u << 24)
#define CPUID_7_EBX_SHA        (1u << 29)
#define CPUID_7_ECX_UMIP       (1u << 2)
#define CPUID_7_ECX_PKU        (1u << 3)
#define CPUID_7_ECX_LA57       (1u << 16)
#define CPUID_7_ECX_RDPID      (1u << 22)
#define CPUID_7_EDX_FSRM       (1u << 4)  /* fast short REP MOV */
#define CPUID_7_EDX_MD_CLEAR   (1u << 10) /* VERW clears CPU buffers */
#define CPUID_7_EDX_SPEC_CTRL  (1u << 26) /* IBRS/IBPB: IA32_SPEC_CTRL, IA32_PRED_CMD */
#define CPUID_7_EDX_ARCH_CAP   (1u << 29) /* IA32_ARCH_CAPABILITIES */

/* CPUID.80000001H (table 3-8). */
#define CPUID_E1_ECX_LAHF      (1u << 0) /* LAHF/SAHF in 64-bit mode */
#define CPUID_E1_ECX_LZCNT     (1u << 5)
#define CPUID_E1_ECX_PREFETCHW (1u << 8)
#define CPUID_E1_EDX_SYSCALL   (1u << 11) /* Intel: set only when CPUID runs in 64-bit mode */
#define CPUID_E1_EDX_NX        (1u << 20)
#define CPUID_E1_EDX_PDPE1GB   (1u << 26)
#define CPUID_E1_EDX_RDTSCP    (1u << 27)
#define CPUID_E1_EDX_LM        (1u << 29)

/* CPUID.80000007H:EDX and 80000008H:EAX (table 3-8). */
#define CPUID_E7_EDX_INVARIANT_TSC (1u << 8)
#define CPUID_E8_EAX_ADDR_SIZES    0x0000ffffu /* physical 7:0, linear 15:8 */
#define CPUID_E8_EAX_LINEAR_SHIFT  8

/* The highest leaves modelled: the guest's maximum is the smaller of these
 * and the host's. Basic leaves up to 0xD exist so that the leaves of hidden
 * features (0xA PMU, 0xB topology, 0xD XSAVE) read as explicit zeros. */
#define CPUID_MODEL_MAX_BASIC 0xdu
#define CPUID_MODEL_MAX_EXT   0x80000008u

/* The hypervisor leaf 0x40000000: its own maximum and "hvx86hvx86hv". */
#define CPUID_HV_MAX       0x40000000u
#define CPUID_HV_SIGNATURE "hvx86hvx86hv"

/* CPUID.(EAX = leaf, ECX = subleaf) as the guest sees it. */
struct cpuid_regs4 cpuid_model(uint32_t leaf, uint32_t subleaf, cpuid_host_fn host, void *ctx,
                               const struct cpuid_facts *facts);

/* The guest's maximum basic and extended leaves. */
uint32_t cpuid_model_max_basic(cpuid_host_fn host, void *ctx);
uint32_t cpuid_model_max_ext(cpuid_host_fn host, void *ctx);

#endif
