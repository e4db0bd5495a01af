#include "arch/x86/platform_exit.h"
#include "arch/x86/cpu.h"
#include "arch/x86/serial.h"

#define QEMU_DEBUG_EXIT_PORT 0xf4
#define BOCHS_SHUTDOWN_PORT  0x8900

static void bochs_shutdown(void)
{
	/* Bochs powers off after the string "Shutdown" is written byte by
	 * byte to port 0x8900. */
	static const char magic[] = "Shutdown";
	for (const char *p = magic; *p; p++)
		outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*p);
}

void platform_exit(uint8_t status)
{
	serial_flush();
	outl(QEMU_DEBUG_EXIT_PORT, status);
	bochs_shutdown();
	halt_forever();
}
