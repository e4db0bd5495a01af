#ifndef VMX_VM_GUESTS_H
#define VMX_VM_GUESTS_H

#include <stdbool.h>
#include <stdint.h>

#include "boot/bootinfo.h"
#include "vmx/load/mbload.h"

#define GUEST_LIST_MAX           32
#define GUEST_MODULES_MAX        8
#define GUEST_NAME_MAX           48
#define GUEST_RAM_DEFAULT_MIB    128 /* a guest given as a boot module */
#define GUEST_RAM_BUILTIN_MIB    32  /* a built-in test guest */
#define GUEST_MODULE_CMDLINE_MAX 256 /* a module handed to a guest (hv.module) */
#define GUEST_TIMEOUT_DEFAULT_S  600 /* guest seconds before a guest is stopped */

/* One guest to run: its kernel image, command line, RAM and modules. */
struct guest_spec {
	char name[GUEST_NAME_MAX];
	const uint8_t *image;
	uint64_t size;
	char cmdline[BOOT_CMDLINE_MAX];
	uint64_t ram_bytes;
	struct mbload_module modules[GUEST_MODULES_MAX];
	char module_cmdlines[GUEST_MODULES_MAX][GUEST_MODULE_CMDLINE_MAX];
	uint32_t module_count;
	bool force_eax; /* test-only hv.eax=<hex>: start with this EAX instead */
	uint32_t eax;
	uint64_t timeout_s; /* hv.timeout=<seconds>: its run-time limit in guest time */
	bool console_raw;   /* hv.console=raw: its serial output as it is, not in lines */
	bool apic_off;      /* hv.apic=off: the local APIC starts globally disabled */
};

/*
 * The guests this boot runs. With boot modules (GRUB `module2 FILE ARGS...`),
 * each module is a guest kernel run in order, ARGS its command line, except
 * that a module whose ARGS contain the word `hv.module` is handed to the
 * guest before it as one of its own modules (e.g. an environment file).
 * Words the hypervisor takes from ARGS: `hv.ram=<MiB>` (guest RAM, default
 * 128, or `hv.guest_ram=<MiB>` on the hypervisor's command line) and
 * `hv.name=<name>` (for the log and hv.guest; GRUB 2 passes no file name, so
 * the default is "module<N>", or the file name from our EFI loader), and,
 * for tests only, `hv.eax=<hex>` (start the guest with that EAX instead of
 * the multiboot magic, to see the kernel refuse it). Without
 * boot modules: the built-in test guests, 32 MiB each. `hv.guest=<name>` on
 * the hypervisor's command line keeps only that guest.
 * Returns the count; problems (too many guests, an attached module without a
 * guest) are printed.
 */
uint32_t guest_list_build(const struct boot_info *bi, struct guest_spec *out, uint32_t cap);

#endif
