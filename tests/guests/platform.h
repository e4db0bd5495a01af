/* guest-platform: the small PC a multiboot kernel expects (COM1, 8259 pair, fw_cfg, local
 * APIC, unused ports) and a CPUID/CR4/MSR view that matches what is really there. Each
 * platform_*.c file checks one device or one CPU interface. */
#ifndef GUESTS_PLATFORM_H
#define GUESTS_PLATFORM_H

#include <stdbool.h>
#include <stdint.h>

/* Reason of a SKIP where the platform legitimately differs: a bare QEMU CPU model (-cpu max)
 * offers a feature our hypervisor hides. Never used under hvx86 (see platform_feature). */
#define SKIP_OFFERED            "offered by this CPU model"
/* QEMU 7.2 TCG defects in its local APIC model, reported as such and never hidden. */
#define SKIP_QEMU_APIC_BASE     "known QEMU TCG defect: IA32_APIC_BASE writes are not checked"
#define SKIP_QEMU_APIC_REENABLE "known QEMU TCG defect: the APIC cannot be enabled again"
#define SKIP_QEMU_APIC_SW_DISABLE \
	"known QEMU TCG defect: software-disabled APIC leaves LVT mask bits alone"
#define SKIP_QEMU_MSR "known QEMU TCG defect: a nonexistent MSR does not raise #GP"
/* QEMU 7.2 TCG neither raises #GP for a reserved CR4 bit nor completes the MOV: the vCPU
 * re-executes it for ever. So on TCG a CR4 bit CPUID hides is not even tried. */
#define SKIP_QEMU_CR4 "known QEMU TCG defect: reserved CR4 bit hangs MOV to CR4"


/* CPUID helpers for basic and extended (0x8000xxxx) leaves: one register of a leaf; a leaf
 * above its range's maximum reads as 0 here (hardware would repeat the highest basic leaf). */
enum { CPUID_EAX, CPUID_EBX, CPUID_ECX, CPUID_EDX };
uint32_t cpuid_reg(uint32_t leaf, uint32_t sub, int reg);
bool cpuid_bit(uint32_t leaf, uint32_t sub, int reg, unsigned bit);

/* A feature our hypervisor must hide: PASS when CPUID reports it absent; when present,
 * FAIL under hvx86 and SKIP (SKIP_OFFERED) elsewhere. */
void check_hidden_feature(const char *name, bool present);

/* Faulting accesses, recovered through the fix-up table: true when the instruction
 * faulted (see last_fault in trap.h). */
bool try_rdmsr(uint32_t msr, uint64_t *value);
bool try_wrmsr(uint32_t msr, uint64_t value);
bool try_write_cr4(unsigned long value);
/* The last recovered fault was #GP(0). */
bool last_fault_is_gp0(void);

/* The test groups, in the order platform_main.c runs them. */
void platform_cpuid_tests(void);
void platform_cr4_tests(void);
void platform_msr_tests(void);
void platform_uart_tests(void);
void platform_pic_tests(void);
void platform_port_tests(void);
void platform_fwcfg_tests(void);
void platform_apic_tests(void);
void platform_apic_base_tests(void);
void platform_exception_tests(void);

#endif
