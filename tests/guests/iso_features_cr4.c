/* guest-iso-features: paging and CR4 features. Advertised: they work (NX faults a fetch,
 * a PS=1 PDPTE maps 1 GiB, XGETBV after CR4.OSXSAVE, CR4.PCIDE, SMEP faults a supervisor
 * fetch from a user page, SMAP a supervisor read of one, RDFSBASE after CR4.FSGSBASE).
 * Not advertised: the fault the SDM defines (EFER.NXE #GP, PS in a PDPTE reserved, the CR4
 * bit #GP, XGETBV #UD) (SDM Vol. 3A §2.5, §4.5, §4.6.1; Vol. 2 XGETBV, RDFSBASE). */
#include "tests/guests/cpu.h"
#include "tests/guests/env.h"
#include "tests/guests/frames.h"
#include "tests/guests/iso.h"
#include "tests/guests/iso_features.h"
#include "tests/guests/platform.h"
#include "tests/guests/probe.h"
#include "tests/guests/pt.h"
#include "tests/guests/report.h"

#define FEAT_USER_PAGE 0x40000000ul   /* a user page with a RET at its start */
#define FEAT_NX_PAGE   0x40001000ul   /* a supervisor page with a RET, NX set */
#define FEAT_HUGE_VA   0x8000000000ul /* PML4 entry 1: its own PDPT */
#define NAME_1G        "PDPE1GB: a PS=1 PDPTE maps 1 GiB; absent: PS is reserved (#PF 0x9)"
#define MSR_FS_BASE    0xc0000100u
#define FS_BASE_TEST   0x00007fffcafe0000ull
#define XCR0_X87       (1ull << 0)
#define LARGE_PAGE     (2u << 20)

static uintptr_t root, super_root;

/* A CR4 bit CPUID does not advertise: MOV to CR4 raises #GP(0) and changes nothing. QEMU
 * TCG hangs on such a MOV instead, so it is not tried there. */
static void cr4_bit_absent(const char *name, unsigned long bit)
{
	if (env_is_tcg()) {
		report_skip(name, SKIP_QEMU_CR4);
		return;
	}
	unsigned long cr4 = read_cr4();
	bool f = try_write_cr4(cr4 | bit);
	report(f && fault_is(VEC_GP, 0, 0) && read_cr4() == cr4, name,
	       "not advertised: fault %d vector %u error 0x%x, CR4 0x%lx -> 0x%lx", f,
	       last_fault.vector, last_fault.error, cr4, read_cr4());
}

/* The identity map of RAM supervisor-only (U = 0) and one user page: a tree in which SMEP
 * and SMAP can be on while this code runs. */
static uintptr_t build_super_root(uintptr_t user_frame)
{
	uintptr_t r = frame_alloc();
	uintptr_t end = (frames_usable_end() + LARGE_PAGE - 1) & ~(uintptr_t)(LARGE_PAGE - 1);
	for (uintptr_t pa = 0; pa < end; pa += LARGE_PAGE)
		pt_set(pt_entry(r, pa, 2, true), pa | PTE_P | PTE_W | PTE_PS);
	pt_set(pt_entry(r, FEAT_USER_PAGE, 1, true), user_frame | PTE_RW_USER);
	return r;
}

static void test_nx(void)
{
	const char *name = "NX: a fetch from an NX page #PF 0x11; absent: EFER.NXE raises #GP(0)";
	uint64_t efer = rdmsr(MSR_EFER);
	if (!feat_ext_edx(FX_EDX_NX)) {
		bool f = try_wrmsr(MSR_EFER, efer | EFER_NXE);
		report(f && fault_is(VEC_GP, 0, 0) && rdmsr(MSR_EFER) == efer, name,
		       "not advertised: fault %d vector %u, EFER 0x%llx", f, last_fault.vector,
		       (unsigned long long)rdmsr(MSR_EFER));
		return;
	}
	bool nxe = efer & EFER_NXE; /* paging_enable turns it on when CPUID has NX */
	bool nx_fault = probe_fetch(FEAT_NX_PAGE) && fault_is(VEC_PF, PF_P | PF_ID, FEAT_NX_PAGE);
	report(nxe && nx_fault && !probe_fetch(FEAT_USER_PAGE), name,
	       "EFER 0x%llx, NX fetch: vector %u error 0x%x", (unsigned long long)efer,
	       last_fault.vector, last_fault.error);
}

static bool xgetbv_faults(uint64_t *xcr0)
{
	uint32_t lo = 0, hi = 0;
	iso_arm();
	__asm__ volatile("1: xgetbv\n2:\n" FIXUP("1b", "2b") : "+a"(lo), "+d"(hi) : "c"(0));
	*xcr0 = (uint64_t)hi << 32 | lo;
	return last_fault.taken;
}

/* XGETBV is #UD while CR4.OSXSAVE = 0 whatever CPUID says (SDM Vol. 2C XGETBV). */
static void test_xsave(void)
{
	const char *name = "XSAVE: XGETBV #UD, then CR4.OSXSAVE and XGETBV(0) work; absent: #GP";
	uint64_t xcr0 = 0;
	bool ud = xgetbv_faults(&xcr0) && fault_is(VEC_UD, 0, 0);
	if (!feat_leaf1_ecx(F1_ECX_XSAVE)) {
		if (!ud)
			report_fail(name, "XGETBV with CR4.OSXSAVE = 0: fault %d vector %u",
			            last_fault.taken, last_fault.vector);
		else
			cr4_bit_absent(name, CR4_OSXSAVE);
		return;
	}
	unsigned long cr4 = read_cr4();
	bool f = try_write_cr4(cr4 | CR4_OSXSAVE);
	bool os = feat_leaf1_ecx(F1_ECX_OSXSAVE);
	bool xf = xgetbv_faults(&xcr0);
	write_cr4(cr4);
	report(ud && !f && os && !xf && (xcr0 & XCR0_X87), name,
	       "XGETBV #UD first %d, CR4 fault %d, CPUID OSXSAVE %d, XGETBV fault %d XCR0 0x%llx",
	       ud, f, os, xf, (unsigned long long)xcr0);
}

static void test_pcid(void)
{
	const char *name = "PCID: CR4.PCIDE can be set (CR3[11:0] = 0); absent: #GP(0)";
	if (!feat_leaf1_ecx(F1_ECX_PCID)) {
		cr4_bit_absent(name, CR4_PCIDE);
		return;
	}
	unsigned long cr4 = read_cr4();
	bool f = try_write_cr4(cr4 | CR4_PCIDE);
	bool set = read_cr4() & CR4_PCIDE;
	write_cr4(cr4);
	report(!f && set, name, "fault %d vector %u, CR4 0x%lx", f, last_fault.vector, read_cr4());
}

static void test_smep(void)
{
	const char *name = "SMEP: with CR4.SMEP a supervisor fetch from a user page #PF 0x11; "
	                   "absent: #GP(0)";
	if (!feat_leaf7_ebx(F7_EBX_SMEP)) {
		cr4_bit_absent(name, CR4_SMEP);
		return;
	}
	unsigned long cr4 = read_cr4();
	write_cr3(super_root);
	bool f = try_write_cr4(cr4 | CR4_SMEP);
	bool fetch = probe_fetch(FEAT_USER_PAGE) && fault_is(VEC_PF, PF_P | PF_ID, FEAT_USER_PAGE);
	write_cr4(cr4);
	write_cr3(root);
	report(!f && fetch, name, "CR4 fault %d, fetch vector %u error 0x%x", f, last_fault.vector,
	       last_fault.error);
}

static void test_smap(void)
{
	const char *name = "SMAP: with CR4.SMAP a supervisor read of a user page #PF 0x1, with AC "
	                   "it reads; absent: #GP(0)";
	if (!feat_leaf7_ebx(F7_EBX_SMAP)) {
		cr4_bit_absent(name, CR4_SMAP);
		return;
	}
	unsigned long cr4 = read_cr4();
	uint32_t v = 0;
	write_cr3(super_root);
	bool f = try_write_cr4(cr4 | CR4_SMAP);
	bool blocked = probe_read32(FEAT_USER_PAGE, &v) && fault_is(VEC_PF, PF_P, FEAT_USER_PAGE);
	uint32_t err = last_fault.error;
	__asm__ volatile("stac" ::: "memory");
	bool with_ac = !probe_read32(FEAT_USER_PAGE, &v) && (v & 0xff) == RET_OPCODE;
	__asm__ volatile("clac" ::: "memory");
	write_cr4(cr4);
	write_cr3(root);
	report(!f && blocked && with_ac, name, "CR4 fault %d, read error 0x%x, with AC %d", f, err,
	       with_ac);
}

static void test_fsgsbase(void)
{
	const char *name = "FSGSBASE: with CR4.FSGSBASE, WRFSBASE/RDFSBASE match IA32_FS_BASE; "
	                   "absent: #GP(0)";
	if (!feat_leaf7_ebx(F7_EBX_FSGSBASE)) {
		cr4_bit_absent(name, CR4_FSGSBASE);
		return;
	}
	unsigned long cr4 = read_cr4();
	bool f = try_write_cr4(cr4 | CR4_FSGSBASE);
	uint64_t got = 0;
	iso_arm();
	__asm__ volatile(
	    "1: wrfsbase %1\n" FIXUP("1b", "9f") "1: rdfsbase %0\n" FIXUP("1b", "9f") "9:\n"
	    : "+r"(got)
	    : "r"(FS_BASE_TEST));
	bool insn = !last_fault.taken;
	uint64_t msr = rdmsr(MSR_FS_BASE);
	wrmsr(MSR_FS_BASE, 0);
	write_cr4(cr4);
	report(!f && insn && got == FS_BASE_TEST && msr == FS_BASE_TEST, name,
	       "CR4 fault %d, instruction fault %d (vector %u), RDFSBASE 0x%llx MSR 0x%llx", f,
	       !insn, last_fault.vector, (unsigned long long)got, (unsigned long long)msr);
}

void features_cr4_tests(uintptr_t main_root)
{
	root = main_root;
	uintptr_t user = frame_alloc(), nx = frame_alloc();
	*(volatile uint8_t *)user = RET_OPCODE;
	*(volatile uint8_t *)nx = RET_OPCODE;
	pt_map(root, FEAT_USER_PAGE, user, PTE_RW_USER);
	pt_map(root, FEAT_NX_PAGE, nx, PTE_P | PTE_W | (env.nx ? PTE_NX : 0));
	super_root = build_super_root(user);
	test_nx();
	iso_test_1g_page(root, FEAT_HUGE_VA, NAME_1G);
	test_xsave();
	test_pcid();
	test_smep();
	test_smap();
	test_fsgsbase();
}
