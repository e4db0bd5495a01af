/* The devices suite: host tests of the platform device models (vmx/vpic,
 * vmx/vfwcfg, vmx/vlapic). This file provides main() and the capturing
 * printer. */
#define HARNESS_MAIN
#include "tests/unit/harness.h"

#include <stdarg.h>

#include "tests/unit/devices/capture.h"

char captured[4096];
static size_t captured_len;

void capture_reset(void)
{
	captured[0] = '\0';
	captured_len = 0;
}

int capture_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(captured + captured_len, sizeof(captured) - captured_len, fmt, ap);
	va_end(ap);
	if (n > 0)
		captured_len += (size_t)n;
	if (captured_len >= sizeof(captured))
		captured_len = sizeof(captured) - 1;
	return n;
}
