/* The io suite: main(), the captured log and the test clock. */
#define HARNESS_MAIN
#include "tests/unit/harness.h"

#include <stdarg.h>

#include "tests/unit/io/io_test.h"

char io_captured[8192];
static size_t captured_len;
uint64_t io_test_now;

void io_capture_reset(void)
{
	io_captured[0] = '\0';
	captured_len = 0;
}

static int capture(const char *fmt, va_list ap)
{
	int n = vsnprintf(io_captured + captured_len, sizeof(io_captured) - captured_len, fmt, ap);
	if (n > 0)
		captured_len += (size_t)n;
	if (captured_len >= sizeof(io_captured))
		captured_len = sizeof(io_captured) - 1;
	return n;
}

static uint64_t test_clock(void *ctx)
{
	(void)ctx;
	return io_test_now;
}

void io_test_bus(struct io_bus *b, struct io_log *log)
{
	io_capture_reset();
	io_test_now = 0;
	io_log_init(log, capture, "g: ");
	io_bus_init(b, log, (struct io_clock){test_clock, 0});
}

unsigned io_captured_count(const char *text)
{
	unsigned n = 0;
	for (const char *p = io_captured; (p = strstr(p, text)); p += strlen(text))
		n++;
	return n;
}
