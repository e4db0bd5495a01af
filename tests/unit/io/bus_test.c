/* The I/O bus: ranges, unclaimed accesses, MSRs, timers and stop requests. */
#include "tests/unit/harness.h"
#include "tests/unit/io/io_test.h"

struct fake_dev {
	uint32_t last_offset, last_size, last_value, reads, writes;
	bool refuse;
};

static bool fake_read(void *dev, uint16_t offset, unsigned size, uint32_t *value)
{
	struct fake_dev *d = dev;
	if (d->refuse)
		return false;
	d->reads++;
	d->last_offset = offset;
	d->last_size = size;
	*value = 0x12345678u + offset;
	return true;
}

static bool fake_write(void *dev, uint16_t offset, unsigned size, uint32_t value)
{
	struct fake_dev *d = dev;
	if (d->refuse)
		return false;
	d->writes++;
	d->last_offset = offset;
	d->last_size = size;
	d->last_value = value;
	return true;
}

TEST(bus_port_handlers_get_the_offset_and_reads_are_sized)
{
	struct io_bus b;
	struct io_log log;
	struct fake_dev d = {0};

	io_test_bus(&b, &log);
	REQUIRE(io_bus_add_ports(&b, 0x40, 4, "fake", &d, fake_read, fake_write) == 0);
	CHECK_EQ(io_port_read(&b, 0x42, 1), 0x7a);
	CHECK_EQ(d.last_offset, 2);
	CHECK_EQ(io_port_read(&b, 0x41, 2), 0x5679);
	io_port_write(&b, 0x43, 1, 0x1ff);
	CHECK_EQ(d.last_value, 0xff); /* masked to the access size */
	CHECK_EQ(d.last_offset, 3);
	CHECK_EQ(b.port[0].accesses, 3);
	CHECK_EQ(io_captured[0], '\0');
}

TEST(bus_refuses_overlapping_and_too_many_ranges)
{
	struct io_bus b;
	struct io_log log;
	struct fake_dev d = {0};

	io_test_bus(&b, &log);
	CHECK(io_bus_add_ports(&b, 0x40, 4, "a", &d, fake_read, fake_write) == 0);
	CHECK(io_bus_add_ports(&b, 0x43, 2, "b", &d, fake_read, fake_write) == -1);
	CHECK(io_bus_add_ports(&b, 0x3f, 1, "c", &d, fake_read, fake_write) == 0);
	CHECK(io_bus_add_ports(&b, 0xffff, 2, "d", &d, fake_read, fake_write) == -1);
	CHECK(io_bus_add_ports(&b, 0x100, 0, "e", &d, fake_read, fake_write) == -1);
	for (unsigned i = b.nports; i < IO_MAX_PORT_RANGES; i++)
		CHECK(io_bus_add_ports(&b, (uint16_t)(0x1000 + i), 1, "f", &d, fake_read,
		                       fake_write) == 0);
	CHECK(io_bus_add_ports(&b, 0x2000, 1, "g", &d, fake_read, fake_write) == -1);
	CHECK(io_bus_add_mmio(&b, 0xfee00000, 0x1000, "m", &d, 0, 0) == 0);
	CHECK(io_bus_add_mmio(&b, 0xfee00800, 0x1000, "n", &d, 0, 0) == -1);
}

TEST(bus_unclaimed_port_reads_all_ones_and_is_logged_once)
{
	struct io_bus b;
	struct io_log log;

	io_test_bus(&b, &log);
	CHECK_EQ(io_port_read(&b, 0x2f8, 1), 0xff);
	CHECK_EQ(io_port_read(&b, 0x2f8, 2), 0xffff);
	CHECK_EQ(io_port_read(&b, 0x2f8, 4), 0xffffffffu);
	io_port_write(&b, 0x2f8, 1, 0x41);
	io_port_write(&b, 0x2f8, 1, 0x42);
	CHECK_EQ(io_captured_count("g: read of unemulated port 0x2f8 returns all ones\n"), 1);
	CHECK_EQ(io_captured_count("g: write 0x41 to unemulated port 0x2f8 ignored\n"), 1);
	CHECK_EQ(io_captured_count("0x42"), 0);
	CHECK_EQ(b.unclaimed_reads, 3);
	CHECK_EQ(b.unclaimed_writes, 2);
}

TEST(bus_a_refused_access_is_treated_as_unclaimed)
{
	struct io_bus b;
	struct io_log log;
	struct fake_dev d = {.refuse = true};

	io_test_bus(&b, &log);
	REQUIRE(io_bus_add_ports(&b, 0x510, 2, "fw", &d, fake_read, fake_write) == 0);
	CHECK_EQ(io_port_read(&b, 0x511, 2), 0xffff);
	CHECK_EQ(io_captured_count("read of unemulated port 0x511"), 1);
	CHECK_EQ(b.port[0].accesses, 0);
}

static bool mmio_read(void *dev, uint64_t offset, unsigned size, uint64_t *value)
{
	(void)dev;
	*value = 0x1122334455667788ull ^ offset;
	return size == 4;
}

TEST(bus_mmio_by_offset_unclaimed_reads_all_ones_logged_once)
{
	struct io_bus b;
	struct io_log log;

	io_test_bus(&b, &log);
	REQUIRE(io_bus_add_mmio(&b, 0xfee00000, 0x1000, "apic", 0, mmio_read, 0) == 0);
	CHECK_EQ(io_mmio_read(&b, 0xfee00020, 4), 0x55667788u ^ 0x20);
	CHECK_EQ(io_mmio_read(&b, 0xfee00020, 1), 0xff); /* refused width */
	CHECK_EQ(io_mmio_read(&b, 0x90000000, 8), ~0ull);
	io_mmio_write(&b, 0x90000000, 4, 1);
	CHECK_EQ(io_captured_count("outside its RAM"), 1);
	CHECK_EQ(io_captured_count("g: read of guest-physical 0xfee00020 outside its RAM"), 1);
}

static bool msr_read(void *dev, uint32_t msr, uint64_t *value)
{
	(void)dev;
	*value = 0xfee00900ull | (msr & 1);
	return true;
}

static bool msr_write(void *dev, uint32_t msr, uint64_t value)
{
	(void)dev;
	(void)msr;
	return value == 0xfee00900ull;
}

TEST(bus_msrs_claimed_refused_and_unclaimed_are_told_apart)
{
	struct io_bus b;
	struct io_log log;
	uint64_t v = 1;
	bool claimed = false;

	io_test_bus(&b, &log);
	REQUIRE(io_bus_add_msrs(&b, 0x1b, 1, "apic", 0, msr_read, msr_write) == 0);
	CHECK(io_msr_read(&b, 0x1b, &v, &claimed));
	CHECK(claimed);
	CHECK_EQ(v, 0xfee00901ull);
	CHECK(io_msr_write(&b, 0x1b, 0xfee00900ull, &claimed));
	CHECK(!io_msr_write(&b, 0x1b, 0x1234, &claimed));
	CHECK(claimed);
	CHECK(!io_msr_read(&b, 0x1c, &v, &claimed));
	CHECK(!claimed);
	CHECK_EQ(v, 0);
	CHECK(io_bus_add_msrs(&b, 0x1a, 2, "x", 0, msr_read, msr_write) == -1);
}

struct counter {
	struct io_timer t;
	unsigned fired;
	uint64_t period;
};

static void tick(void *dev, uint64_t now)
{
	struct counter *c = dev;
	c->fired++;
	if (c->period)
		io_timer_arm(&c->t, now + c->period);
}

TEST(bus_timers_fire_at_their_deadline_and_report_the_next)
{
	struct io_bus b;
	struct io_log log;
	struct counter a = {.period = 100}, c = {0};

	io_test_bus(&b, &log);
	io_timer_init(&a.t, "a", tick, &a);
	io_timer_init(&c.t, "c", tick, &c);
	io_bus_add_timer(&b, &a.t);
	io_bus_add_timer(&b, &c.t);
	CHECK_EQ(io_bus_next_deadline(&b), IO_TIMER_OFF);
	io_timer_arm(&a.t, 50);
	io_timer_arm(&c.t, 70);
	CHECK_EQ(io_bus_run_timers(&b, 49), 50);
	CHECK_EQ(a.fired, 0);
	CHECK_EQ(io_bus_run_timers(&b, 60), 70);
	CHECK_EQ(a.fired, 1);
	CHECK_EQ(io_bus_run_timers(&b, 1000), 1100); /* a re-armed from now, c disarmed */
	CHECK_EQ(a.fired, 2);
	CHECK_EQ(c.fired, 1);
	CHECK(!io_timer_armed(&c.t));
}

TEST(bus_first_stop_request_wins)
{
	struct io_bus b;
	struct io_log log;

	io_test_bus(&b, &log);
	CHECK(!io_bus_stop_requested(&b));
	io_bus_request_stop(&b, IO_STOP_EXIT, 3, "port 0xf4");
	io_bus_request_stop(&b, IO_STOP_RESET, 0, "port 0x64");
	CHECK(io_bus_stop_requested(&b));
	CHECK_EQ(b.stop.kind, IO_STOP_EXIT);
	CHECK_EQ(b.stop.status, 3);
	CHECK(strcmp(b.stop.why, "port 0xf4") == 0);
}

static uint8_t console_bytes[8];
static unsigned console_n;

static void put(void *ctx, uint8_t byte)
{
	(void)ctx;
	if (console_n < sizeof(console_bytes))
		console_bytes[console_n++] = byte;
}

TEST(bus_console_reaches_its_sink_and_none_is_harmless)
{
	struct io_bus b;
	struct io_log log;

	io_test_bus(&b, &log);
	io_console_put(&b, 'x'); /* no sink yet */
	b.console = (struct io_console){put, 0};
	io_console_put(&b, 'o');
	io_console_put(&b, 'k');
	CHECK_EQ(console_n, 2);
	CHECK(console_bytes[0] == 'o' && console_bytes[1] == 'k');
}
