#include "arch/x86/panic.h"
#include "arch/x86/platform_exit.h"
#include "arch/x86/printf.h"

void panic(const char *fmt, ...)
{
	va_list ap;
	__asm__ volatile("cli");
	printf("PANIC: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	platform_exit(HV_EXIT_PANIC);
}
