/* guest-iso-state-check, second part: what the guest writes is what it reads back and
 * what the CPU uses while it runs. SYSCALL from ring 3 through LSTAR with EFER.SCE = 1
 * (RCX = return RIP, R11 = RFLAGS, FMASK applied), SYSRET back (SDM Vol. 2B SYSCALL,
 * SYSRET); SWAPGS exchanges IA32_GS_BASE and IA32_KERNEL_GS_BASE (SDM Vol. 2B SWAPGS);
 * with EFER.SCE = 0 SYSCALL is #UD; RDMSR returns what WRMSR wrote. */
#include "tests/guests/cpu.h"
#include "tests/guests/desc.h"
#include "tests/guests/iso.h"
#include "tests/guests/iso_state.h"
#include "tests/guests/platform.h"
#include "tests/guests/probe.h"
#include "tests/guests/report.h"

/* STAR[47:32]: SYSCALL's CS (SS = +8); STAR[63:48]: SYSRET's base, CS = +16, SS = +8
 * (SDM Vol. 3A §5.8.8). With this GDT SYSRET lands on SEL_UCODE64 and SEL_UDATA. */
#define STAR_SYSCALL_SHIFT 32
#define STAR_SYSRET_SHIFT  48
#define SYSRET_BASE        (SEL_UCODE64 - 16)
_Static_assert((SYSRET_BASE | 3) + 8 == SEL_UDATA, "SYSRET SS must be the user data segment");

static volatile uint64_t gs_word_user = 0x1111222233334444ull;
static volatile uint64_t gs_word_kernel = 0x5555666677778888ull;

static void syscall_enable(uintptr_t target)
{
	wrmsr(MSR_STAR, (uint64_t)SYSRET_BASE << STAR_SYSRET_SHIFT | (uint64_t)SEL_KCODE64
	                                                                 << STAR_SYSCALL_SHIFT);
	wrmsr(MSR_LSTAR, target);
	wrmsr(MSR_FMASK, RFLAGS_CF);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
}

static void test_syscall_sysret(void)
{
	syscall_enable((uintptr_t)iso_syscall_entry);
	iso_sys_count = 0;
	iso_arm();
	uint32_t back = user_enter((uintptr_t)iso_user_syscall, 0, 0);
	uint64_t user_flags = RFLAGS_FIXED | RFLAGS_CF; /* user_enter's RFLAGS, then STC */
	report(!last_fault.taken && iso_sys_count == 1 &&
	           iso_sys_rcx == (uintptr_t)iso_user_syscall_ret && iso_sys_r11 == user_flags,
	       "syscall: SYSCALL at CPL 3 reaches LSTAR with RCX = return RIP, R11 = RFLAGS",
	       "fault %d (vector %u), calls %llu, RCX 0x%llx (want 0x%lx), R11 0x%llx",
	       last_fault.taken, last_fault.vector, (unsigned long long)iso_sys_count,
	       (unsigned long long)iso_sys_rcx, (unsigned long)iso_user_syscall_ret,
	       (unsigned long long)iso_sys_r11);
	report(!(iso_sys_flags & RFLAGS_CF) && back == ISO_SYSCALL_BACK,
	       "syscall: FMASK cleared CF in the handler, SYSRETQ returned to CPL 3",
	       "handler RFLAGS 0x%llx, user stub returned 0x%x", (unsigned long long)iso_sys_flags,
	       back);
}

static void test_sce_off(void)
{
	syscall_enable((uintptr_t)iso_syscall_kernel_entry);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) & ~EFER_SCE);
	iso_sys_count = 0;
	iso_arm();
	__asm__ volatile("1: syscall\n2:\n" FIXUP("1b", "2b") : : : "rcx", "r11", "memory");
	report(fault_is(VEC_UD, 0, 0) && iso_sys_count == 0,
	       "syscall: with EFER.SCE = 0 SYSCALL is #UD",
	       "fault %d vector %u, handler ran %llu times", last_fault.taken, last_fault.vector,
	       (unsigned long long)iso_sys_count);
}

static uint64_t gs_read(void)
{
	uint64_t v;
	__asm__ volatile("mov %%gs:0, %0" : "=r"(v));
	return v;
}

static void test_swapgs(void)
{
	uintptr_t user = (uintptr_t)&gs_word_user, kernel = (uintptr_t)&gs_word_kernel;
	wrmsr(MSR_GS_BASE, user);
	wrmsr(MSR_KERNEL_GS_BASE, kernel);
	uint64_t before = gs_read();
	__asm__ volatile("swapgs" ::: "memory");
	uint64_t gs = rdmsr(MSR_GS_BASE), kgs = rdmsr(MSR_KERNEL_GS_BASE), after = gs_read();
	__asm__ volatile("swapgs" ::: "memory");
	uint64_t back = rdmsr(MSR_GS_BASE);
	report(before == gs_word_user && gs == kernel && kgs == user && after == gs_word_kernel &&
	           back == user,
	       "swapgs: exchanges GS base and KERNEL_GS_BASE, %gs: accesses follow",
	       "GS base 0x%llx KGS 0x%llx after, reads 0x%llx/0x%llx, back 0x%llx",
	       (unsigned long long)gs, (unsigned long long)kgs, (unsigned long long)before,
	       (unsigned long long)after, (unsigned long long)back);
	wrmsr(MSR_GS_BASE, 0);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}

static void test_readback(void)
{
	static const struct {
		uint32_t msr;
		uint64_t value;
	} w[] = {
	    {MSR_STAR, 0x001b000800001234ull},           {MSR_LSTAR, 0xffffffff81000000ull},
	    {MSR_CSTAR, 0x00007fffffff0000ull},          {MSR_FMASK, 0x00000700ull},
	    {MSR_KERNEL_GS_BASE, 0xffff888000000000ull},
	};
	uint32_t bad = 0;
	uint64_t v = 0;
	for (unsigned i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		bool f = try_wrmsr(w[i].msr, w[i].value) || try_rdmsr(w[i].msr, &v);
		if (!bad && (f || v != w[i].value))
			bad = w[i].msr;
		try_wrmsr(w[i].msr, 0);
	}
	report(!bad, "msr: STAR, LSTAR, CSTAR, FMASK, KERNEL_GS_BASE read back what was written",
	       "MSR 0x%x reads 0x%llx", bad, (unsigned long long)v);
}

void state_syscall_tests(void)
{
	test_syscall_sysret();
	test_sce_off();
	test_swapgs();
	test_readback();
}
