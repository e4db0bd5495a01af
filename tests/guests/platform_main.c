/* guest-platform: checks the PC platform a multiboot kernel expects, the same way on bare
 * QEMU (-cpu qemu64 and -cpu max) and under our hypervisor. Where QEMU's answer differs
 * from ours for a legitimate reason (a CPU model that offers a feature we hide) the test
 * is a SKIP with that reason there, and still a hard check under hvx86. */
#include "tests/guests/env.h"
#include "tests/guests/guest.h"
#include "tests/guests/platform.h"
#include "tests/guests/report.h"

const char guest_name[] = "platform";

void guest_main(void)
{
	platform_cpuid_tests();
	platform_cr4_tests();
	platform_msr_tests();
	platform_uart_tests();
	platform_pic_tests();
	platform_port_tests();
	platform_fwcfg_tests();
	platform_apic_tests();
	/* Last of the APIC: it disables the APIC, which QEMU 7.2 cannot undo. */
	platform_apic_base_tests();
	platform_exception_tests();
}
