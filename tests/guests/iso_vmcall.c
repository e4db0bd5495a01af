/* guest-iso-vmcall: VMCALL from ring 3 is #UD (SDM Vol. 2C VMCALL: outside VMX operation
 * always; in a guest the hypervisor must make it so for CPL > 0), the kernel's VMCALL is
 * the hypercall under hvx86; then a flood of accesses a hypervisor must answer without a
 * log line each: 300 unused ports read all ones, 300 unknown MSRs raise #GP(0) (SDM Vol.
 * 2B RDMSR). The boot test counts the hypervisor's lines; this guest checks the results. */
#include "tests/guests/cpu.h"
#include "tests/guests/env.h"
#include "tests/guests/guest.h"
#include "tests/guests/iso.h"
#include "tests/guests/platform.h"
#include "tests/guests/probe.h"
#include "tests/guests/report.h"

const char guest_name[] = "iso-vmcall";

/* hvx86 hypercalls (vmx/exit/vmcall.c): EAX = function; unknown ones return all ones. */
#define HV_CALL_EXIT    0u
#define HV_CALL_PUTC    1u
#define HV_CALL_UNKNOWN 0x7fffffffu

#define FLOOD_COUNT 300u
#define FLOOD_MSR   0x4b000000u

/* Ports with a device on the PC, QEMU or Bochs: secondary IDE control and LPT1, VGA, the
 * floppy controller and COM1, the 8259 ELCR pair. */
static bool port_in_use(uint32_t port)
{
	return (port >= 0x370 && port <= 0x37f) || (port >= 0x3b0 && port <= 0x3df) ||
	       (port >= 0x3f0 && port <= 0x3ff) || port == 0x4d0 || port == 0x4d1;
}

/* The I-th unused port from 0x300 up: 0x300-0x36f, 0x380-0x3af, 0x3e0-0x3ef,
 * 0x400-0x47b. */
static uint16_t flood_port(uint32_t i)
{
	uint32_t port = 0x300;
	for (;; port++) {
		if (port_in_use(port))
			continue;
		if (i-- == 0)
			return (uint16_t)port;
	}
}

static void test_user_vmcall(void)
{
	static const struct {
		uint32_t function, arg;
		const char *name;
	} calls[] = {
	    {HV_CALL_PUTC, '!', "vmcall: at CPL 3 (EAX=1, print) raises #UD"},
	    {HV_CALL_EXIT, 0, "vmcall: at CPL 3 (EAX=0, EBX=0: exit 'passed') raises #UD"},
	};
	for (unsigned i = 0; i < 2; i++) {
		iso_arm();
		uint32_t eax =
		    user_enter((uintptr_t)iso_user_vmcall, calls[i].arg, calls[i].function);
		report(fault_is(VEC_UD, 0, 0) && last_fault.ip == (uintptr_t)iso_user_vmcall_insn,
		       calls[i].name, "fault %d vector %u RIP 0x%lx, EAX 0x%x", last_fault.taken,
		       last_fault.vector, (unsigned long)last_fault.ip, eax);
	}
}

static void test_kernel_vmcall(void)
{
	const char *name = "vmcall: at CPL 0 an unknown hypercall returns all ones in RAX";
	if (env.kind != ENV_HVX86) {
		report_skip(name, "not under hvx86");
		return;
	}
	uint64_t rax = HV_CALL_UNKNOWN;
	iso_arm();
	__asm__ volatile("1: vmcall\n2:\n" FIXUP("1b", "2b") : "+a"(rax) : : "memory");
	report(!last_fault.taken && rax == ~0ull, name, "fault %d vector %u, RAX 0x%llx",
	       last_fault.taken, last_fault.vector, (unsigned long long)rax);
}

static void test_port_flood(void)
{
	uint32_t bad8 = 0, bad32 = 0, wide = 0;
	uint16_t first_bad = 0;
	for (uint32_t i = 0; i < FLOOD_COUNT; i++) {
		uint16_t port = flood_port(i);
		if (inb(port) != 0xff && !bad8++)
			first_bad = port;
		if (port % 4 == 0 && !port_in_use(port + 3u)) {
			wide++;
			bad32 += inl(port) != 0xffffffffu;
		}
	}
	report_info("ports 0x%x..0x%x: %u 8-bit reads, %u 32-bit reads", flood_port(0),
	            flood_port(FLOOD_COUNT - 1), FLOOD_COUNT, wide);
	report(!bad8 && !bad32, "flood: 300 unused ports read all ones (8- and 32-bit)",
	       "%u 8-bit reads not 0xff (first port 0x%x), %u 32-bit reads not all ones", bad8,
	       first_bad, bad32);
}

/* RDMSR (WRITE false) or WRMSR of FLOOD_COUNT unknown MSRs: each must be #GP(0). */
static void msr_flood(const char *name, bool write)
{
	uint32_t gp = 0, other = 0;
	for (uint32_t i = 0; i < FLOOD_COUNT; i++) {
		uint64_t v = 0;
		if (!(write ? try_wrmsr(FLOOD_MSR + i, i) : try_rdmsr(FLOOD_MSR + i, &v)))
			continue;
		if (fault_is(VEC_GP, 0, 0))
			gp++;
		else
			other++;
	}
	if (gp == 0 && other == 0 && env_is_tcg())
		report_skip(name, SKIP_QEMU_MSR);
	else
		report(gp == FLOOD_COUNT, name, "%u #GP(0), %u other faults, %u without a fault",
		       gp, other, FLOOD_COUNT - gp - other);
}

void guest_main(void)
{
	iso_long_setup();
	test_user_vmcall();
	test_kernel_vmcall();
	test_port_flood();
	msr_flood("flood: RDMSR of 300 unknown MSRs (0x4b000000..) raises #GP(0) each", false);
	msr_flood("flood: WRMSR of 300 unknown MSRs (0x4b000000..) raises #GP(0) each", true);
}
