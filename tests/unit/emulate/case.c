#define HARNESS_MAIN
#include "tests/unit/harness.h"

#include "tests/unit/emulate/case.h"
#include "tests/unit/emulate/fake.h"

static void setup(const struct emu_case *c, struct emu_cpu *cpu)
{
	uint64_t rip = c->rip ? c->rip : c->mode == M64 ? CASE_DEFAULT_RIP64 : CASE_DEFAULT_RIP32;

	fake_cpu_init(cpu, c->mode, rip);
	for (unsigned i = 0; i < 4 && c->in[i].reg1; i++)
		cpu->gpr[c->in[i].reg1 - 1] = c->in[i].value;
	cpu->rflags = FAKE_RFLAGS | c->flags_in;
	cpu->cs_base = c->cs;
	cpu->ds_base = c->ds;
	cpu->es_base = c->es;
	cpu->ss_base = c->ss;
	cpu->fs_base = c->fs;
	cpu->gs_base = c->gs;
}

static void expect(const struct emu_case *c, const struct emu_cpu *before, struct emu_cpu *want)
{
	*want = *before;
	for (unsigned i = 0; i < 4 && c->out[i].reg1; i++)
		want->gpr[c->out[i].reg1 - 1] = c->out[i].value;
	if (c->sets_flags)
		want->rflags = FAKE_RFLAGS | c->flags;
	want->rip = before->rip + c->len;
	if (c->mode == M32)
		want->rip &= 0xFFFFFFFFull;
}

static int check_accesses(const struct emu_case *c, const struct fake_guest *g)
{
	unsigned n = 0;
	int bad = 0;

	while (n < 5 && c->acc[n].kind)
		n++;
	if (g->naccess != n) {
		printf("  %s: %u accesses, expected %u\n", c->src, g->naccess, n);
		bad = 1;
	}
	for (unsigned i = 0; i < n && i < g->nlog; i++) {
		const struct case_access *e = &c->acc[i];
		const struct fake_access *a = &g->log[i];
		if (a->kind != e->kind || a->linear != e->linear || a->size != e->size ||
		    (e->kind == 'W' && a->value != e->value)) {
			printf("  %s: access %u is %c 0x%llx size %u value 0x%llx, expected "
			       "%c 0x%llx size %u value 0x%llx\n",
			       c->src, i, a->kind, (unsigned long long)a->linear, a->size,
			       (unsigned long long)a->value, e->kind, (unsigned long long)e->linear,
			       e->size, (unsigned long long)e->value);
			bad = 1;
		}
	}
	return bad;
}

static int check_cpu(const struct emu_case *c, const struct emu_cpu *got,
                     const struct emu_cpu *want)
{
	int bad = 0;

	for (int i = 0; i < 16; i++) {
		if (got->gpr[i] != want->gpr[i]) {
			printf("  %s: gpr[%d] = 0x%llx, expected 0x%llx\n", c->src, i,
			       (unsigned long long)got->gpr[i], (unsigned long long)want->gpr[i]);
			bad = 1;
		}
	}
	if (got->rflags != want->rflags) {
		printf("  %s: rflags = 0x%llx, expected 0x%llx\n", c->src,
		       (unsigned long long)got->rflags, (unsigned long long)want->rflags);
		bad = 1;
	}
	if (got->rip != want->rip) {
		printf("  %s: rip = 0x%llx, expected 0x%llx\n", c->src,
		       (unsigned long long)got->rip, (unsigned long long)want->rip);
		bad = 1;
	}
	return bad;
}

void run_case(const struct emu_case *c)
{
	struct emu_cpu cpu, before, want;
	struct fake_guest g;
	struct emu_ops ops;
	struct emu_result res;
	enum emu_status st;
	int bad = 0;

	setup(c, &cpu);
	before = cpu;
	fake_guest_init(&g, c->mode == M32 ? (c->cs + cpu.rip) & 0xFFFFFFFFull : cpu.rip, c->code,
	                c->len);
	g.read_value = c->mem;
	ops = fake_guest_ops(&g);
	st = emu_step(&cpu, &ops, &res);
	if (st != EMU_OK || res.status != EMU_OK) {
		printf("  %s: status %s (%s)\n", c->src, emu_status_name(st), res.what);
		harness_current_failed = 1;
		return;
	}
	if (res.length != c->len || res.nbytes < c->len ||
	    memcmp(res.bytes, c->code, c->len) != 0) {
		printf("  %s: length %u nbytes %u, expected %u\n", c->src, res.length, res.nbytes,
		       c->len);
		bad = 1;
	}
	if (c->what && strcmp(res.what, c->what) != 0) {
		printf("  %s: what \"%s\", expected \"%s\"\n", c->src, res.what, c->what);
		bad = 1;
	}
	if (g.bad_size || g.fetch_oversize) {
		printf("  %s: bad access size or oversized fetch\n", c->src);
		bad = 1;
	}
	expect(c, &before, &want);
	bad |= check_accesses(c, &g);
	bad |= check_cpu(c, &cpu, &want);
	if (bad)
		harness_current_failed = 1;
}

void run_cases(const struct emu_case *cases, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		run_case(&cases[i]);
}
