/* The uart suite's bench (see bench.h) and its main(). */
#define HARNESS_MAIN
#include "tests/unit/harness.h"

#include <stdarg.h>

#include "tests/unit/uart/bench.h"

struct bench bench;
static unsigned edges_seen;

static void record_level(void *chip, unsigned pin, bool level)
{
	struct bench *b = chip;
	if (pin != BENCH_IRQ_PIN)
		b->wrong_pin++;
	if (b->changes < BENCH_MAX_CHANGES)
		b->change[b->changes++] = level;
}

static void collect(void *ctx, uint8_t byte)
{
	struct bench *b = ctx;
	if (b->nout < BENCH_MAX_OUT)
		b->out[b->nout++] = byte;
}

static uint64_t bench_now(void *ctx)
{
	return ((struct bench *)ctx)->now;
}

struct ns16550 *bench_start(void)
{
	memset(&bench, 0, sizeof(bench));
	bench.chip = (struct io_irq_chip){.set_level = record_level, .chip = &bench};
	struct io_irq irq = {.chip = &bench.chip, .pin = BENCH_IRQ_PIN};
	struct io_clock clock = {.now = bench_now, .ctx = &bench};
	ns16550_init(&bench.uart, irq, clock, collect, &bench);
	bench.changes = 0;
	edges_seen = 0;
	return &bench.uart;
}

uint8_t rd(uint16_t offset)
{
	uint32_t value = 0xdeadbeef;
	if (!ns16550_port_read(&bench.uart, offset, 1, &value)) {
		bench.refused++;
		return 0xff; /* what the bus answers for an unclaimed port */
	}
	return (uint8_t)value;
}

void wr(uint16_t offset, uint8_t value)
{
	if (!ns16550_port_write(&bench.uart, offset, 1, value))
		bench.refused++;
}

bool bench_line(void)
{
	return bench.changes ? bench.change[bench.changes - 1] : false;
}

void bench_advance(uint64_t ns)
{
	bench.now += ns;
	struct io_timer *t = ns16550_timer(&bench.uart);
	if (io_timer_armed(t) && t->deadline <= bench.now) {
		io_timer_disarm(t);
		t->fire(t->dev, bench.now);
	}
}

const char *bench_edges(void)
{
	static char text[BENCH_MAX_CHANGES + 1];
	unsigned n = 0;
	for (; edges_seen < bench.changes; edges_seen++)
		text[n++] = bench.change[edges_seen] ? '1' : '0';
	text[n] = '\0';
	return text;
}

void bench_setup(uint16_t divisor, uint8_t fcr, uint8_t ier, uint8_t mcr)
{
	wr(NS16550_LCR, NS16550_LCR_DLAB | 0x03);
	wr(NS16550_DLL, (uint8_t)divisor);
	wr(NS16550_DLM, (uint8_t)(divisor >> 8));
	wr(NS16550_LCR, 0x03); /* 8 data bits, no parity, 1 stop bit */
	wr(NS16550_FCR, fcr);
	wr(NS16550_IER, ier);
	wr(NS16550_MCR, mcr);
}

int bench_vprintf(const char *fmt, va_list ap)
{
	size_t room = sizeof(bench.log) - bench.loglen;
	int n = vsnprintf(bench.log + bench.loglen, room, fmt, ap);
	if (n > 0)
		bench.loglen += (size_t)n < room ? (unsigned)n : (unsigned)room - 1;
	return n;
}
