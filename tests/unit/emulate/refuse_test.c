/*
 * What the emulator must refuse or report, leaving the vCPU untouched and
 * making no memory access: register operands (not an MMIO access),
 * opcodes and group members it does not emulate, prefixes an instruction
 * does not allow, 16-bit addressing, over-long instructions, fetch and
 * access failures. Also the instruction-fetch edge cases: page crossing,
 * the 15-byte limit and 32-bit RIP wrap-around.
 */
#include "tests/unit/harness.h"

#include "tests/unit/emulate/case.h"
#include "tests/unit/emulate/fake.h"

struct refuse_case {
	int mode;
	const char *src;
	uint8_t code[15];
	unsigned len;
	enum emu_status status;
	const char *what; /* expected prefix of res.what */
};

/* clang-format off */
static const struct refuse_case refusals[] = {
	/* mod=3: both operands are registers */
	{M64, "movl %eax, %ebx", {0x89, 0xc3}, 2, EMU_UNSUPPORTED, "register operand"},
	{M64, "addq %rax, %r9", {0x49, 0x01, 0xc1}, 3, EMU_UNSUPPORTED, "register operand"},
	{M64, "movzbl %ah, %eax", {0x0f, 0xb6, 0xc4}, 3, EMU_UNSUPPORTED, "register operand"},
	{M64, "cmpxchgl %ecx, %ebx", {0x0f, 0xb1, 0xcb}, 3, EMU_UNSUPPORTED, "register operand"},
	{M64, "btsl $3, %ebx", {0x0f, 0xba, 0xeb, 0x03}, 4, EMU_UNSUPPORTED, "register operand"},
	{M64, "testl $1, %ebx", {0xf7, 0xc3, 0x01, 0x00, 0x00, 0x00}, 6,
	 EMU_UNSUPPORTED, "register operand"},
	{M64, "movl $1, %ebx", {0xbb, 0x01, 0x00, 0x00, 0x00}, 5,
	 EMU_UNSUPPORTED, "opcode not emulated: bb"},
	{M32, "movl %eax, %ebx", {0x89, 0xc3}, 2, EMU_UNSUPPORTED, "register operand"},
	/* opcodes and group members that are not emulated */
	{M64, "nop", {0x90}, 1, EMU_UNSUPPORTED, "opcode not emulated: 90"},
	{M64, "cpuid", {0x0f, 0xa2}, 2, EMU_UNSUPPORTED, "opcode not emulated: 0f a2"},
	{M64, "pushq (%rbx)", {0xff, 0x33}, 2, EMU_UNSUPPORTED, "opcode not emulated: ff / 06"},
	{M64, "call *(%rbx)", {0xff, 0x13}, 2, EMU_UNSUPPORTED, "opcode not emulated: ff / 02"},
	{M64, ".byte 0xfe, 0x13 /* fe /2 */", {0xfe, 0x13}, 2,
	 EMU_UNSUPPORTED, "opcode not emulated: fe / 02"},
	{M64, "mulb (%rbx)", {0xf6, 0x23}, 2, EMU_UNSUPPORTED, "opcode not emulated: f6 / 04"},
	{M64, "idivl (%rbx)", {0xf7, 0x3b}, 2, EMU_UNSUPPORTED, "opcode not emulated: f7 / 07"},
	{M64, ".byte 0xf6, 0x0b, 0x01 /* test alias f6 /1 */", {0xf6, 0x0b, 0x01}, 3,
	 EMU_UNSUPPORTED,
	 "opcode not emulated: f6 / 01"},
	{M64, ".byte 0xc7, 0x0b, 0, 0, 0, 0 /* c7 /1 */", {0xc7, 0x0b, 0x00, 0x00, 0x00, 0x00}, 6,
	 EMU_UNSUPPORTED,
	 "opcode not emulated: c7 / 01"},
	{M64, "addl $0x1000, %eax", {0x05, 0x00, 0x10, 0x00, 0x00}, 5,
	 EMU_UNSUPPORTED, "opcode not emulated: 05"},
	{M64, "btl %eax, (%rbx)", {0x0f, 0xa3, 0x03}, 3,
	 EMU_UNSUPPORTED, "opcode not emulated: 0f a3"},
	{M64, "movntil %eax, (%rbx)", {0x0f, 0xc3, 0x03}, 3,
	 EMU_UNSUPPORTED, "opcode not emulated: 0f c3"},
	{M64, "movd (%rbx), %xmm0", {0x66, 0x0f, 0x6e, 0x03}, 4,
	 EMU_UNSUPPORTED, "opcode not emulated"},
	{M64, "mov (%rbx), %es", {0x8e, 0x03}, 2, EMU_UNSUPPORTED, "opcode not emulated: 8e"},
	{M64, "cmpxchg16b (%rbx)", {0x48, 0x0f, 0xc7, 0x0b}, 4, EMU_UNSUPPORTED, "cmpxchg16b"},
	{M64, "cmpsb", {0xa6}, 1, EMU_UNSUPPORTED, "opcode not emulated: a6"},
	{M64, "lodsl", {0xad}, 1, EMU_UNSUPPORTED, "opcode not emulated: ad"},
	{M64, ".byte 0x0f", {0x0f}, 1, EMU_FETCH_FAILED, "instruction fetch failed"},
	{M32, ".byte 0x82, 0x03, 0x01 /* addb alias */", {0x82, 0x03, 0x01}, 3, EMU_UNSUPPORTED,
	 "opcode not emulated: 82"},
	{M32, "incl %eax", {0x40}, 1, EMU_UNSUPPORTED, "opcode not emulated: 40"},
	{M32, "arpl %ax, (%ebx)", {0x63, 0x03}, 2, EMU_UNSUPPORTED, "opcode not emulated: 63"},
	/* prefixes the instruction does not allow (#UD on hardware) */
	{M64, ".byte 0xf0, 0x89, 0x03 /* lock mov */", {0xf0, 0x89, 0x03}, 3,
	 EMU_UNSUPPORTED, "LOCK"},
	{M64, ".byte 0xf0, 0x8b, 0x03 /* lock mov load */", {0xf0, 0x8b, 0x03}, 3,
	 EMU_UNSUPPORTED, "LOCK"},
	{M64, ".byte 0xf0, 0x83, 0x3b, 0x01 /* lock cmp */", {0xf0, 0x83, 0x3b, 0x01}, 4,
	 EMU_UNSUPPORTED, "LOCK"},
	{M64, ".byte 0xf0, 0x85, 0x03 /* lock test */", {0xf0, 0x85, 0x03}, 3,
	 EMU_UNSUPPORTED, "LOCK"},
	{M64, ".byte 0xf0, 0x03, 0x03 /* lock add to a register */", {0xf0, 0x03, 0x03}, 3,
	 EMU_UNSUPPORTED,
	 "LOCK"},
	{M64, ".byte 0xf0, 0x0f, 0xba, 0x23, 0x01 /* lock bt */", {0xf0, 0x0f, 0xba, 0x23, 0x01}, 5,
	 EMU_UNSUPPORTED,
	 "LOCK"},
	{M64, ".byte 0xf0, 0x0f, 0xb6, 0x03 /* lock movzx */", {0xf0, 0x0f, 0xb6, 0x03}, 4,
	 EMU_UNSUPPORTED, "LOCK"},
	{M64, ".byte 0xf0, 0xa5 /* lock movs */", {0xf0, 0xa5}, 2, EMU_UNSUPPORTED, "LOCK"},
	{M64, ".byte 0xf0, 0xa1, 0, 0, 0, 0, 0, 0, 0, 0 /* lock mov moffs */",
	 {0xf0, 0xa1, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}, 10,
	 EMU_UNSUPPORTED, "LOCK"},
	{M64, ".byte 0xf2, 0xab /* repne stos */", {0xf2, 0xab}, 2, EMU_UNSUPPORTED, "REP"},
	{M64, ".byte 0xf3, 0x89, 0x03 /* rep/xrelease mov */", {0xf3, 0x89, 0x03}, 3,
	 EMU_UNSUPPORTED, "REP"},
	{M64, ".byte 0xf2, 0xf0, 0x01, 0x03 /* xacquire lock add */", {0xf2, 0xf0, 0x01, 0x03}, 4,
	 EMU_UNSUPPORTED,
	 "REP"},
	{M64, "pause", {0xf3, 0x90}, 2, EMU_UNSUPPORTED, "opcode not emulated: 90"},
	{M32, ".byte 0x67, 0x89, 0x07 /* 16-bit addressing */", {0x67, 0x89, 0x07}, 3,
	 EMU_UNSUPPORTED,
	 "16-bit addressing"},
	/* 14 prefixes + a 2-byte MOV: 16 bytes */
	{M64, ".byte 0x66,0x66,0x66,0x66,0x66,0x66,0x66,0x66,0x66,0x66,0x66,0x66,0x66,0x66",
	 {0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66}, 14,
	  EMU_UNSUPPORTED, "longer than 15 bytes"},
};
/* clang-format on */

static void run_refusal(const struct refuse_case *c)
{
	struct emu_cpu cpu, before;
	struct fake_guest g;
	struct emu_ops ops;
	struct emu_result res;
	enum emu_status st;
	/* The over-long case: code continues past what the table holds. */
	uint8_t code[32];
	unsigned len = c->len;

	memcpy(code, c->code, len);
	if (strcmp(c->what, "longer than 15 bytes") == 0) {
		code[len++] = 0x89;
		code[len++] = 0x03;
	}
	fake_cpu_init(&cpu, c->mode, 0x401000);
	before = cpu;
	fake_guest_init(&g, 0x401000, code, len);
	g.read_value = 0x1234;
	ops = fake_guest_ops(&g);
	st = emu_step(&cpu, &ops, &res);
	if (st != c->status || res.status != c->status ||
	    strncmp(res.what, c->what, strlen(c->what)) != 0) {
		printf("  %s: status %s \"%s\", expected %s \"%s\"\n", c->src, emu_status_name(st),
		       res.what, emu_status_name(c->status), c->what);
		harness_current_failed = 1;
	}
	if (g.naccess != 0 || memcmp(&cpu, &before, sizeof(cpu)) != 0) {
		printf("  %s: accessed memory or changed the vCPU\n", c->src);
		harness_current_failed = 1;
	}
	if (res.nbytes == 0 || res.nbytes > EMU_MAX_INSN_LEN || res.length > res.nbytes ||
	    memcmp(res.bytes, code, res.nbytes < len ? res.nbytes : len) != 0) {
		printf("  %s: bytes for the log are wrong (nbytes %u length %u)\n", c->src,
		       res.nbytes, res.length);
		harness_current_failed = 1;
	}
	if (g.fetch_max_linear >= 0x401000 + EMU_MAX_INSN_LEN || g.fetch_oversize) {
		printf("  %s: fetched past the 15-byte limit\n", c->src);
		harness_current_failed = 1;
	}
}

TEST(refusals)
{
	for (unsigned i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++)
		run_refusal(&refusals[i]);
}

/* clang-format off */
static const struct emu_case edges[] = {
	/* 13 prefixes + a 2-byte MOV: exactly 15 bytes is fine */
	{M64, ".byte 0x66,0x66,0x66,0x66,0x66,0x66,0x66,0x66,0x66,0x66,0x66,0x66,0x66,0x89,0x03",
	 {0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x89, 0x03},
	  15, .acc = {W(0x4013, 2, 0x1010)}},
	{M64, "lock addq $0x12345678, %fs:0x12345678(%rax,%rbx,4)",
	 {0x64, 0xf0, 0x48, 0x81, 0x84, 0x98, 0x78, 0x56, 0x34, 0x12, 0x78, 0x56, 0x34, 0x12}, 14,
	  .fs = 0x100000000ull,
	 .mem = 1, .acc = {R(0x1123566d4ull, 8), W(0x1123566d4ull, 8, 0x12345679)}, FL(0)},
	/* the last prefix of a group wins; REX must be last to count */
	{M64, ".byte 0x64, 0x65, 0x89, 0x03 /* fs gs mov */", {0x64, 0x65, 0x89, 0x03}, 4,
	 .fs = 0x10000,
	 .gs = 0x20000, .acc = {W(0x24013, 4, 0x1010)}},
	{M64, ".byte 0x41, 0x48, 0x89, 0x03 /* two REX: the last one */",
	 {0x41, 0x48, 0x89, 0x03}, 4,
	 .acc = {W(0x4013, 8, 0x1010)}},
	{M64, ".byte 0x2e, 0x3e, 0x26, 0x36, 0x89, 0x03 /* null segments */",
	 {0x2e, 0x3e, 0x26, 0x36, 0x89, 0x03}, 6,
	 .ds = 0x1000, .acc = {W(0x4013, 4, 0x1010)}},
	/* 32-bit RIP wraps at 4 GiB, and so does CS base + EIP */
	{M32, "movl %ecx, (%ebx)", {0x89, 0x0b}, 2, .rip = 0xfffffffe,
	 .acc = {W(0x4013, 4, 0x2011)}},
	{M32, "movl %ecx, (%ebx)", {0x89, 0x0b}, 2, .rip = 0xfffff000, .cs = 0x1000,
	 .acc = {W(0x4013, 4, 0x2011)}},
};
/* clang-format on */

TEST(fetch_edges)
{
	RUN_TABLE(edges);
}

/* "movl $0x12345678, 0x20(%rip)": 10 bytes. */
static const uint8_t mov_imm_rip[] = {0xc7, 0x05, 0x20, 0x00, 0x00, 0x00, 0x78, 0x56, 0x34, 0x12};

TEST(truncated_fetch)
{
	struct emu_cpu cpu, before;
	struct fake_guest g;
	struct emu_ops ops;
	struct emu_result res;

	fake_cpu_init(&cpu, M64, 0x401000);
	before = cpu;
	fake_guest_init(&g, 0x401000, mov_imm_rip, 5);
	ops = fake_guest_ops(&g);
	CHECK_EQ(emu_step(&cpu, &ops, &res), EMU_FETCH_FAILED);
	CHECK_EQ(res.status, EMU_FETCH_FAILED);
	CHECK_EQ(res.nbytes, 5);
	CHECK_EQ(res.length, 0);
	CHECK(memcmp(res.bytes, mov_imm_rip, 5) == 0);
	CHECK_EQ(g.naccess, 0);
	CHECK(memcmp(&cpu, &before, sizeof(cpu)) == 0);
	CHECK(g.fetch_failures >= 1);
}

/* An instruction across a page boundary: one fetch for each page. */
TEST(fetch_across_page)
{
	struct emu_cpu cpu;
	struct fake_guest g;
	struct emu_ops ops;
	struct emu_result res;
	uint8_t code[20];

	memcpy(code, mov_imm_rip, sizeof(mov_imm_rip));
	memset(code + sizeof(mov_imm_rip), 0xcc, sizeof(code) - sizeof(mov_imm_rip));
	fake_cpu_init(&cpu, M64, 0x400ffd);
	fake_guest_init(&g, 0x400ffd, code, sizeof(code));
	ops = fake_guest_ops(&g);
	CHECK_EQ(emu_step(&cpu, &ops, &res), EMU_OK);
	CHECK_EQ(g.fetch_calls, 2);
	CHECK_EQ(res.length, 10);
	CHECK_EQ(cpu.rip, 0x401007);
	REQUIRE(g.naccess == 1);
	CHECK_EQ(g.log[0].linear, 0x401007 + 0x20);
	CHECK_EQ(g.log[0].value, 0x12345678);
}

/* Code that ends exactly where the instruction ends: the fetcher falls back to single bytes. */
TEST(fetch_exact_end)
{
	struct emu_cpu cpu;
	struct fake_guest g;
	struct emu_ops ops;
	struct emu_result res;

	fake_cpu_init(&cpu, M64, 0x401000);
	fake_guest_init(&g, 0x401000, mov_imm_rip, sizeof(mov_imm_rip));
	ops = fake_guest_ops(&g);
	CHECK_EQ(emu_step(&cpu, &ops, &res), EMU_OK);
	CHECK_EQ(res.length, 10);
	CHECK_EQ(res.nbytes, 10);
	CHECK_EQ(cpu.rip, 0x40100a);
	CHECK_EQ(g.naccess, 1);
}

static void expect_unchanged_after_failure(const uint8_t *code, unsigned len, bool fail_read,
                                           unsigned naccess)
{
	struct emu_cpu cpu, before;
	struct fake_guest g;
	struct emu_ops ops;
	struct emu_result res;

	fake_cpu_init(&cpu, M64, 0x401000);
	cpu.gpr[RAX] = 0x1234;
	before = cpu;
	fake_guest_init(&g, 0x401000, code, len);
	g.read_value = 0x1234; /* CMPXCHG: equal, so it writes */
	g.fail_read = fail_read;
	g.fail_write = !fail_read;
	ops = fake_guest_ops(&g);
	CHECK_EQ(emu_step(&cpu, &ops, &res), EMU_ACCESS_FAILED);
	CHECK_EQ(res.status, EMU_ACCESS_FAILED);
	CHECK_EQ(res.length, len);
	CHECK_EQ(g.naccess, naccess);
	CHECK(memcmp(&cpu, &before, sizeof(cpu)) == 0);
}

TEST(access_failures)
{
	static const uint8_t add_mem[] = {0x01, 0x03};         /* addl %eax, (%rbx) */
	static const uint8_t add_reg[] = {0x03, 0x03};         /* addl (%rbx), %eax */
	static const uint8_t xchg[] = {0x87, 0x03};            /* xchgl %eax, (%rbx) */
	static const uint8_t cmpxchg[] = {0x0f, 0xb1, 0x0b};   /* cmpxchgl %ecx, (%rbx) */
	static const uint8_t cmpxchg8b[] = {0x0f, 0xc7, 0x0b}; /* cmpxchg8b (%rbx) */
	static const uint8_t load[] = {0x8b, 0x03};            /* movl (%rbx), %eax */
	static const uint8_t bts[] = {0x0f, 0xba, 0x2b, 0x01}; /* btsl $1, (%rbx) */

	expect_unchanged_after_failure(add_mem, sizeof(add_mem), true, 0);
	expect_unchanged_after_failure(add_mem, sizeof(add_mem), false, 1);
	expect_unchanged_after_failure(add_reg, sizeof(add_reg), true, 0);
	expect_unchanged_after_failure(xchg, sizeof(xchg), false, 1);
	expect_unchanged_after_failure(cmpxchg, sizeof(cmpxchg), false, 1);
	expect_unchanged_after_failure(cmpxchg8b, sizeof(cmpxchg8b), false, 1);
	expect_unchanged_after_failure(load, sizeof(load), true, 0);
	expect_unchanged_after_failure(bts, sizeof(bts), false, 1);
}

TEST(bad_mode)
{
	static const uint8_t mov[] = {0x89, 0x03};
	struct emu_cpu cpu;
	struct fake_guest g;
	struct emu_ops ops;
	struct emu_result res;

	fake_cpu_init(&cpu, 0, 0x1000);
	fake_guest_init(&g, 0x1000, mov, sizeof(mov));
	ops = fake_guest_ops(&g);
	CHECK_EQ(emu_step(&cpu, &ops, &res), EMU_UNSUPPORTED);
	CHECK_EQ(g.naccess, 0);
	CHECK_EQ(cpu.rip, 0x1000);
}

TEST(status_names)
{
	CHECK(strcmp(emu_status_name(EMU_OK), "ok") == 0);
	CHECK(strcmp(emu_status_name(EMU_UNSUPPORTED), "unsupported") == 0);
	CHECK(strcmp(emu_status_name(EMU_FETCH_FAILED), "fetch failed") == 0);
	CHECK(strcmp(emu_status_name(EMU_ACCESS_FAILED), "access failed") == 0);
	CHECK(strcmp(emu_status_name((enum emu_status)99), "unknown") == 0);
}
