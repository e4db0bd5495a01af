/* The exit ports: isa-debug-exit's status and the Bochs "Shutdown" sequence. */
#include "tests/unit/harness.h"
#include "tests/unit/io/io_test.h"
#include "vmx/dev/debug_exit.h"

static void machine(struct io_bus *b, struct io_log *log, struct debug_exit *d)
{
	io_test_bus(b, log);
	debug_exit_init(d, b);
	io_bus_add_ports(b, DEBUG_EXIT_PORT, 1, "debug-exit", d, 0, debug_exit_write);
	io_bus_add_ports(b, BOCHS_SHUTDOWN_PORT, 1, "bochs", d, 0, bochs_shutdown_write);
}

TEST(debug_exit_status_stops_the_machine)
{
	struct io_bus b;
	struct io_log log;
	struct debug_exit d;

	machine(&b, &log, &d);
	io_port_write(&b, DEBUG_EXIT_PORT, 4, 0x2a);
	CHECK_EQ(b.stop.kind, IO_STOP_EXIT);
	CHECK_EQ(b.stop.status, 0x2a);
	CHECK(strcmp(b.stop.why, "port 0xf4") == 0);
}

TEST(debug_exit_port_reads_as_unclaimed)
{
	struct io_bus b;
	struct io_log log;
	struct debug_exit d;

	machine(&b, &log, &d);
	CHECK_EQ(io_port_read(&b, DEBUG_EXIT_PORT, 1), 0xff);
	CHECK(!io_bus_stop_requested(&b));
}

static void send(struct io_bus *b, const char *s)
{
	for (; *s; s++)
		io_port_write(b, BOCHS_SHUTDOWN_PORT, 1, (uint8_t)*s);
}

TEST(bochs_shutdown_needs_the_whole_word_in_a_row)
{
	struct io_bus b;
	struct io_log log;
	struct debug_exit d;

	machine(&b, &log, &d);
	send(&b, "Shutdow");
	send(&b, "x");
	send(&b, "n");
	CHECK(!io_bus_stop_requested(&b));
	/* As in Bochs, a wrong byte starts over without being a first byte itself. */
	send(&b, "ShutShutdown");
	CHECK(!io_bus_stop_requested(&b));
	send(&b, "Shutdown");
	CHECK_EQ(b.stop.kind, IO_STOP_POWEROFF);
	CHECK_EQ(b.stop.status, 0);
	CHECK(strcmp(b.stop.why, "port 0x8900") == 0);
}
