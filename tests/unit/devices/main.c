/* The devices suite: every device model built together, with the fw_cfg
 * tests (the local APIC's are in tests/unit/lapic/). This file provides
 * main() and the capturing log. */
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

int capture_vprintf(const char *fmt, va_list ap)
{
	int n = vsnprintf(captured + captured_len, sizeof(captured) - captured_len, fmt, ap);
	if (n > 0)
		captured_len += (size_t)n;
	if (captured_len >= sizeof(captured))
		captured_len = sizeof(captured) - 1;
	return n;
}

struct io_log *capture_log(void)
{
	static struct io_log log;
	io_log_init(&log, capture_vprintf, "");
	return &log;
}
