/* guest-iso-state-check: run after guest-iso-state-set. Reads every family -set planted
 * before changing any of them and expects what a CPU hands a freshly loaded kernel:
 *   x87      FCW 0x037f, FSW 0, FTW empty (FXSAVE tag byte 0): the state after FNINIT
 *            (SDM Vol. 1 §8.1.5); off hvx86 the power-up state is accepted too (FCW
 *            0x0040, all registers valid +0.0, SDM Vol. 3A Table 10-1) for firmware that
 *            never ran FNINIT; data registers ST0-ST7 zero either way
 *   SSE      MXCSR 0x1f80, XMM0-XMM15 zero (SDM Vol. 3A Table 10-1)
 *   debug    DR0-DR3 0, DR6 0xffff0ff0, DR7 0x400 (SDM Vol. 3A Table 10-1)
 *   MSRs     IA32_DEBUGCTL, KERNEL_GS_BASE, STAR, LSTAR, CSTAR, FMASK 0 (what hardware
 *            resets them to; the SDM leaves MSR reset values undefined, Vol. 3A Table 10-1)
 *   TPR      CR8 0 and the APIC TPR 0 (SDM Vol. 3A §11.4.7.1 APIC state after reset)
 *   CR4.PCE  clear, so RDPMC at CPL 3 raises #GP(0) (SDM Vol. 2B RDPMC)
 * Then what the guest writes is what it reads back and what the CPU uses
 * (iso_state_syscall.c). */
#include "tests/guests/cpu.h"
#include "tests/guests/env.h"
#include "tests/guests/guest.h"
#include "tests/guests/iso.h"
#include "tests/guests/iso_state.h"
#include "tests/guests/platform.h"
#include "tests/guests/probe.h"
#include "tests/guests/report.h"

const char guest_name[] = "iso-state-check";

/* The x87 state at power-up (SDM Vol. 3A Table 10-1): FCW 0x0040, FTW 0x5555 (every
 * register valid, holding +0.0): FXSAVE's abridged tag byte 0xff. Firmware that never ran
 * FNINIT (Bochs's BIOS and GRUB) hands it over unchanged; hvx86 must hand over FNINIT's. */
#define FCW_POWER_UP      0x0040u
#define FTW_POWER_UP      0xffu
#define FMASK_BOCHS_RESET 0x00020200ull

/* Everything read at entry, before the guest itself changes any of it. */
struct entry_state {
	unsigned long cr0, cr4, cr8;
	uint64_t dr[4], dr6, dr7;
	bool debugctl_gp;
	uint64_t debugctl;
	uint64_t msr[5];
	bool msr_gp[5];
};

static const uint32_t msrs[5] = {MSR_KERNEL_GS_BASE, MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_FMASK};
static struct entry_state at_entry;
static struct fxsave_area fx;

static void read_entry_state(struct entry_state *s)
{
	s->cr0 = read_cr0();
	s->cr4 = read_cr4();
	s->cr8 = state_read_cr8();
	for (unsigned n = 0; n < 4; n++)
		s->dr[n] = state_read_dr(n);
	s->dr6 = state_read_dr(6);
	s->dr7 = state_read_dr(7);
	s->debugctl_gp = try_rdmsr(MSR_DEBUGCTL, &s->debugctl);
	for (unsigned i = 0; i < 5; i++)
		s->msr_gp[i] = try_rdmsr(msrs[i], &s->msr[i]);
}

static bool all_zero(const void *p, unsigned bytes)
{
	const uint8_t *b = p;
	for (unsigned i = 0; i < bytes; i++)
		if (b[i])
			return false;
	return true;
}

static void check_fpu(void)
{
	state_fpu_enable(); /* CR0.EM/TS and CR4.OSFXSR only: the state stays as it was */
	state_fxsave(&fx);
	bool fninit = fx.fcw == FCW_FNINIT && fx.fsw == 0 && fx.ftw == 0;
	bool power_up = fx.fcw == FCW_POWER_UP && fx.fsw == 0 && fx.ftw == FTW_POWER_UP &&
	                env.kind != ENV_HVX86;
	report(fninit || power_up,
	       "x87: FCW 0x037f, FSW 0, all empty (FNINIT); off hvx86 also the power-up state",
	       "FCW 0x%x FSW 0x%x FTW 0x%x", fx.fcw, fx.fsw, fx.ftw);
	if (power_up)
		report_info("x87 in its power-up state (FCW 0x0040, all registers +0.0): no FNINIT "
		            "ran before this kernel");
	bool st = true;
	for (unsigned i = 0; i < 8; i++)
		st &= all_zero(fx.st[i], 10);
	report(st, "x87: data registers ST0-ST7 hold zero", "ST0 bytes 0x%x%x...", fx.st[0][9],
	       fx.st[0][8]);
	report(fx.mxcsr == MXCSR_RESET, "SSE: MXCSR 0x1f80", "MXCSR 0x%x", fx.mxcsr);
	unsigned bad = 16;
	for (unsigned r = 16; r-- > 0;)
		if (!all_zero(fx.xmm[r], 16))
			bad = r;
	report(bad == 16, "SSE: XMM0-XMM15 zero", "XMM%u 0x%x 0x%x 0x%x 0x%x", bad,
	       bad < 16 ? fx.xmm[bad][0] : 0, bad < 16 ? fx.xmm[bad][1] : 0,
	       bad < 16 ? fx.xmm[bad][2] : 0, bad < 16 ? fx.xmm[bad][3] : 0);
}

static void check_debug(const struct entry_state *s)
{
	report(!s->dr[0] && !s->dr[1] && !s->dr[2] && !s->dr[3], "DR0-DR3 zero",
	       "DR0 0x%llx DR1 0x%llx DR2 0x%llx DR3 0x%llx", (unsigned long long)s->dr[0],
	       (unsigned long long)s->dr[1], (unsigned long long)s->dr[2],
	       (unsigned long long)s->dr[3]);
	report(s->dr6 == DR6_RESET, "DR6 0xffff0ff0", "DR6 0x%llx", (unsigned long long)s->dr6);
	report(s->dr7 == DR7_RESET, "DR7 0x400", "DR7 0x%llx", (unsigned long long)s->dr7);
	if (s->debugctl_gp && env.kind != ENV_HVX86) /* hvx86 has DEBUGCTL (BTF) */
		report_skip("IA32_DEBUGCTL 0", "RDMSR of IA32_DEBUGCTL raises #GP here");
	else
		report(!s->debugctl_gp && s->debugctl == 0, "IA32_DEBUGCTL 0",
		       "RDMSR fault %d, DEBUGCTL 0x%llx", s->debugctl_gp,
		       (unsigned long long)s->debugctl);
}

static void check_msrs(const struct entry_state *s)
{
	static const char *const names[5] = {
	    "IA32_KERNEL_GS_BASE 0", "IA32_STAR 0", "IA32_LSTAR 0", "IA32_CSTAR 0", "IA32_FMASK 0",
	};
	for (unsigned i = 0; i < 5; i++) {
		/* MSR reset values are undefined (SDM Vol. 3A Table 10-1); hardware has 0, Bochs
		 * starts FMASK at 0x20200 (IF and VM). Never taken under hvx86. */
		if (msrs[i] == MSR_FMASK && s->msr[i] == FMASK_BOCHS_RESET && iso_is_bochs())
			report_skip(names[i], "Bochs resets IA32_FMASK to 0x20200");
		else
			report(!s->msr_gp[i] && s->msr[i] == 0, names[i],
			       "RDMSR 0x%x: fault %d value 0x%llx", msrs[i], s->msr_gp[i],
			       (unsigned long long)s->msr[i]);
	}
}

static void check_tpr_pce(uintptr_t root, const struct entry_state *s)
{
	iso_map_apic(root);
	uint32_t tpr = iso_apic_read(APIC_TPR);
	report(s->cr8 == 0 && tpr == 0, "CR8 0 and the APIC TPR (0xfee00080) 0",
	       "CR8 0x%lx TPR 0x%x", s->cr8, tpr);
	report(!(s->cr4 & CR4_PCE), "CR4.PCE clear", "CR4 at entry 0x%lx", s->cr4);
	bool f = state_user_rdpmc();
	report(f && fault_is(VEC_GP, 0, 0), "RDPMC ECX=0 at CPL 3 with CR4.PCE = 0: #GP(0)",
	       "fault %d vector %u error 0x%x", f, last_fault.vector, last_fault.error);
}

void guest_main(void)
{
	read_entry_state(&at_entry);
	report_info("at C entry (long mode on, nothing else changed): CR0 0x%lx CR4 0x%lx",
	            at_entry.cr0, at_entry.cr4);
	uintptr_t root = iso_long_setup();
	check_fpu();
	check_debug(&at_entry);
	check_msrs(&at_entry);
	check_tpr_pce(root, &at_entry);
	state_syscall_tests();
}
