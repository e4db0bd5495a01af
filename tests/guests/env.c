/* Environment detection: the multiboot information (env_mb.c) and CPUID leaves. */
#include "tests/guests/env.h"

#include "tests/guests/console.h"
#include "tests/guests/cpu.h"
#include "tests/guests/report.h"

struct guest_env env;

/* CPUID feature bits (SDM Vol. 2A, CPUID). */
#define CPUID1_EDX_PSE        (1u << 3)
#define CPUID1_EDX_PAE        (1u << 6)
#define CPUID1_EDX_PGE        (1u << 13)
#define CPUID1_ECX_HYPERVISOR (1u << 31)
#define CPUIDX1_EDX_NX        (1u << 20)
#define CPUIDX1_EDX_PDPE1GB   (1u << 26)
#define CPUIDX1_EDX_LM        (1u << 29)

static void read_cpuid(void)
{
	uint32_t r[4];
	cpuid(1, 0, r);
	env.pse = r[3] & CPUID1_EDX_PSE;
	env.pae = r[3] & CPUID1_EDX_PAE;
	env.pge = r[3] & CPUID1_EDX_PGE;
	env.kind = ENV_BARE;
	if (r[2] & CPUID1_ECX_HYPERVISOR) {
		cpuid(0x40000000, 0, r);
		uint32_t *v = (uint32_t *)env.hv_vendor;
		v[0] = r[1];
		v[1] = r[2];
		v[2] = r[3];
		env.hv_vendor[12] = 0;
		if (__builtin_memcmp(env.hv_vendor, "TCGTCGTCGTCG", 12) == 0)
			env.kind = ENV_TCG;
		else if (__builtin_memcmp(env.hv_vendor, "hvx86hvx86hv", 12) == 0)
			env.kind = ENV_HVX86;
		else
			env.kind = ENV_OTHER_HV;
	}
	cpuid(0x80000000, 0, r);
	uint32_t max_ext = r[0];
	if (max_ext >= 0x80000001) {
		cpuid(0x80000001, 0, r);
		env.nx = r[3] & CPUIDX1_EDX_NX;
		env.pdpe1gb = r[3] & CPUIDX1_EDX_PDPE1GB;
		env.long_mode = r[3] & CPUIDX1_EDX_LM;
	}
	/* SDM Vol. 3A §4.1.4: without leaf 0x80000008, MAXPHYADDR is 36 with PAE, else 32. */
	env.maxphyaddr = env.pae ? 36 : 32;
	if (max_ext >= 0x80000008) {
		cpuid(0x80000008, 0, r);
		env.maxphyaddr = r[0] & 0xff;
	}
}

bool env_is_tcg(void)
{
	return env.kind == ENV_TCG;
}

const char *env_name(void)
{
	static const char *const names[] = {"bare", "qemu-tcg", "hvx86", "other-hypervisor"};
	return names[env.kind];
}

void env_init(uint32_t magic, uint32_t mbi)
{
	env.boot_magic = magic;
	env_read_multiboot(magic, mbi);
	read_cpuid();
	report_info("env %s, RAM end 0x%llx, nx=%d pdpe1gb=%d pge=%d maxphyaddr=%u, cmdline '%s'",
	            env_name(), (unsigned long long)env.ram_end, env.nx, env.pdpe1gb, env.pge,
	            env.maxphyaddr, env.cmdline);
}
