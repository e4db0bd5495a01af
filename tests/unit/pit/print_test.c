/* The end-of-guest report line. */
#include "tests/unit/harness.h"
#include "tests/unit/pit/env.h"

static void check_log(const char *want)
{
	pit_print_capture();
	if (strcmp(env.log, want) != 0) {
		printf("  got:  %s  want: %s", env.log, want);
		harness_current_failed = 1;
	}
}

TEST(print_bios_state)
{
	env_reset();
	check_log("pit: ch0 mode 3 count 65536, ch1 mode 2 count 18, ch2 mode 3 count 65536"
	          " gate off, irq0 raises 0\n");
}

TEST(print_after_guest_programming)
{
	env_reset();
	env_at_pulse(100);
	pio_out(0x61, 0x01);
	pit_program(0x34, 11932);
	pit_program(0xb0, 59659);
	pio_out(0x43, 0x77); /* counter 1: mode 3, BCD, no count yet */
	run_machine(1000000000ull, 0);
	/* Rising edges at 101 + 11932 j up to pulse 1193181: 99 of them. */
	check_log("pit: ch0 mode 2 count 11932, ch1 mode 3 bcd, no count, ch2 mode 0 count 59659"
	          " gate on, irq0 raises 99\n");
	pio_out(0x43, 0xba); /* mode 5 with a count, no trigger: armed */
	pio_out(0x42, 0x10);
	pio_out(0x42, 0x00);
	pio_out(0x43, 0x75);
	pio_out(0x41, 0x00);
	pio_out(0x41, 0x00); /* a BCD count of 0 is 10000 */
	check_log("pit: ch0 mode 2 count 11932, ch1 mode 2 count 10000 bcd, ch2 mode 5 count 16"
	          " armed gate on, irq0 raises 99\n");
}
