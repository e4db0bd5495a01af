/* Environment detection: multiboot v1 info (Multiboot 0.6.96 §3.3) and CPUID leaves. */
#include "tests/guests/env.h"

#include "tests/guests/console.h"
#include "tests/guests/cpu.h"
#include "tests/guests/report.h"

struct guest_env env;

/* Multiboot info flags and field offsets. */
#define MBI_FLAG_MEM     (1u << 0)
#define MBI_FLAG_CMDLINE (1u << 2)
#define MBI_FLAG_MODS    (1u << 3)
#define MBI_MEM_UPPER    8
#define MBI_CMDLINE      16
#define MBI_MODS_COUNT   20
#define MBI_MODS_ADDR    24
#define MBI_SIZE         88
#define MB_MOD_SIZE      16

/* CPUID feature bits (SDM Vol. 2A, CPUID). */
#define CPUID1_EDX_PSE        (1u << 3)
#define CPUID1_EDX_PAE        (1u << 6)
#define CPUID1_EDX_PGE        (1u << 13)
#define CPUID1_ECX_HYPERVISOR (1u << 31)
#define CPUIDX1_EDX_NX        (1u << 20)
#define CPUIDX1_EDX_PDPE1GB   (1u << 26)
#define CPUIDX1_EDX_LM        (1u << 29)

static uint32_t rd32(uintptr_t addr)
{
	return *(volatile uint32_t *)addr;
}

static void note_end(uintptr_t end)
{
	if (end > env.mb_data_end)
		env.mb_data_end = end;
}

static void read_cmdline(uintptr_t s)
{
	uint32_t n = 0;
	while (n + 1 < sizeof(env.cmdline) && ((const char *)s)[n]) {
		env.cmdline[n] = ((const char *)s)[n];
		n++;
	}
	env.cmdline[n] = 0;
	note_end(s + n + 1);
	/* "full" as a separate word anywhere on the command line. */
	for (uint32_t i = 0; i < n; i++) {
		bool start = i == 0 || env.cmdline[i - 1] == ' ';
		const char *w = &env.cmdline[i];
		if (start && w[0] == 'f' && w[1] == 'u' && w[2] == 'l' && w[3] == 'l' &&
		    (w[4] == 0 || w[4] == ' '))
			env.full = true;
	}
}

static void read_multiboot(uint32_t mbi)
{
	env.mb_flags = rd32(mbi);
	note_end(mbi + MBI_SIZE);
	if (env.mb_flags & MBI_FLAG_MEM)
		env.ram_end = 0x100000ull + (uint64_t)rd32(mbi + MBI_MEM_UPPER) * 1024;
	if (env.mb_flags & MBI_FLAG_CMDLINE)
		read_cmdline(rd32(mbi + MBI_CMDLINE));
	if (env.mb_flags & MBI_FLAG_MODS) {
		uint32_t count = rd32(mbi + MBI_MODS_COUNT), mods = rd32(mbi + MBI_MODS_ADDR);
		note_end(mods + count * MB_MOD_SIZE);
		for (uint32_t i = 0; i < count; i++)
			note_end(rd32(mods + i * MB_MOD_SIZE + 4));
	}
}

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
	if (magic == MB1_BOOT_MAGIC)
		read_multiboot(mbi);
	read_cpuid();
	report_info("env %s, RAM end 0x%llx, nx=%d pdpe1gb=%d pge=%d maxphyaddr=%u, cmdline '%s'",
	            env_name(), (unsigned long long)env.ram_end, env.nx, env.pdpe1gb, env.pge,
	            env.maxphyaddr, env.cmdline);
}
