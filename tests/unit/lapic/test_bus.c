/* The bus adapters (vmx/dev/lapic_bus.c): the page, the MSR, and the log
 * lines a guest causes. */
#include "tests/unit/harness.h"

#include <stdarg.h>

#include "tests/unit/lapic/rig.h"

static char lines[1024];
static size_t lines_len;

static int capture(const char *fmt, va_list ap)
{
	int n = vsnprintf(lines + lines_len, sizeof(lines) - lines_len, fmt, ap);
	if (n > 0)
		lines_len += (size_t)n;
	if (lines_len >= sizeof(lines))
		lines_len = sizeof(lines) - 1;
	return n;
}

static struct io_log *attach_log(void)
{
	static struct io_log log;
	lines_len = 0;
	lines[0] = '\0';
	io_log_init(&log, capture, "vmx: guest t: ");
	vlapic_attach(&rig.apic, &log, &rig.clock);
	return &log;
}

static void bus_write(uint32_t off, uint32_t v)
{
	CHECK(vlapic_bus_write(&rig.apic, off, 4, v));
}

TEST(bus_ipi_log_only_when_nothing_was_delivered)
{
	rig_enabled();
	attach_log();
	bus_write(APIC_ICR_LOW, 0x00040041); /* fixed to self: delivered */
	CHECK_EQ(lines[0], '\0');
	uint64_t v = 0;
	CHECK(vlapic_bus_read(&rig.apic, APIC_IRR + 0x20, 4, &v));
	CHECK_EQ(v, 1u << 1);
	bus_write(APIC_ICR_LOW, 0x000c4500); /* INIT to all others */
	CHECK(strstr(lines, "vmx: guest t: INIT IPI (vector 0x0) with one vCPU: nothing to "
	                    "deliver\n") != 0);
}

TEST(bus_timer_counts_in_the_attached_clock)
{
	rig_enabled();
	attach_log();
	bus_write(APIC_TIMER_DIVIDE, 0xb);
	bus_write(APIC_TIMER_INITIAL, 1000);
	rig_at(T0 + 250);
	uint64_t v = 0;
	CHECK(vlapic_bus_read(&rig.apic, APIC_TIMER_CURRENT, 4, &v));
	CHECK_EQ(v, 750);
	/* Globally disabled: the page is not claimed. */
	CHECK(vlapic_msr_write(&rig.apic, VLAPIC_MSR_APIC_BASE, 0xfee00100ull));
	CHECK(!vlapic_bus_read(&rig.apic, APIC_TIMER_CURRENT, 4, &v));
}
