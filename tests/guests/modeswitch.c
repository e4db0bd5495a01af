/* guest-modeswitch: unpaged -> PAE paging -> long mode -> back to 32-bit paging in one
 * run, checking translations in each mode (SDM Vol. 3A §10.8.5, §4.1.2). */
#include "tests/guests/modeswitch.h"

#include "tests/guests/cpu.h"
#include "tests/guests/desc.h"
#include "tests/guests/env.h"
#include "tests/guests/frames.h"
#include "tests/guests/guest.h"
#include "tests/guests/probe.h"
#include "tests/guests/pt.h"
#include "tests/guests/report.h"

const char guest_name[] = "modeswitch";

#define GATE64_INTR 0x8e00u

static uintptr_t seeded_frame(uint32_t value)
{
	uintptr_t f = frame_alloc();
	*(volatile uint32_t *)f = value;
	return f;
}

static void build_idt64(void)
{
	uint32_t off = (uint32_t)(uintptr_t)long_mode_fault;
	for (int v = 0; v < 32; v++) {
		idt64[v * 4 + 0] = (off & 0xffff) | (uint32_t)SEL_KCODE64 << 16;
		idt64[v * 4 + 1] = (off & 0xffff0000u) | GATE64_INTR;
		idt64[v * 4 + 2] = 0;
		idt64[v * 4 + 3] = 0;
	}
}

static uint32_t read_low(void)
{
	uint32_t v = 0;
	if (probe_read32(MS_LOW_VA, &v))
		return 0xdead0000u | last_fault.error;
	return v;
}

static void pae_leg(void)
{
	pt_set_mode(PG_MODE_PAE);
	uintptr_t root = pt_new_root();
	pt_map(root, MS_LOW_VA, seeded_frame(0x9ae00001), PTE_P | PTE_W);
	paging_enable(root);
	uint32_t v = read_low();
	report((read_cr0() & CR0_PG) && (read_cr4() & CR4_PAE) && v == 0x9ae00001,
	       "PAE paging from unpaged: translation", "CR0 0x%lx CR4 0x%lx read 0x%x", read_cr0(),
	       read_cr4(), v);
}

static void long_leg(void)
{
	pt_set_mode(PG_MODE_LONG);
	uintptr_t root = pt_new_root();
	uintptr_t high = seeded_frame(0x4a0a0003);
	pt_map(root, MS_LOW_VA, seeded_frame(0x4a0a0002), PTE_P | PTE_W);
	pt_map(root, MS_HIGH_VA, high, PTE_P | PTE_W);
	build_idt64();
	struct long_results r = {0, 0, 0};
	long_mode_roundtrip((uint32_t)root, &r);
	report((r.efer & (EFER_LMA | EFER_LME)) == (EFER_LMA | EFER_LME),
	       "long mode from PAE: EFER.LME=1 and EFER.LMA=1 in 64-bit code", "EFER 0x%x", r.efer);
	report(r.low == 0x4a0a0002 && r.high == 0x4a0a0003,
	       "long mode: translation of a low and a high (512 GiB) address", "read 0x%x and 0x%x",
	       r.low, r.high);
	report(((volatile uint32_t *)high)[1] == MS_LONG_MARK,
	       "long mode: write through the high mapping lands in its frame", "frame holds 0x%x",
	       ((volatile uint32_t *)high)[1]);
	uint64_t efer = rdmsr(MSR_EFER);
	report(!(read_cr0() & CR0_PG) && !(efer & (EFER_LMA | EFER_LME)),
	       "left long mode: paging off, EFER.LME=0 and EFER.LMA=0", "CR0 0x%lx EFER 0x%llx",
	       read_cr0(), (unsigned long long)efer);
}

static void pg32_leg(void)
{
	pt_set_mode(PG_MODE_32);
	uintptr_t root = pt_new_root();
	pt_map(root, MS_LOW_VA, seeded_frame(0x32320004), PTE_P | PTE_W);
	paging_enable(root);
	uint32_t v = read_low();
	uint32_t w = 0;
	bool f = probe_read32(MS_LOW_VA + PAGE_SIZE, &w);
	report((read_cr0() & CR0_PG) && !(read_cr4() & CR4_PAE) && v == 0x32320004,
	       "32-bit paging after long mode: CR4.PAE=0, translation",
	       "CR0 0x%lx CR4 0x%lx read 0x%x", read_cr0(), read_cr4(), v);
	report(f && fault_is(VEC_PF, 0, MS_LOW_VA + PAGE_SIZE),
	       "32-bit paging after long mode: unmapped page faults (#PF 0x0)",
	       "fault %d vector %u error 0x%x", f, last_fault.vector, last_fault.error);
}

void guest_main(void)
{
	frames_init();
	if (!env.long_mode || !env.pae) {
		report_skip("long mode", "CPUID has no long mode or PAE");
		return;
	}
	uintptr_t f = seeded_frame(0x0a9a0000);
	report(*(volatile uint32_t *)f == 0x0a9a0000 && !(read_cr0() & CR0_PG),
	       "unpaged: physical memory access with paging off", "CR0 0x%lx", read_cr0());
	pae_leg();
	write_cr0(read_cr0() & ~CR0_PG); /* the long-mode leg starts from paging off anyway */
	long_leg();
	pg32_leg();
}
