/* The pic suite: host tests of the 8259A pair (vmx/dev/i8259*.c). This file
 * provides main() and the capturing log sink. */
#define HARNESS_MAIN
#include "tests/unit/harness.h"

#include <stdarg.h>

#include "tests/unit/pic/rig.h"

char captured[4096];
static size_t captured_len;

void capture_reset(void)
{
	captured[0] = '\0';
	captured_len = 0;
}

int capture_vprintf(const char *fmt, va_list ap)
{
	int n = vsnprintf(captured + captured_len, sizeof(captured) - captured_len, fmt, ap);
	if (n > 0)
		captured_len += (size_t)n;
	if (captured_len >= sizeof(captured))
		captured_len = sizeof(captured) - 1;
	return n;
}
