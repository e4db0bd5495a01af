/* The guest log: once-keys and the line budget. */
#include "tests/unit/harness.h"
#include "tests/unit/io/io_test.h"

TEST(log_once_set_remembers_keys_and_stays_quiet_when_full)
{
	struct io_once s = {0};

	CHECK(io_once_first(&s, 0));
	CHECK(!io_once_first(&s, 0));
	for (uint64_t k = 1; k < IO_ONCE_KEYS; k++)
		CHECK(io_once_first(&s, k));
	CHECK(!io_once_first(&s, 1000)); /* full */
	CHECK(!io_once_first(&s, 1000));
	CHECK_EQ(s.overflow, 2);
}

TEST(log_guest_lines_carry_the_prefix_and_report_lines_do_not)
{
	struct io_bus b;
	struct io_log log;

	io_test_bus(&b, &log);
	io_log_guest(&log, 0, "x=%u\n", 7);
	io_log_print(&log, "pic: %s\n", "report");
	CHECK(strcmp(io_captured, "g: x=7\npic: report\n") == 0);
}

TEST(log_budget_drops_a_flood_and_refills_with_guest_time)
{
	struct io_bus b;
	struct io_log log;

	io_test_bus(&b, &log);
	for (unsigned i = 0; i < 1000; i++)
		io_log_guest(&log, 0, "flood\n");
	CHECK_EQ(io_captured_count("flood"), IO_LOG_BURST);
	CHECK_EQ(log.suppressed, 1000 - IO_LOG_BURST);
	io_capture_reset();
	for (unsigned i = 0; i < 10; i++)
		io_log_guest(&log, 3 * IO_LOG_REFILL_NS, "later\n");
	CHECK_EQ(io_captured_count("later"), 3);
	io_capture_reset();
	CHECK(io_log_guest(&log, 1000 * IO_LOG_REFILL_NS, "much later\n"));
	CHECK_EQ(log.tokens, IO_LOG_BURST - 1); /* refilled to the burst, not beyond */
}

TEST(log_once_lines_also_count_against_the_budget)
{
	struct io_bus b;
	struct io_log log;

	io_test_bus(&b, &log);
	for (unsigned i = 0; i < IO_LOG_BURST; i++)
		io_log_guest(&log, 0, "spend\n");
	CHECK(!io_log_once(&log, 0, 42, "once\n"));
	CHECK(!io_log_once(&log, 0, 42, "once\n")); /* the key was used: never again */
	CHECK_EQ(io_captured_count("once"), 0);
}
