/*
 * The common boot information. Every way into the kernel (multiboot1,
 * multiboot2 under BIOS or UEFI, the direct EFI entry) is turned into this one
 * structure before kernel_main() runs, so nothing after it knows how we booted.
 */
#ifndef BOOT_BOOTINFO_H
#define BOOT_BOOTINFO_H

#include <stdint.h>

#define BOOT_MAX_REGIONS 128
#define BOOT_MAX_MODULES 32
#define BOOT_CMDLINE_MAX 4096 /* a Linux command line of 2 KiB and more fits */
#define BOOT_ERROR_MAX   128

enum boot_path {
	BOOT_PATH_NONE = 0,
	BOOT_PATH_MB1,      /* "[MB1]":      multiboot1, e.g. QEMU -kernel */
	BOOT_PATH_MB2_BIOS, /* "[MB2 BIOS]": GRUB multiboot2 from BIOS      */
	BOOT_PATH_MB2_UEFI, /* "[MB2 UEFI]": GRUB multiboot2 from UEFI      */
	BOOT_PATH_EFI,      /* "[EFI]":      our own gnu-efi loader         */
};

/* Memory types, numbered as in the multiboot/E820 convention. */
enum mem_type {
	MEM_USABLE = 1,
	MEM_RESERVED = 2,
	MEM_ACPI_RECLAIM = 3,
	MEM_ACPI_NVS = 4,
	MEM_BAD = 5,
};

struct mem_region {
	uint64_t base;
	uint64_t length;
	uint32_t type; /* enum mem_type */
	uint32_t reserved0;
};

struct boot_module {
	uint64_t start; /* physical, inclusive */
	uint64_t end;   /* physical, exclusive */
	char cmdline[BOOT_CMDLINE_MAX];
};

struct boot_info {
	uint32_t path; /* enum boot_path */
	uint32_t region_count;
	struct mem_region regions[BOOT_MAX_REGIONS];
	uint32_t module_count;
	struct boot_module modules[BOOT_MAX_MODULES];
	char cmdline[BOOT_CMDLINE_MAX];
	uint64_t loader_info_start; /* the loader's own info block: reserve it */
	uint64_t loader_info_end;
	uint64_t mem_lower_kib; /* from basic meminfo when present, else 0 */
	uint64_t mem_upper_kib;
	char error[BOOT_ERROR_MAX]; /* why parsing failed: the bad field */
	uint64_t efi_system_table;  /* physical, from MB2 tag 11/12 or the EFI loader; else 0 */
	uint32_t efi_bs_active;     /* 1: boot services still run (MB2 tag 18): keep their memory */
	uint32_t reserved1;
};

const char *boot_path_name(uint32_t path);

#endif
