/* guest-iso-features: the CPU model is honest. For every feature CPUID advertises that
 * can be probed, it works; for one it does not advertise, the fault the SDM defines for
 * that case arrives. One PASS/FAIL/SKIP line per feature; SKIP only for a feature that is
 * not advertised and has no defined fault (or a known emulator defect). */
#ifndef GUESTS_ISO_FEATURES_H
#define GUESTS_ISO_FEATURES_H

#include <stdbool.h>
#include <stdint.h>

/* CPUID feature bits (SDM Vol. 2A CPUID, Tables 3-8 to 3-11; leaf 7 and 0x80000001). */
#define F1_EDX_TSC      4
#define F1_EDX_MSR      5
#define F1_EDX_MTRR     12
#define F1_EDX_MCA      14
#define F1_EDX_CMOV     15
#define F1_EDX_PAT      16
#define F1_EDX_SEP      11
#define F1_EDX_FXSR     24
#define F1_EDX_SSE      25
#define F1_EDX_SSE2     26
#define F1_ECX_SSE3     0
#define F1_ECX_MONITOR  3
#define F1_ECX_SSSE3    9
#define F1_ECX_CX16     13
#define F1_ECX_PCID     17
#define F1_ECX_SSE41    19
#define F1_ECX_SSE42    20
#define F1_ECX_X2APIC   21
#define F1_ECX_MOVBE    22
#define F1_ECX_POPCNT   23
#define F1_ECX_XSAVE    26
#define F1_ECX_OSXSAVE  27
#define F7_EBX_FSGSBASE 0
#define F7_EBX_SMEP     7
#define F7_EBX_SMAP     20
#define FX_ECX_LAHF     0
#define FX_EDX_NX       20
#define FX_EDX_1GB      26
#define FX_EDX_RDTSCP   27
#define F6_ECX_APERF    0

/* CR4 bits of the features (SDM Vol. 3A §2.5). */
#define CR4_TSD        (1ul << 2)
#define CR4_OSFXSR     (1ul << 9)
#define CR4_OSXMMEXCPT (1ul << 10)
#define CR4_FSGSBASE   (1ul << 16)
#define CR4_PCIDE      (1ul << 17)
#define CR4_OSXSAVE    (1ul << 18)
#define CR4_SMEP       (1ul << 20)
#define CR4_SMAP       (1ul << 21)

/* The reason of a SKIP for a feature CPUID does not advertise and whose absence the SDM
 * gives no fault for. */
#define SKIP_ABSENT "not advertised, no defined fault to check"

bool feat_leaf1_edx(unsigned bit);
bool feat_leaf1_ecx(unsigned bit);
bool feat_leaf7_ebx(unsigned bit);
bool feat_ext_edx(unsigned bit);
bool feat_ext_ecx(unsigned bit);

/* For a feature without a defined fault: SKIP (SKIP_ABSENT) and true when CPUID does not
 * advertise it; the caller then checks nothing. */
bool feat_skip_absent(const char *name, bool advertised);

/* The groups, in the order iso_features.c runs them. */
void features_insn_tests(void);
void features_cr4_tests(uintptr_t root);

#endif
