/* guest-iso-state-set: plants a distinctive value in every register family of
 * iso_state.h, checks each reads back, and exits with them in place. The next guest,
 * guest-iso-state-check, must not see any of them. */
#include "tests/guests/cpu.h"
#include "tests/guests/env.h"
#include "tests/guests/guest.h"
#include "tests/guests/iso.h"
#include "tests/guests/iso_state.h"
#include "tests/guests/platform.h"
#include "tests/guests/probe.h"
#include "tests/guests/report.h"

const char guest_name[] = "iso-state-set";

#define FTW_ALL_VALID 0xffu /* abridged tag byte: one bit per non-empty register */

static struct fxsave_area fx;

/* FNINIT first: loads onto a stack left full by someone else would be stack faults. */
static void plant_x87(void)
{
	uint16_t fcw = SET_FCW;
	__asm__ volatile("fninit\n"
	                 "fldcw %0\n"
	                 "fld1; fldl2t; fldl2e; fldpi; fldlg2; fldln2; fldz; fldpi"
	                 :
	                 : "m"(fcw));
	state_fxsave(&fx);
	report(fx.fcw == SET_FCW && fx.ftw == FTW_ALL_VALID,
	       "x87: FLDCW 0x0f7f and eight FLD constants (FXSAVE shows them)",
	       "FCW 0x%x FSW 0x%x FTW 0x%x", fx.fcw, fx.fsw, fx.ftw);
}

static void plant_sse(void)
{
	static uint32_t regs[16][4] __attribute__((aligned(16)));
	uint32_t mxcsr = SET_MXCSR;
	for (unsigned r = 0; r < 16; r++)
		for (unsigned i = 0; i < 4; i++)
			regs[r][i] = set_xmm_word(r, i);
	__asm__ volatile(".irp r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
	                 "movdqu \\r*16(%0), %%xmm\\r\n"
	                 ".endr\n"
	                 "ldmxcsr %1"
	                 :
	                 : "r"(regs), "m"(mxcsr)
	                 : "memory");
	state_fxsave(&fx);
	bool xmm = true;
	for (unsigned r = 0; r < 16; r++)
		for (unsigned i = 0; i < 4; i++)
			xmm &= fx.xmm[r][i] == set_xmm_word(r, i);
	report(xmm && fx.mxcsr == SET_MXCSR,
	       "SSE: XMM0-XMM15 and MXCSR 0xff80 loaded (FXSAVE shows them)",
	       "XMM match %d, MXCSR 0x%x", xmm, fx.mxcsr);
}

static void plant_debug_regs(void)
{
	for (unsigned n = 0; n < 4; n++)
		state_write_dr(n, set_dr(n));
	state_write_dr(6, SET_DR6);
	state_write_dr(7, SET_DR7);
	bool ok = true;
	for (unsigned n = 0; n < 4; n++)
		ok &= state_read_dr(n) == set_dr(n);
	report(ok && state_read_dr(6) == SET_DR6 && state_read_dr(7) == SET_DR7,
	       "DR0-DR3 (write breakpoints on unmapped addresses), DR6, DR7 read back",
	       "DR0 0x%llx DR6 0x%llx DR7 0x%llx", (unsigned long long)state_read_dr(0),
	       (unsigned long long)state_read_dr(6), (unsigned long long)state_read_dr(7));
}

static void plant_debugctl(void)
{
	const char *name = "IA32_DEBUGCTL.BTF written and read back";
	uint64_t v = 0;
	if (try_wrmsr(MSR_DEBUGCTL, DEBUGCTL_BTF) && env.kind != ENV_HVX86) {
		report_skip(name, "WRMSR of DEBUGCTL.BTF raises #GP here: nothing to plant");
		return;
	}
	bool f = try_rdmsr(MSR_DEBUGCTL, &v);
	if (!f && v == 0 && env_is_tcg())
		report_skip(name, "known QEMU TCG defect: IA32_DEBUGCTL reads 0, writes dropped");
	else
		report(!f && v == DEBUGCTL_BTF, name, "RDMSR fault %d value 0x%llx", f,
		       (unsigned long long)v);
}

static void plant_msrs(void)
{
	static const struct {
		uint32_t msr;
		uint64_t value;
	} set[] = {
	    {MSR_STAR, SET_STAR},
	    {MSR_LSTAR, SET_LSTAR},
	    {MSR_CSTAR, SET_CSTAR},
	    {MSR_FMASK, SET_FMASK},
	    {MSR_KERNEL_GS_BASE, SET_KGS_BASE},
	};
	uint32_t bad = 0;
	uint64_t v = 0;
	for (unsigned i = 0; i < sizeof(set) / sizeof(set[0]); i++) {
		bool f = try_wrmsr(set[i].msr, set[i].value) || try_rdmsr(set[i].msr, &v);
		if (!bad && (f || v != set[i].value))
			bad = set[i].msr;
	}
	report(!bad, "STAR, LSTAR, CSTAR, FMASK, KERNEL_GS_BASE written and read back",
	       "MSR 0x%x: fault %d, reads 0x%llx", bad, last_fault.taken, (unsigned long long)v);
}

/* CR8 and the APIC's TPR are one register seen twice (SDM Vol. 3A §11.8.6.1). */
static void plant_tpr(uintptr_t root)
{
	iso_map_apic(root);
	state_write_cr8(SET_CR8);
	uint32_t tpr_from_cr8 = iso_apic_read(APIC_TPR);
	iso_apic_write(APIC_TPR, SET_TPR);
	unsigned long cr8 = state_read_cr8();
	report(tpr_from_cr8 == SET_CR8 << 4 && cr8 == SET_TPR >> 4,
	       "TPR: CR8 = 0xb shows as APIC TPR 0xb0; APIC TPR = 0xa7 shows as CR8 0xa",
	       "TPR after CR8 write 0x%x, CR8 after TPR write 0x%lx", tpr_from_cr8, cr8);
}

static void plant_pce(void)
{
	write_cr4(read_cr4() | CR4_PCE);
	bool f = state_user_rdpmc();
	report_info("CR4.PCE = 1: RDPMC ECX=0 at CPL 3 %s (vector %u)",
	            f ? "faulted" : "did not fault", f ? last_fault.vector : 0);
	report(read_cr4() & CR4_PCE, "CR4.PCE set", "CR4 0x%lx", read_cr4());
}

void guest_main(void)
{
	uintptr_t root = iso_long_setup();
	state_fpu_enable();
	plant_x87();
	plant_sse();
	plant_debug_regs();
	plant_debugctl();
	plant_msrs();
	plant_tpr(root);
	plant_pce();
}
