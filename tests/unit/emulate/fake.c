#include "tests/unit/emulate/fake.h"

#include <string.h>

void fake_guest_init(struct fake_guest *g, uint64_t linear, const uint8_t *code, unsigned len)
{
	memset(g, 0, sizeof(*g));
	g->code_linear = linear;
	if (len > FAKE_CODE_MAX)
		len = FAKE_CODE_MAX;
	memcpy(g->code, code, len);
	g->code_len = len;
}

static bool fake_fetch(void *ctx, uint64_t linear, uint8_t *buf, unsigned len)
{
	struct fake_guest *g = ctx;
	uint64_t off = linear - g->code_linear;

	g->fetch_calls++;
	if (len > EMU_MAX_INSN_LEN)
		g->fetch_oversize = true;
	if (len > 0 && linear + len - 1 > g->fetch_max_linear)
		g->fetch_max_linear = linear + len - 1;
	if (len == 0 || off >= g->code_len || len > g->code_len - off) {
		g->fetch_failures++;
		return false;
	}
	memcpy(buf, &g->code[off], len);
	return true;
}

static void record(struct fake_guest *g, char kind, uint64_t linear, unsigned size, uint64_t v)
{
	if (size != 1 && size != 2 && size != 4 && size != 8)
		g->bad_size = true;
	g->naccess++;
	if (g->nlog < FAKE_LOG_MAX)
		g->log[g->nlog++] = (struct fake_access){kind, linear, size, v};
}

static bool fake_read(void *ctx, uint64_t linear, unsigned size, uint64_t *value)
{
	struct fake_guest *g = ctx;

	if (g->fail_read)
		return false;
	/* Garbage above `size` bytes: the emulator must mask it. */
	*value = g->read_from_address ? linear : g->read_value;
	record(g, 'R', linear, size, *value);
	return true;
}

static bool fake_write(void *ctx, uint64_t linear, unsigned size, uint64_t value)
{
	struct fake_guest *g = ctx;

	if (g->fail_write || (g->limit_writes && g->write_limit == 0))
		return false;
	if (g->limit_writes)
		g->write_limit--;
	record(g, 'W', linear, size, value);
	return true;
}

struct emu_ops fake_guest_ops(struct fake_guest *g)
{
	return (struct emu_ops){
	    .fetch = fake_fetch, .read = fake_read, .write = fake_write, .ctx = g};
}

void fake_cpu_init(struct emu_cpu *cpu, int mode, uint64_t rip)
{
	memset(cpu, 0, sizeof(*cpu));
	for (int i = 0; i < 16; i++)
		cpu->gpr[i] = FAKE_GPR(i);
	cpu->rip = rip;
	cpu->rflags = FAKE_RFLAGS;
	cpu->mode = mode;
}
