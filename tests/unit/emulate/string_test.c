/*
 * STOS and MOVS, with and without REP: destination ES:rDI (ES base only
 * outside 64-bit mode), source DS:rSI or its override, DF, the address
 * size choosing rDI/EDI and rCX/ECX, and REP stopping after
 * EMU_REP_BUDGET iterations or at a failed access with the completed
 * iterations kept. Defaults: RAX 0x1010, RCX 0x2011, RSI 0x7016, RDI 0x8017.
 */
#include "tests/unit/harness.h"

#include "tests/unit/emulate/case.h"
#include "tests/unit/emulate/fake.h"

/* clang-format off */
static const struct emu_case strings[] = {
	{M64, "stosl", {0xab}, 1, .acc = {W(0x8017, 4, 0x1010)}, .out = {OUT(RDI, 0x801b)},
	 .what = "stos"},
	{M64, "stosb", {0xaa}, 1, .flags_in = DF, .acc = {W(0x8017, 1, 0x10)},
	 .out = {OUT(RDI, 0x8016)}},
	{M64, "stosq", {0x48, 0xab}, 2, .es = 0x100000, .acc = {W(0x8017, 8, 0x1010)},
	 .out = {OUT(RDI, 0x801f)}},
	{M64, "stosw", {0x66, 0xab}, 2, .flags_in = DF, .acc = {W(0x8017, 2, 0x1010)},
	 .out = {OUT(RDI, 0x8015)}},
	{M64, "movsl", {0xa5}, 1, .mem = 0x55, .acc = {R(0x7016, 4), W(0x8017, 4, 0x55)},
	 .out = {OUT(RSI, 0x701a), OUT(RDI, 0x801b)}, .what = "movs"},
	{M64, "rep stosq", {0xf3, 0x48, 0xab}, 3, .in = {IN(RCX, 3)},
	 .acc = {W(0x8017, 8, 0x1010), W(0x801f, 8, 0x1010), W(0x8027, 8, 0x1010)},
	 .out = {OUT(RCX, 0), OUT(RDI, 0x802f)}, .what = "rep stos"},
	{M64, "rep stosl", {0xf3, 0xab}, 2, .in = {IN(RCX, 0)}},
	{M64, "rep movsb %fs:(%rsi), %es:(%rdi)", {0x64, 0xf3, 0xa4}, 3, .fs = 0x10000,
	 .in = {IN(RCX, 2)},
	 .mem = 0xab,
	 .acc = {R(0x17016, 1), W(0x8017, 1, 0xab), R(0x17017, 1), W(0x8018, 1, 0xab)},
	 .out = {OUT(RCX, 0), OUT(RSI, 0x7018), OUT(RDI, 0x8019)}, .what = "rep movs"},
	{M64, "rep movsq", {0xf3, 0x48, 0xa5}, 3, .flags_in = DF, .in = {IN(RCX, 1)},
	 .mem = 0x1122334455667788ull,
	 .acc = {R(0x7016, 8), W(0x8017, 8, 0x1122334455667788ull)},
	 .out = {OUT(RCX, 0), OUT(RSI, 0x700e), OUT(RDI, 0x800f)}},
	/* 0x67: EDI and ECX, written back zero-extended */
	{M64, "stosl %eax, %es:(%edi)", {0x67, 0xab}, 2, .in = {IN(RDI, 0xffffffff00008017ull)},
	 .acc = {W(0x8017, 4, 0x1010)}, .out = {OUT(RDI, 0x801b)}},
	{M64, "rep stosb %al, %es:(%edi)", {0x67, 0xf3, 0xaa}, 3, .in = {IN(RCX, 0x100000002ull)},
	 .acc = {W(0x8017, 1, 0x10), W(0x8018, 1, 0x10)},
	 .out = {OUT(RCX, 0), OUT(RDI, 0x8019)}},
	/* 32-bit mode: ES base for the destination, DS for the source */
	{M32, "stosl", {0xab}, 1, .es = 0x100000, .ds = 0x200000, .acc = {W(0x108017, 4, 0x1010)},
	 .out = {OUT(RDI, 0x801b)}},
	{M32, "movsw", {0x66, 0xa5}, 2, .flags_in = DF, .ds = 0x1000, .es = 0x2000, .mem = 0x4242,
	 .acc = {R(0x8016, 2), W(0xa017, 2, 0x4242)},
	 .out = {OUT(RSI, 0x7014), OUT(RDI, 0x8015)}},
	{M32, "rep stosw", {0x66, 0xf3, 0xab}, 3, .flags_in = DF, .in = {IN(RCX, 2)},
	 .acc = {W(0x8017, 2, 0x1010), W(0x8015, 2, 0x1010)},
	 .out = {OUT(RCX, 0), OUT(RDI, 0x8013)}},
	{M32, "stosb", {0xaa}, 1, .in = {IN(RDI, 0xffffffff)}, .acc = {W(0xffffffff, 1, 0x10)},
	 .out = {OUT(RDI, 0)}},
};
/* clang-format on */

TEST(string_table)
{
	RUN_TABLE(strings);
}

static const uint8_t rep_stosb[] = {0xf3, 0xaa};

/* A long REP stops after EMU_REP_BUDGET iterations with RIP on the instruction. */
TEST(rep_budget)
{
	struct emu_cpu cpu;
	struct fake_guest g;
	struct emu_ops ops;
	struct emu_result res;

	fake_cpu_init(&cpu, M64, 0x401000);
	cpu.gpr[RCX] = EMU_REP_BUDGET + 5;
	fake_guest_init(&g, 0x401000, rep_stosb, sizeof(rep_stosb));
	ops = fake_guest_ops(&g);

	CHECK_EQ(emu_step(&cpu, &ops, &res), EMU_OK);
	CHECK_EQ(g.naccess, EMU_REP_BUDGET);
	CHECK_EQ(cpu.gpr[RCX], 5);
	CHECK_EQ(cpu.gpr[RDI], 0x8017 + EMU_REP_BUDGET);
	CHECK_EQ(cpu.rip, 0x401000);
	CHECK_EQ(g.log[FAKE_LOG_MAX - 1].linear, 0x8017 + FAKE_LOG_MAX - 1);

	CHECK_EQ(emu_step(&cpu, &ops, &res), EMU_OK);
	CHECK_EQ(g.naccess, EMU_REP_BUDGET + 5);
	CHECK_EQ(cpu.gpr[RCX], 0);
	CHECK_EQ(cpu.gpr[RDI], 0x8017 + EMU_REP_BUDGET + 5);
	CHECK_EQ(cpu.rip, 0x401002);
}

/* A failed access in the middle keeps the iterations done, RIP stays. */
TEST(rep_access_failure)
{
	struct emu_cpu cpu;
	struct fake_guest g;
	struct emu_ops ops;
	struct emu_result res;

	fake_cpu_init(&cpu, M64, 0x401000);
	cpu.gpr[RCX] = 10;
	fake_guest_init(&g, 0x401000, rep_stosb, sizeof(rep_stosb));
	g.limit_writes = true;
	g.write_limit = 3;
	ops = fake_guest_ops(&g);

	CHECK_EQ(emu_step(&cpu, &ops, &res), EMU_ACCESS_FAILED);
	CHECK_EQ(res.status, EMU_ACCESS_FAILED);
	CHECK_EQ(g.naccess, 3);
	CHECK_EQ(cpu.gpr[RCX], 7);
	CHECK_EQ(cpu.gpr[RDI], 0x801a);
	CHECK_EQ(cpu.rip, 0x401000);
	CHECK_EQ(res.length, 2);
}

/* A MOVS whose write fails changes nothing (no REP: nothing completed). */
TEST(movs_write_failure)
{
	static const uint8_t movsl[] = {0xa5};
	struct emu_cpu cpu, before;
	struct fake_guest g;
	struct emu_ops ops;
	struct emu_result res;

	fake_cpu_init(&cpu, M64, 0x401000);
	before = cpu;
	fake_guest_init(&g, 0x401000, movsl, sizeof(movsl));
	g.fail_write = true;
	ops = fake_guest_ops(&g);

	CHECK_EQ(emu_step(&cpu, &ops, &res), EMU_ACCESS_FAILED);
	CHECK(memcmp(&cpu, &before, sizeof(cpu)) == 0);
	CHECK_EQ(g.naccess, 1); /* the read */
}
