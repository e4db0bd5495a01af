/* Result lines in the kvm-unit-tests format; the boot tests grep them. */
#include "tests/guests/report.h"

#include <stdarg.h>

#include "tests/guests/console.h"
#include "tests/guests/cpu.h"

static const char *prog_name = "guest";
static uint32_t tests_run, tests_failed;

void report_init(const char *prog)
{
	prog_name = prog;
}

const char *report_prog(void)
{
	return prog_name;
}

void report_pass(const char *name)
{
	tests_run++;
	gprintf("PASS: %s: %s\n", prog_name, name);
}

void report_skip(const char *name, const char *why)
{
	tests_run++;
	gprintf("SKIP: %s: %s (%s)\n", prog_name, name, why);
}

static void fail_v(const char *name, const char *fmt, va_list ap)
{
	tests_run++;
	tests_failed++;
	gprintf("FAIL: %s: %s (", prog_name, name);
	gvprintf(fmt, ap);
	gprintf(")\n");
}

void report_fail(const char *name, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fail_v(name, fmt, ap);
	va_end(ap);
}

bool report(bool ok, const char *name, const char *fmt, ...)
{
	if (ok) {
		report_pass(name);
		return true;
	}
	va_list ap;
	va_start(ap, fmt);
	fail_v(name, fmt, ap);
	va_end(ap);
	return false;
}

void report_count_failure(void)
{
	tests_run++;
	tests_failed++;
}

void report_info(const char *fmt, ...)
{
	va_list ap;
	gprintf("%s: ", prog_name);
	va_start(ap, fmt);
	gvprintf(fmt, ap);
	va_end(ap);
	gprintf("\n");
}

void report_done(void)
{
	gprintf("SUMMARY: %u tests, %u unexpected failures\n", tests_run, tests_failed);
	guest_exit(tests_failed ? EXIT_FAILED : EXIT_PASSED);
}

void guest_exit(uint32_t status)
{
	static const char bochs_shutdown[] = "Shutdown";

	outl(DEBUG_EXIT_PORT, status);
	/* No debug-exit device (bare Bochs): its power-off port, then stop here
	 * with interrupts off (real hardware). */
	for (const char *p = bochs_shutdown; *p; p++)
		outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*p);
	for (;;)
		__asm__ volatile("cli; hlt");
}
