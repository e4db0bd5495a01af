/*
 * Control-register and EFER bits (Intel SDM Vol. 3A §2.5, §2.2.1).
 * Shared with assembly.
 */
#ifndef ARCH_X86_CR_H
#define ARCH_X86_CR_H

#define CR0_PE (1 << 0)
#define CR0_MP (1 << 1)
#define CR0_EM (1 << 2)
#define CR0_TS (1 << 3)
#define CR0_ET (1 << 4)
#define CR0_NE (1 << 5)
#define CR0_WP (1 << 16)
#define CR0_AM (1 << 18)
#define CR0_NW (1 << 29)
#define CR0_CD (1 << 30)
#define CR0_PG (1 << 31)

#define CR4_VME        (1 << 0)
#define CR4_PVI        (1 << 1)
#define CR4_TSD        (1 << 2)
#define CR4_DE         (1 << 3)
#define CR4_PSE        (1 << 4)
#define CR4_PAE        (1 << 5)
#define CR4_MCE        (1 << 6)
#define CR4_PGE        (1 << 7)
#define CR4_PCE        (1 << 8)
#define CR4_OSFXSR     (1 << 9)
#define CR4_OSXMMEXCPT (1 << 10)
#define CR4_UMIP       (1 << 11)
#define CR4_LA57       (1 << 12)
#define CR4_VMXE       (1 << 13)
#define CR4_SMXE       (1 << 14)
#define CR4_FSGSBASE   (1 << 16)
#define CR4_PCIDE      (1 << 17)
#define CR4_OSXSAVE    (1 << 18)
#define CR4_SMEP       (1 << 20)
#define CR4_SMAP       (1 << 21)
#define CR4_PKE        (1 << 22)

#define MSR_EFER 0xc0000080
#define EFER_SCE (1 << 0)
#define EFER_LME (1 << 8)
#define EFER_LMA (1 << 10)
#define EFER_NXE (1 << 11)

#define MSR_FS_BASE           0xc0000100
#define MSR_GS_BASE           0xc0000101
#define MSR_KERNEL_GS_BASE    0xc0000102
#define MSR_STAR              0xc0000081
#define MSR_LSTAR             0xc0000082
#define MSR_CSTAR             0xc0000083
#define MSR_FMASK             0xc0000084
#define MSR_IA32_TSC          0x10
#define MSR_IA32_DEBUGCTL     0x1d9
#define MSR_IA32_SYSENTER_CS  0x174
#define MSR_IA32_SYSENTER_ESP 0x175
#define MSR_IA32_SYSENTER_EIP 0x176
#define MSR_IA32_PAT          0x277
#define MSR_IA32_APIC_BASE    0x1b

/* CPUID bits we test (Intel SDM Vol. 2A, CPUID instruction). */
#define CPUID1_ECX_VMX            (1 << 5)
#define CPUID1_ECX_HYPERVISOR     (1 << 31)
#define CPUID1_EDX_PSE            (1 << 3)
#define CPUID1_EDX_PAE            (1 << 6)
#define CPUID1_EDX_PGE            (1 << 13)
#define CPUID80000001_EDX_NX      (1 << 20)
#define CPUID80000001_EDX_PDPE1GB (1 << 26)
#define CPUID80000001_EDX_LM      (1 << 29)

#endif
