/*
 * From the multiboot entry to the end of the boot: convert the loader's
 * information, print the banner, bring up memory, run the self-test, and
 * leave the machine with a status.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/cr.h"
#include "arch/x86/fpu.h"
#include "arch/x86/gdt.h"
#include "arch/x86/lapic.h"
#include "arch/x86/pic.h"
#include "arch/x86/platform_exit.h"
#include "arch/x86/printf.h"
#include "arch/x86/serial.h"
#include "arch/x86/trap.h"
#include "arch/x86/tsc.h"
#include "boot/bootinfo.h"
#include "boot/cmdline.h"
#include "boot/kernel.h"
#include "boot/layout.h"
#include "boot/mb1_parse.h"
#include "boot/mb2_parse.h"
#include "mm/kmem.h"
#include "boot/selftest.h"
#include "vmx/vm/run.h"

#ifndef HV_VERSION
#define HV_VERSION "unknown"
#endif
#ifndef HV_BUILD_TYPE
#define HV_BUILD_TYPE "debug"
#endif

static struct boot_info boot_info;

static void print_cpu_line(void)
{
	struct cpuid_regs v = cpuid(0, 0);
	char vendor[13];
	__builtin_memcpy(vendor, &v.ebx, 4);
	__builtin_memcpy(vendor + 4, &v.edx, 4);
	__builtin_memcpy(vendor + 8, &v.ecx, 4);
	vendor[12] = '\0';

	struct cpuid_regs f = cpuid(1, 0);
	uint32_t family = (f.eax >> 8) & 0xf, model = (f.eax >> 4) & 0xf;
	if (family == 0xf)
		family += (f.eax >> 20) & 0xff;
	if (family == 0x6 || family >= 0xf)
		model |= ((f.eax >> 16) & 0xf) << 4;
	printf("cpu: %s family 0x%x model 0x%x vmx=%s%s\n", vendor, family, model,
	       (f.ecx & CPUID1_ECX_VMX) ? "yes" : "no",
	       (f.ecx & CPUID1_ECX_HYPERVISOR) ? " (under a hypervisor)" : "");
}

static void deliberate_fault(const char *cmdline)
{
	if (cmdline_has(cmdline, "hv.fault=pf")) {
		printf("hv: faulting on purpose (hv.fault=pf)\n");
		*(volatile uint64_t *)0xdead0000000ull = 1;
	}
	if (cmdline_has(cmdline, "hv.fault=ud")) {
		printf("hv: faulting on purpose (hv.fault=ud)\n");
		__asm__ volatile("ud2");
	}
}

void kernel_main(struct boot_info *bi)
{
	printf("hv: hv-x86 microhypervisor %s (%s) [%s] cmdline=\"%s\"\n", HV_VERSION,
	       HV_BUILD_TYPE, boot_path_name(bi->path), bi->cmdline);
	print_cpu_line();
	fpu_enable();
	host_pic_disable();
	tsc_calibrate();
	host_lapic_init();
	if (kmem_init(bi) != 0)
		platform_exit(HV_EXIT_FAILURE);

	int failures = selftest_run();
	deliberate_fault(bi->cmdline);
	struct vmx_outcome guests = vmx_run_guests(bi);
	/* Guests given as boot modules decide the status, as under QEMU -kernel:
	 * the last guest's exit status becomes ours. */
	uint8_t status = failures || guests.failed ? HV_EXIT_FAILURE : HV_EXIT_SUCCESS;
	if (guests.from_modules && guests.run) {
		status = (uint8_t)guests.last_status;
		printf("hv: exit status %u (the last guest's)\n", status);
	}
	printf("hv: done\n");
	platform_exit(status);
}

/* Called from boot/efi_entry.S: the loader's boot_info is copied first,
 * since its memory becomes ordinary free RAM. */
void kernel_main_efi(const struct boot_info *loader_bi);
void kernel_main_efi(const struct boot_info *loader_bi)
{
	serial_init();
	gdt_init();
	idt_init();
	__builtin_memcpy(&boot_info, loader_bi, sizeof(boot_info));
	kernel_main(&boot_info);
}

/* Called from boot/entry32.S in long mode, low 4 GiB identity mapped. */
void kernel_main_multiboot(uint32_t magic, uint32_t info_phys);
void kernel_main_multiboot(uint32_t magic, uint32_t info_phys)
{
	const void *info = (const void *)(uintptr_t)info_phys;
	int rc;

	serial_init();
	gdt_init();
	idt_init();
	if (magic == MB2_BOOT_MAGIC)
		rc = bootinfo_from_mb2(&boot_info, info);
	else
		rc = bootinfo_from_mb1(&boot_info, info);
	if (rc < 0) {
		printf("hv: boot: bad boot information: %s\n", boot_info.error);
		printf("hv: done\n");
		platform_exit(HV_EXIT_FAILURE);
	}
	kernel_main(&boot_info);
}
