/*
 * The emulator's ALU against the host CPU: for every ALU opcode, operand
 * size and direction, many operand pairs and incoming flags, the same
 * operation runs natively on registers (inline asm between POPFQ and
 * PUSHFQ) and the result and RFLAGS & 0x8D5 must match. AND/OR/XOR/TEST
 * leave AF undefined; the emulator sets 0, which is what the host does
 * (checked here too, so a host that differs shows up as a failure).
 */
#include "tests/unit/harness.h"

#include "tests/unit/emulate/case.h"
#include "tests/unit/emulate/fake.h"

enum { ALU_ADD, ALU_OR, ALU_ADC, ALU_SBB, ALU_AND, ALU_SUB, ALU_XOR, ALU_CMP, ALU_NOPS };
enum { TO_MEM, TO_REG };

/*
 * a = a OP b natively; *flags holds RFLAGS before and after. The asm moves
 * RSP below the red zone before it pushes.
 */
#define NATIVE(fn, insn, m)                                                   \
	static uint64_t fn(uint64_t a, uint64_t b, uint64_t *flags)           \
	{                                                                     \
		uint64_t f = *flags;                                          \
		__asm__ volatile("sub $128, %%rsp\n\t"                        \
		                 "push %[f]\n\t"                              \
		                 "popfq\n\t" insn " %" m "[b], %" m "[a]\n\t" \
		                 "pushfq\n\t"                                 \
		                 "pop %[f]\n\t"                               \
		                 "add $128, %%rsp"                            \
		                 : [a] "+r"(a), [f] "+r"(f)                   \
		                 : [b] "r"(b)                                 \
		                 : "cc", "memory");                           \
		*flags = f;                                                   \
		return a;                                                     \
	}

#define NATIVE_SIZES(op)                     \
	NATIVE(native_##op##1, #op "b", "b") \
	NATIVE(native_##op##2, #op "w", "w") \
	NATIVE(native_##op##4, #op "l", "k") \
	NATIVE(native_##op##8, #op "q", "q")

NATIVE_SIZES(add)
NATIVE_SIZES(or)
NATIVE_SIZES(adc)
NATIVE_SIZES(sbb)
NATIVE_SIZES(and)
NATIVE_SIZES(sub)
NATIVE_SIZES(xor)
NATIVE_SIZES(cmp)
NATIVE_SIZES(test)

typedef uint64_t (*native_fn)(uint64_t, uint64_t, uint64_t *);

#define NATIVE_ROW(op)                                                         \
	{                                                                      \
		native_##op##1, native_##op##2, native_##op##4, native_##op##8 \
	}

static const native_fn natives[ALU_NOPS][4] = {
    NATIVE_ROW(add), NATIVE_ROW(or),  NATIVE_ROW(adc), NATIVE_ROW(sbb),
    NATIVE_ROW(and), NATIVE_ROW(sub), NATIVE_ROW(xor), NATIVE_ROW(cmp),
};

static const native_fn native_test[4] = NATIVE_ROW(test);

static unsigned size_index(unsigned size)
{
	return size == 1 ? 0 : size == 2 ? 1 : size == 4 ? 2 : 3;
}

struct alu_form {
	int mode;
	const char *src;
	uint8_t code[15];
	unsigned len;
	int op;
	unsigned size;
	int dir;
};

/* clang-format off */
static const struct alu_form forms[] = {
	{M64, "addb %cl, (%rbx)", {0x00, 0x0b}, 2, ALU_ADD, 1, TO_MEM},
	{M64, "addb (%rbx), %cl", {0x02, 0x0b}, 2, ALU_ADD, 1, TO_REG},
	{M64, "addw %cx, (%rbx)", {0x66, 0x01, 0x0b}, 3, ALU_ADD, 2, TO_MEM},
	{M64, "addw (%rbx), %cx", {0x66, 0x03, 0x0b}, 3, ALU_ADD, 2, TO_REG},
	{M64, "addl %ecx, (%rbx)", {0x01, 0x0b}, 2, ALU_ADD, 4, TO_MEM},
	{M64, "addl (%rbx), %ecx", {0x03, 0x0b}, 2, ALU_ADD, 4, TO_REG},
	{M64, "addq %rcx, (%rbx)", {0x48, 0x01, 0x0b}, 3, ALU_ADD, 8, TO_MEM},
	{M64, "addq (%rbx), %rcx", {0x48, 0x03, 0x0b}, 3, ALU_ADD, 8, TO_REG},
	{M64, "orb %cl, (%rbx)", {0x08, 0x0b}, 2, ALU_OR, 1, TO_MEM},
	{M64, "orb (%rbx), %cl", {0x0a, 0x0b}, 2, ALU_OR, 1, TO_REG},
	{M64, "orw %cx, (%rbx)", {0x66, 0x09, 0x0b}, 3, ALU_OR, 2, TO_MEM},
	{M64, "orw (%rbx), %cx", {0x66, 0x0b, 0x0b}, 3, ALU_OR, 2, TO_REG},
	{M64, "orl %ecx, (%rbx)", {0x09, 0x0b}, 2, ALU_OR, 4, TO_MEM},
	{M64, "orl (%rbx), %ecx", {0x0b, 0x0b}, 2, ALU_OR, 4, TO_REG},
	{M64, "orq %rcx, (%rbx)", {0x48, 0x09, 0x0b}, 3, ALU_OR, 8, TO_MEM},
	{M64, "orq (%rbx), %rcx", {0x48, 0x0b, 0x0b}, 3, ALU_OR, 8, TO_REG},
	{M64, "adcb %cl, (%rbx)", {0x10, 0x0b}, 2, ALU_ADC, 1, TO_MEM},
	{M64, "adcb (%rbx), %cl", {0x12, 0x0b}, 2, ALU_ADC, 1, TO_REG},
	{M64, "adcw %cx, (%rbx)", {0x66, 0x11, 0x0b}, 3, ALU_ADC, 2, TO_MEM},
	{M64, "adcw (%rbx), %cx", {0x66, 0x13, 0x0b}, 3, ALU_ADC, 2, TO_REG},
	{M64, "adcl %ecx, (%rbx)", {0x11, 0x0b}, 2, ALU_ADC, 4, TO_MEM},
	{M64, "adcl (%rbx), %ecx", {0x13, 0x0b}, 2, ALU_ADC, 4, TO_REG},
	{M64, "adcq %rcx, (%rbx)", {0x48, 0x11, 0x0b}, 3, ALU_ADC, 8, TO_MEM},
	{M64, "adcq (%rbx), %rcx", {0x48, 0x13, 0x0b}, 3, ALU_ADC, 8, TO_REG},
	{M64, "sbbb %cl, (%rbx)", {0x18, 0x0b}, 2, ALU_SBB, 1, TO_MEM},
	{M64, "sbbb (%rbx), %cl", {0x1a, 0x0b}, 2, ALU_SBB, 1, TO_REG},
	{M64, "sbbw %cx, (%rbx)", {0x66, 0x19, 0x0b}, 3, ALU_SBB, 2, TO_MEM},
	{M64, "sbbw (%rbx), %cx", {0x66, 0x1b, 0x0b}, 3, ALU_SBB, 2, TO_REG},
	{M64, "sbbl %ecx, (%rbx)", {0x19, 0x0b}, 2, ALU_SBB, 4, TO_MEM},
	{M64, "sbbl (%rbx), %ecx", {0x1b, 0x0b}, 2, ALU_SBB, 4, TO_REG},
	{M64, "sbbq %rcx, (%rbx)", {0x48, 0x19, 0x0b}, 3, ALU_SBB, 8, TO_MEM},
	{M64, "sbbq (%rbx), %rcx", {0x48, 0x1b, 0x0b}, 3, ALU_SBB, 8, TO_REG},
	{M64, "andb %cl, (%rbx)", {0x20, 0x0b}, 2, ALU_AND, 1, TO_MEM},
	{M64, "andb (%rbx), %cl", {0x22, 0x0b}, 2, ALU_AND, 1, TO_REG},
	{M64, "andw %cx, (%rbx)", {0x66, 0x21, 0x0b}, 3, ALU_AND, 2, TO_MEM},
	{M64, "andw (%rbx), %cx", {0x66, 0x23, 0x0b}, 3, ALU_AND, 2, TO_REG},
	{M64, "andl %ecx, (%rbx)", {0x21, 0x0b}, 2, ALU_AND, 4, TO_MEM},
	{M64, "andl (%rbx), %ecx", {0x23, 0x0b}, 2, ALU_AND, 4, TO_REG},
	{M64, "andq %rcx, (%rbx)", {0x48, 0x21, 0x0b}, 3, ALU_AND, 8, TO_MEM},
	{M64, "andq (%rbx), %rcx", {0x48, 0x23, 0x0b}, 3, ALU_AND, 8, TO_REG},
	{M64, "subb %cl, (%rbx)", {0x28, 0x0b}, 2, ALU_SUB, 1, TO_MEM},
	{M64, "subb (%rbx), %cl", {0x2a, 0x0b}, 2, ALU_SUB, 1, TO_REG},
	{M64, "subw %cx, (%rbx)", {0x66, 0x29, 0x0b}, 3, ALU_SUB, 2, TO_MEM},
	{M64, "subw (%rbx), %cx", {0x66, 0x2b, 0x0b}, 3, ALU_SUB, 2, TO_REG},
	{M64, "subl %ecx, (%rbx)", {0x29, 0x0b}, 2, ALU_SUB, 4, TO_MEM},
	{M64, "subl (%rbx), %ecx", {0x2b, 0x0b}, 2, ALU_SUB, 4, TO_REG},
	{M64, "subq %rcx, (%rbx)", {0x48, 0x29, 0x0b}, 3, ALU_SUB, 8, TO_MEM},
	{M64, "subq (%rbx), %rcx", {0x48, 0x2b, 0x0b}, 3, ALU_SUB, 8, TO_REG},
	{M64, "xorb %cl, (%rbx)", {0x30, 0x0b}, 2, ALU_XOR, 1, TO_MEM},
	{M64, "xorb (%rbx), %cl", {0x32, 0x0b}, 2, ALU_XOR, 1, TO_REG},
	{M64, "xorw %cx, (%rbx)", {0x66, 0x31, 0x0b}, 3, ALU_XOR, 2, TO_MEM},
	{M64, "xorw (%rbx), %cx", {0x66, 0x33, 0x0b}, 3, ALU_XOR, 2, TO_REG},
	{M64, "xorl %ecx, (%rbx)", {0x31, 0x0b}, 2, ALU_XOR, 4, TO_MEM},
	{M64, "xorl (%rbx), %ecx", {0x33, 0x0b}, 2, ALU_XOR, 4, TO_REG},
	{M64, "xorq %rcx, (%rbx)", {0x48, 0x31, 0x0b}, 3, ALU_XOR, 8, TO_MEM},
	{M64, "xorq (%rbx), %rcx", {0x48, 0x33, 0x0b}, 3, ALU_XOR, 8, TO_REG},
	{M64, "cmpb %cl, (%rbx)", {0x38, 0x0b}, 2, ALU_CMP, 1, TO_MEM},
	{M64, "cmpb (%rbx), %cl", {0x3a, 0x0b}, 2, ALU_CMP, 1, TO_REG},
	{M64, "cmpw %cx, (%rbx)", {0x66, 0x39, 0x0b}, 3, ALU_CMP, 2, TO_MEM},
	{M64, "cmpw (%rbx), %cx", {0x66, 0x3b, 0x0b}, 3, ALU_CMP, 2, TO_REG},
	{M64, "cmpl %ecx, (%rbx)", {0x39, 0x0b}, 2, ALU_CMP, 4, TO_MEM},
	{M64, "cmpl (%rbx), %ecx", {0x3b, 0x0b}, 2, ALU_CMP, 4, TO_REG},
	{M64, "cmpq %rcx, (%rbx)", {0x48, 0x39, 0x0b}, 3, ALU_CMP, 8, TO_MEM},
	{M64, "cmpq (%rbx), %rcx", {0x48, 0x3b, 0x0b}, 3, ALU_CMP, 8, TO_REG},
};
/* clang-format on */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static const uint64_t edges[] = {
    0,
    1,
    2,
    0xf,
    0x10,
    0x7f,
    0x80,
    0xf0,
    0xff,
    0x100,
    0x7fff,
    0x8000,
    0xffff,
    0x7fffffff,
    0x80000000,
    0xffffffff,
    0x7fffffffffffffffull,
    0x8000000000000000ull,
    ~0ull,
};

#define NEDGES  (sizeof(edges) / sizeof(edges[0]))
#define NRANDOM 1500

static uint64_t mask_of(unsigned size)
{
	return size == 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

/* The register after a write of `size` bytes: merge below 32 bits, zero-extend at 32. */
static uint64_t merged(uint64_t old, uint64_t v, unsigned size)
{
	if (size >= 4)
		return v & mask_of(size);
	return (old & ~mask_of(size)) | (v & mask_of(size));
}

static int failures_shown;

static void report(const struct alu_form *f, uint64_t a, uint64_t b, uint64_t fin, const char *what,
                   uint64_t got, uint64_t want)
{
	harness_current_failed = 1;
	if (failures_shown++ < 10)
		printf("  %s: mem 0x%llx rcx 0x%llx flags 0x%llx: %s 0x%llx, host 0x%llx\n", f->src,
		       (unsigned long long)a, (unsigned long long)b, (unsigned long long)fin, what,
		       (unsigned long long)got, (unsigned long long)want);
}

/* One operation through the emulator and natively. */
static void cross_check(const struct alu_form *f, uint64_t a, uint64_t b, uint64_t fin)
{
	struct emu_cpu cpu;
	struct fake_guest g;
	struct emu_ops ops;
	struct emu_result res;
	uint64_t m = mask_of(f->size);
	uint64_t hflags = fin, hres;
	bool writes = f->op != ALU_CMP;

	fake_cpu_init(&cpu, M64, 0x401000);
	cpu.gpr[RCX] = b;
	cpu.rflags = fin;
	fake_guest_init(&g, 0x401000, f->code, f->len);
	g.read_value = a;
	ops = fake_guest_ops(&g);
	if (emu_step(&cpu, &ops, &res) != EMU_OK) {
		report(f, a, b, fin, "status", res.status, EMU_OK);
		return;
	}
	if (f->dir == TO_MEM)
		hres = natives[f->op][size_index(f->size)](a & m, b & m, &hflags);
	else
		hres = natives[f->op][size_index(f->size)](b & m, a & m, &hflags);
	if ((cpu.rflags & EMU_FLAGS_ARITH) != (hflags & EMU_FLAGS_ARITH))
		report(f, a, b, fin, "flags", cpu.rflags, hflags);
	if ((cpu.rflags & ~EMU_FLAGS_ARITH) != (fin & ~EMU_FLAGS_ARITH))
		report(f, a, b, fin, "other flags", cpu.rflags, fin);
	if (f->dir == TO_MEM) {
		if (g.naccess != (writes ? 2u : 1u) || (writes && g.log[1].value != (hres & m)))
			report(f, a, b, fin, "memory", writes ? g.log[1].value : 0, hres & m);
		if (cpu.gpr[RCX] != b)
			report(f, a, b, fin, "rcx", cpu.gpr[RCX], b);
	} else {
		uint64_t want = writes ? merged(b, hres, f->size) : b;
		if (g.naccess != 1)
			report(f, a, b, fin, "accesses", g.naccess, 1);
		if (cpu.gpr[RCX] != want)
			report(f, a, b, fin, "rcx", cpu.gpr[RCX], want);
	}
}

static uint64_t random_flags(void)
{
	return FAKE_RFLAGS | (rng() & EMU_FLAGS_ARITH);
}

TEST(alu_flags_vs_host)
{
	unsigned nforms = sizeof(forms) / sizeof(forms[0]);

	REQUIRE(nforms == 2 * 4 * ALU_NOPS);
	for (unsigned i = 0; i < nforms; i++) {
		const struct alu_form *f = &forms[i];
		for (unsigned x = 0; x < NEDGES; x++)
			for (unsigned y = 0; y < NEDGES; y++)
				for (uint64_t cf = 0; cf < 2; cf++)
					cross_check(f, edges[x], edges[y], FAKE_RFLAGS | cf);
		for (unsigned n = 0; n < NRANDOM; n++) {
			uint64_t a = rng(), b = rng();
			/* Small values too, so that narrow carries and equal operands happen. */
			if (n % 3 == 1)
				a &= 0xff, b &= 0xff;
			if (n % 7 == 2)
				b = a;
			cross_check(f, a, b, random_flags());
		}
	}
}

/* TEST r/m, r (84/85) against the host's TEST. */
TEST(test_flags_vs_host)
{
	/* clang-format off */
	static const struct alu_form tests[] = {
		{M64, "testb %cl, (%rbx)", {0x84, 0x0b}, 2, 0, 1, TO_MEM},
		{M64, "testw %cx, (%rbx)", {0x66, 0x85, 0x0b}, 3, 0, 2, TO_MEM},
		{M64, "testl %ecx, (%rbx)", {0x85, 0x0b}, 2, 0, 4, TO_MEM},
		{M64, "testq %rcx, (%rbx)", {0x48, 0x85, 0x0b}, 3, 0, 8, TO_MEM},
	};
	/* clang-format on */
	for (unsigned i = 0; i < 4; i++) {
		const struct alu_form *f = &tests[i];
		for (unsigned n = 0; n < 2000; n++) {
			uint64_t a = n < NEDGES ? edges[n] : rng(), b = rng(), fin = random_flags();
			uint64_t m = mask_of(f->size), hflags = fin;
			struct emu_cpu cpu;
			struct fake_guest g;
			struct emu_ops ops;
			struct emu_result res;

			if (n % 4 == 0)
				b &= ~a; /* zero results */
			fake_cpu_init(&cpu, M64, 0x401000);
			cpu.gpr[RCX] = b;
			cpu.rflags = fin;
			fake_guest_init(&g, 0x401000, f->code, f->len);
			g.read_value = a;
			ops = fake_guest_ops(&g);
			CHECK_EQ(emu_step(&cpu, &ops, &res), EMU_OK);
			native_test[size_index(f->size)](a & m, b & m, &hflags);
			if (cpu.rflags != hflags || g.naccess != 1)
				report(f, a, b, fin, "flags", cpu.rflags, hflags);
		}
	}
}

/* CMPXCHG: flags, accumulator and memory against the host's CMPXCHG on registers. */
#define NATIVE_CMPXCHG(fn, insn, m)                                                     \
	static uint64_t fn(uint64_t *acc, uint64_t dest, uint64_t src, uint64_t *flags) \
	{                                                                               \
		uint64_t f = *flags, a = *acc;                                          \
		__asm__ volatile("sub $128, %%rsp\n\t"                                  \
		                 "push %[f]\n\t"                                        \
		                 "popfq\n\t" insn " %" m "[s], %" m "[d]\n\t"           \
		                 "pushfq\n\t"                                           \
		                 "pop %[f]\n\t"                                         \
		                 "add $128, %%rsp"                                      \
		                 : "+a"(a), [d] "+r"(dest), [f] "+r"(f)                 \
		                 : [s] "r"(src)                                         \
		                 : "cc", "memory");                                     \
		*flags = f;                                                             \
		*acc = a;                                                               \
		return dest;                                                            \
	}

NATIVE_CMPXCHG(native_cmpxchg1, "cmpxchgb", "b")
NATIVE_CMPXCHG(native_cmpxchg2, "cmpxchgw", "w")
NATIVE_CMPXCHG(native_cmpxchg4, "cmpxchgl", "k")
NATIVE_CMPXCHG(native_cmpxchg8, "cmpxchgq", "q")

typedef uint64_t (*native_cmpxchg_fn)(uint64_t *, uint64_t, uint64_t, uint64_t *);

TEST(cmpxchg_vs_host)
{
	/* clang-format off */
	static const struct alu_form cmpxchgs[] = {
		{M64, "cmpxchgb %cl, (%rbx)", {0x0f, 0xb0, 0x0b}, 3, 0, 1, TO_MEM},
		{M64, "cmpxchgw %cx, (%rbx)", {0x66, 0x0f, 0xb1, 0x0b}, 4, 0, 2, TO_MEM},
		{M64, "cmpxchgl %ecx, (%rbx)", {0x0f, 0xb1, 0x0b}, 3, 0, 4, TO_MEM},
		{M64, "cmpxchgq %rcx, (%rbx)", {0x48, 0x0f, 0xb1, 0x0b}, 4, 0, 8, TO_MEM},
	};
	/* clang-format on */
	static const native_cmpxchg_fn natives_cx[4] = {native_cmpxchg1, native_cmpxchg2,
	                                                native_cmpxchg4, native_cmpxchg8};
	for (unsigned i = 0; i < 4; i++) {
		const struct alu_form *f = &cmpxchgs[i];
		for (unsigned n = 0; n < 2000; n++) {
			uint64_t acc = rng(), mem = n % 2 ? acc : rng(), src = rng();
			uint64_t fin = random_flags(), hflags = fin, hacc = acc;
			uint64_t m = mask_of(f->size), hmem;
			struct emu_cpu cpu;
			struct fake_guest g;
			struct emu_ops ops;
			struct emu_result res;

			if (n % 5 == 3)
				mem = (acc & m) ^ 0x10; /* equal but for one bit */
			fake_cpu_init(&cpu, M64, 0x401000);
			cpu.gpr[RAX] = acc;
			cpu.gpr[RCX] = src;
			cpu.rflags = fin;
			fake_guest_init(&g, 0x401000, f->code, f->len);
			g.read_value = mem;
			ops = fake_guest_ops(&g);
			CHECK_EQ(emu_step(&cpu, &ops, &res), EMU_OK);
			/* Natively the destination is a register holding the memory value. */
			hmem = natives_cx[size_index(f->size)](&hacc, mem & m, src, &hflags);
			if (cpu.rflags != hflags)
				report(f, mem, src, fin, "flags", cpu.rflags, hflags);
			if (g.naccess != 2 || g.log[1].value != (hmem & m))
				report(f, mem, src, fin, "memory", g.log[1].value, hmem & m);
			/* A failed 32-bit CMPXCHG writes EAX, zero-extending it. */
			if (cpu.gpr[RAX] != hacc)
				report(f, mem, src, fin, "rax", cpu.gpr[RAX], hacc);
		}
	}
}

/* BT/BTS/BTR/BTC imm8: CF is the bit; the emulator leaves the other flags alone. */
#define NATIVE_BT(fn, insn)                                           \
	static uint64_t fn(uint64_t v, uint64_t bit, uint64_t *flags) \
	{                                                             \
		uint64_t f = *flags;                                  \
		__asm__ volatile("sub $128, %%rsp\n\t"                \
		                 "push %[f]\n\t"                      \
		                 "popfq\n\t" insn " %[b], %[v]\n\t"   \
		                 "pushfq\n\t"                         \
		                 "pop %[f]\n\t"                       \
		                 "add $128, %%rsp"                    \
		                 : [v] "+r"(v), [f] "+r"(f)           \
		                 : [b] "r"(bit)                       \
		                 : "cc", "memory");                   \
		*flags = f;                                           \
		return v;                                             \
	}

NATIVE_BT(native_bt, "btq")
NATIVE_BT(native_bts, "btsq")
NATIVE_BT(native_btr, "btrq")
NATIVE_BT(native_btc, "btcq")

TEST(bt_vs_host)
{
	/* clang-format off */
	static const struct alu_form bts[] = {
		{M64, "btq $45, (%rbx)", {0x48, 0x0f, 0xba, 0x23, 0x2d}, 5, 0, 8, TO_MEM},
		{M64, "btsq $45, (%rbx)", {0x48, 0x0f, 0xba, 0x2b, 0x2d}, 5, 1, 8, TO_MEM},
		{M64, "btrq $45, (%rbx)", {0x48, 0x0f, 0xba, 0x33, 0x2d}, 5, 2, 8, TO_MEM},
		{M64, "btcq $45, (%rbx)", {0x48, 0x0f, 0xba, 0x3b, 0x2d}, 5, 3, 8, TO_MEM},
	};
	/* clang-format on */
	static const native_fn natives_bt[4] = {native_bt, native_bts, native_btr, native_btc};
	for (unsigned i = 0; i < 4; i++) {
		const struct alu_form *f = &bts[i];
		for (unsigned n = 0; n < 200; n++) {
			uint64_t mem = rng(), fin = random_flags(), hflags = fin, hmem;
			struct emu_cpu cpu;
			struct fake_guest g;
			struct emu_ops ops;
			struct emu_result res;

			fake_cpu_init(&cpu, M64, 0x401000);
			cpu.rflags = fin;
			fake_guest_init(&g, 0x401000, f->code, f->len);
			g.read_value = mem;
			ops = fake_guest_ops(&g);
			CHECK_EQ(emu_step(&cpu, &ops, &res), EMU_OK);
			hmem = natives_bt[f->op](mem, 45, &hflags);
			if ((cpu.rflags & EMU_FLAG_CF) != (hflags & EMU_FLAG_CF))
				report(f, mem, 45, fin, "CF", cpu.rflags, hflags);
			if ((cpu.rflags & ~EMU_FLAG_CF) != (fin & ~EMU_FLAG_CF))
				report(f, mem, 45, fin, "other flags", cpu.rflags, fin);
			if (f->op != 0 && (g.naccess != 2 || g.log[1].value != hmem))
				report(f, mem, 45, fin, "memory", g.log[1].value, hmem);
		}
	}
}

/* INC, DEC, NEG, NOT on memory against the host's, on a register. */
#define NATIVE_UNARY(fn, insn, m)                                        \
	static uint64_t fn(uint64_t v, uint64_t unused, uint64_t *flags) \
	{                                                                \
		uint64_t f = *flags;                                     \
		(void)unused;                                            \
		__asm__ volatile("sub $128, %%rsp\n\t"                   \
		                 "push %[f]\n\t"                         \
		                 "popfq\n\t" insn " %" m "[v]\n\t"       \
		                 "pushfq\n\t"                            \
		                 "pop %[f]\n\t"                          \
		                 "add $128, %%rsp"                       \
		                 : [v] "+r"(v), [f] "+r"(f)              \
		                 :                                       \
		                 : "cc", "memory");                      \
		*flags = f;                                              \
		return v;                                                \
	}

/* `name` differs from the mnemonic for NOT, which clang-format takes for the C++ operator. */
#define NATIVE_UNARY_SIZES(name, mnemonic)                \
	NATIVE_UNARY(native_##name##1, mnemonic "b", "b") \
	NATIVE_UNARY(native_##name##2, mnemonic "w", "w") \
	NATIVE_UNARY(native_##name##4, mnemonic "l", "k") \
	NATIVE_UNARY(native_##name##8, mnemonic "q", "q")

NATIVE_UNARY_SIZES(inc, "inc")
NATIVE_UNARY_SIZES(dec, "dec")
NATIVE_UNARY_SIZES(neg, "neg")
NATIVE_UNARY_SIZES(cpl, "not")

TEST(unary_vs_host)
{
	/* clang-format off */
	static const struct alu_form unaries[] = {
		{M64, "incb (%rbx)", {0xfe, 0x03}, 2, 0, 1, TO_MEM},
		{M64, "incw (%rbx)", {0x66, 0xff, 0x03}, 3, 0, 2, TO_MEM},
		{M64, "incl (%rbx)", {0xff, 0x03}, 2, 0, 4, TO_MEM},
		{M64, "incq (%rbx)", {0x48, 0xff, 0x03}, 3, 0, 8, TO_MEM},
		{M64, "decb (%rbx)", {0xfe, 0x0b}, 2, 1, 1, TO_MEM},
		{M64, "decw (%rbx)", {0x66, 0xff, 0x0b}, 3, 1, 2, TO_MEM},
		{M64, "decl (%rbx)", {0xff, 0x0b}, 2, 1, 4, TO_MEM},
		{M64, "decq (%rbx)", {0x48, 0xff, 0x0b}, 3, 1, 8, TO_MEM},
		{M64, "negb (%rbx)", {0xf6, 0x1b}, 2, 2, 1, TO_MEM},
		{M64, "negw (%rbx)", {0x66, 0xf7, 0x1b}, 3, 2, 2, TO_MEM},
		{M64, "negl (%rbx)", {0xf7, 0x1b}, 2, 2, 4, TO_MEM},
		{M64, "negq (%rbx)", {0x48, 0xf7, 0x1b}, 3, 2, 8, TO_MEM},
		{M64, "notb (%rbx)", {0xf6, 0x13}, 2, 3, 1, TO_MEM},
		{M64, "notw (%rbx)", {0x66, 0xf7, 0x13}, 3, 3, 2, TO_MEM},
		{M64, "notl (%rbx)", {0xf7, 0x13}, 2, 3, 4, TO_MEM},
		{M64, "notq (%rbx)", {0x48, 0xf7, 0x13}, 3, 3, 8, TO_MEM},
	};
	/* clang-format on */
	static const native_fn natives_unary[4][4] = {
	    NATIVE_ROW(inc),
	    NATIVE_ROW(dec),
	    NATIVE_ROW(neg),
	    NATIVE_ROW(cpl),
	};
	for (unsigned i = 0; i < sizeof(unaries) / sizeof(unaries[0]); i++) {
		const struct alu_form *f = &unaries[i];
		for (unsigned n = 0; n < NEDGES + 1000; n++) {
			uint64_t mem = n < NEDGES ? edges[n] : rng(), fin = random_flags();
			uint64_t m = mask_of(f->size), hflags = fin, hmem;
			struct emu_cpu cpu;
			struct fake_guest g;
			struct emu_ops ops;
			struct emu_result res;

			fake_cpu_init(&cpu, M64, 0x401000);
			cpu.rflags = fin;
			fake_guest_init(&g, 0x401000, f->code, f->len);
			g.read_value = mem;
			ops = fake_guest_ops(&g);
			CHECK_EQ(emu_step(&cpu, &ops, &res), EMU_OK);
			hmem = natives_unary[f->op][size_index(f->size)](mem & m, 0, &hflags);
			if (cpu.rflags != hflags)
				report(f, mem, 0, fin, "flags", cpu.rflags, hflags);
			if (g.naccess != 2 || g.log[1].value != (hmem & m))
				report(f, mem, 0, fin, "memory", g.log[1].value, hmem & m);
		}
	}
}
