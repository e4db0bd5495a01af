/* The pit suite's machine (see env.h), and main(). */
#define HARNESS_MAIN
#include "tests/unit/harness.h"

#include <stdarg.h>

#include "tests/unit/pit/env.h"

struct env env;
static size_t log_len;

static uint64_t fake_now(void *ctx)
{
	(void)ctx;
	return env.now;
}

static void record_level(void *chip, unsigned pin, bool level)
{
	(void)chip;
	if (pin != 0)
		env.wrong_pin++;
	if (level && !env.line)
		env.rises++;
	env.line = level;
	if (env.nchanges < ENV_MAX_CHANGES)
		env.changes[env.nchanges++] = (struct irq_change){env.now, level};
}

static int capture_vprintf(const char *fmt, va_list ap)
{
	int n = vsnprintf(env.log + log_len, sizeof(env.log) - log_len, fmt, ap);
	if (n > 0)
		log_len += (size_t)n;
	if (log_len >= sizeof(env.log))
		log_len = sizeof(env.log) - 1;
	return n;
}

void env_reset(void)
{
	memset(&env, 0, sizeof(env));
	log_len = 0;
	env.chip = (struct io_irq_chip){record_level, &env};
	struct io_clock clock = {fake_now, 0};
	pit_init(&env.pit, &clock, (struct io_irq){&env.chip, 0});
}

void env_at(uint64_t ns)
{
	if (ns < env.now) {
		printf("  guest time may not go back (%llu < %llu)\n", (unsigned long long)ns,
		       (unsigned long long)env.now);
		harness_current_failed = 1;
		return;
	}
	env.now = ns;
}

uint64_t pulse_ns(uint64_t k)
{
	unsigned __int128 num = (unsigned __int128)k * PIT_HZ_DEN * 1000000000ull;
	return (uint64_t)((num + PIT_HZ_NUM - 1) / PIT_HZ_NUM);
}

void env_at_pulse(uint64_t k)
{
	env_at(pulse_ns(k));
}

bool pio_in_sized(uint16_t port, unsigned size, uint32_t *value)
{
	if (port == PIT_PORT61)
		return pit_port61_read(&env.pit, 0, size, value);
	return pit_port_read(&env.pit, (uint16_t)(port - PIT_PORT_BASE), size, value);
}

bool pio_out_sized(uint16_t port, unsigned size, uint32_t value)
{
	if (port == PIT_PORT61)
		return pit_port61_write(&env.pit, 0, size, value);
	return pit_port_write(&env.pit, (uint16_t)(port - PIT_PORT_BASE), size, value);
}

uint8_t pio_in(uint16_t port)
{
	uint32_t v = 0;
	if (!pio_in_sized(port, 1, &v)) {
		printf("  byte read of port 0x%x not claimed\n", port);
		harness_current_failed = 1;
	}
	return (uint8_t)v;
}

void pio_out(uint16_t port, uint8_t value)
{
	if (!pio_out_sized(port, 1, value)) {
		printf("  byte write of port 0x%x not claimed\n", port);
		harness_current_failed = 1;
	}
}

void pit_program(uint8_t cw, uint16_t count)
{
	uint16_t port = (uint16_t)(PIT_PORT_BASE + pit_cw_select(cw));
	enum pit_rw rw = pit_cw_rw(cw);

	pio_out(0x43, cw);
	if (rw != PIT_RW_MSB)
		pio_out(port, (uint8_t)count);
	if (rw != PIT_RW_LSB)
		pio_out(port, (uint8_t)(count >> 8));
}

uint16_t pit_latched_count(unsigned ch)
{
	pio_out(0x43, (uint8_t)(ch << 6));
	uint8_t lsb = pio_in((uint16_t)(PIT_PORT_BASE + ch));
	uint8_t msb = pio_in((uint16_t)(PIT_PORT_BASE + ch));
	return (uint16_t)(lsb | msb << 8);
}

uint8_t pit_status(unsigned ch)
{
	pio_out(0x43, (uint8_t)(0xc0 | PIT_RB_NO_COUNT | PIT_RB_SELECT(ch)));
	return pio_in((uint16_t)(PIT_PORT_BASE + ch));
}

bool pit_out(unsigned ch)
{
	return pit_status(ch) & PIT_ST_OUT;
}

void run_machine(uint64_t until, uint64_t late)
{
	struct io_timer *t = &env.pit.timer;
	unsigned fires = 0;

	while (io_timer_armed(t) && t->deadline + late <= until) {
		uint64_t deadline = t->deadline;
		if (deadline + late > env.now)
			env.now = deadline + late;
		io_timer_disarm(t);
		t->fire(t->dev, env.now);
		if (io_timer_armed(t) && t->deadline <= env.now) {
			printf("  timer re-armed at %llu, not after now %llu\n",
			       (unsigned long long)t->deadline, (unsigned long long)env.now);
			harness_current_failed = 1;
			return;
		}
		if (++fires > 10000000) {
			printf("  timer runaway\n");
			harness_current_failed = 1;
			return;
		}
	}
	if (until > env.now)
		env.now = until;
}

unsigned rises_between(uint64_t from, uint64_t to)
{
	unsigned n = 0;
	bool level = false;

	for (unsigned i = 0; i < env.nchanges; i++) {
		const struct irq_change *c = &env.changes[i];
		if (c->level && !level && c->ns >= from && c->ns < to)
			n++;
		level = c->level;
	}
	return n;
}

void pit_print_capture(void)
{
	log_len = 0;
	env.log[0] = '\0';
	struct io_log log;
	io_log_init(&log, capture_vprintf, "vmx: guest: ");
	pit_print(&env.pit, &log);
}
