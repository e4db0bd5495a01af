/* What the guest was started with and where it runs: multiboot v1 or v2 info and CPUID. */
#ifndef GUESTS_ENV_H
#define GUESTS_ENV_H

#include <stdbool.h>
#include <stdint.h>

#define MB1_BOOT_MAGIC 0x2badb002u
#define MB2_BOOT_MAGIC 0x36d76289u

/* Bits of env.mb_flags: the v1 information flags; for a v2 boot, the same bits tell which
 * tags were present. */
#define MBI_FLAG_MEM     (1u << 0)
#define MBI_FLAG_CMDLINE (1u << 2)
#define MBI_FLAG_MODS    (1u << 3)
#define MBI_FLAG_MMAP    (1u << 6)

#define ENV_MAX_MODULES 8
#define ENV_MAX_MMAP    16
#define ENV_MOD_CMDLINE 64

/* A module as the loader described it (v1 mods list or v2 module tag). */
struct env_module {
	uint32_t start, end;
	char cmdline[ENV_MOD_CMDLINE];
};

/* A memory-map entry (v1 mmap or v2 memory map tag); type 1 is available RAM. */
struct env_mmap {
	uint64_t base, length;
	uint32_t type;
};

enum env_kind {
	ENV_BARE,     /* no hypervisor bit: hardware or Bochs */
	ENV_TCG,      /* QEMU TCG ("TCGTCGTCGTCG") */
	ENV_HVX86,    /* this project's hypervisor ("hvx86hvx86hv") */
	ENV_OTHER_HV, /* some other hypervisor (KVM, ...) */
};

struct guest_env {
	enum env_kind kind;
	uint32_t boot_magic;
	uint32_t mb_flags;
	uint64_t ram_end;      /* first byte above the RAM given by mem_upper */
	uintptr_t mb_data_end; /* end of the multiboot data above 1 MiB (do not allocate below) */
	char cmdline[128];
	uint32_t mod_count; /* as reported; only the first ENV_MAX_MODULES are kept */
	struct env_module mods[ENV_MAX_MODULES];
	uint32_t mmap_count; /* kept entries */
	struct env_mmap mmap[ENV_MAX_MMAP];
	bool full; /* "full" on the command line: exhaustive variants */
	bool pse, pae, pge, nx, pdpe1gb, long_mode;
	uint32_t maxphyaddr;
	char hv_vendor[13];
};

extern struct guest_env env;

/* Reads the multiboot info and CPUID; prints one "env:" information line. */
void env_init(uint32_t magic, uint32_t mbi);
/* The v1 or v2 information into env (env_mb.c); other magics leave env as it is. */
void env_read_multiboot(uint32_t magic, uint32_t mbi);
bool env_is_tcg(void);
const char *env_name(void);

#endif
