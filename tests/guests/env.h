/* What the guest was started with and where it runs: multiboot info and CPUID. */
#ifndef GUESTS_ENV_H
#define GUESTS_ENV_H

#include <stdbool.h>
#include <stdint.h>

#define MB1_BOOT_MAGIC 0x2badb002u

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
	bool full; /* "full" on the command line: exhaustive variants */
	bool pse, pae, pge, nx, pdpe1gb, long_mode;
	uint32_t maxphyaddr;
	char hv_vendor[13];
};

extern struct guest_env env;

/* Reads the multiboot info and CPUID; prints one "env:" information line. */
void env_init(uint32_t magic, uint32_t mbi);
bool env_is_tcg(void);
const char *env_name(void);

#endif
