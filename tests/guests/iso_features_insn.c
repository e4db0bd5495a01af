/* guest-iso-features: one instruction of each advertised instruction-set feature, under a
 * #UD guard, with its result checked (SDM Vol. 2, each instruction's page). MONITOR is the
 * one whose absence has a fault here: #UD when CPUID.1:ECX.MONITOR = 0. */
#include "tests/guests/cpu.h"
#include "tests/guests/iso.h"
#include "tests/guests/iso_features.h"
#include "tests/guests/probe.h"
#include "tests/guests/report.h"

/* Every instruction of a sequence may fault: each gets a fix-up to the sequence's end.
 * The XMM registers need no clobbers: the guests are built without SSE code. */
#define TRY(insn) "1: " insn "\n" FIXUP("1b", "9f")

#define CR0_MP   (1ul << 1)
#define CR0_EM   (1ul << 2)
#define CR0_TS   (1ul << 3)
#define FCW_TEST 0x027fu

/* IEEE 754 single and double bit patterns. */
#define F32_1 0x3f800000u
#define F32_2 0x40000000u
#define F32_3 0x40400000u
#define F32_4 0x40800000u
#define F32_5 0x40a00000u
#define F64_1 0x3ff0000000000000ull
#define F64_2 0x4000000000000000ull
#define F64_3 0x4008000000000000ull

/* CRC32 (CRC-32C, reflected, no final inversion) of the dword 0x12345678 from 0xffffffff,
 * computed offline from the polynomial 0x82f63b78 (SDM Vol. 2A CRC32). */
#define CRC32C_12345678 0x4dece20cu

static bool words_eq(const uint32_t *a, const uint32_t *b, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

static void report_insn(const char *name, bool ok, uint64_t seen)
{
	report(!last_fault.taken && ok, name, "fault %d vector %u, result 0x%llx", last_fault.taken,
	       last_fault.vector, (unsigned long long)seen);
}

static void test_fxsr(void)
{
	const char *name = "FXSR: FXSAVE, then FXRSTOR of a changed image sets FCW";
	if (feat_skip_absent(name, feat_leaf1_edx(F1_EDX_FXSR)))
		return;
	static uint16_t image[256] __attribute__((aligned(16)));
	static uint16_t saved[256] __attribute__((aligned(16)));
	uint16_t fcw = 0;
	iso_arm();
	__asm__ volatile(TRY("fxsave64 %0") "9:\n" : "=m"(saved) : : "memory");
	__builtin_memcpy(image, saved, sizeof(image));
	image[0] = FCW_TEST;
	__asm__ volatile(TRY("fxrstor64 %1") TRY("fnstcw %0") TRY("fxrstor64 %2") "9:\n"
	                 : "=m"(fcw)
	                 : "m"(image), "m"(saved)
	                 : "memory");
	report_insn(name, fcw == FCW_TEST, fcw);
}

static void test_sse(void)
{
	const char *name = "SSE: ADDPS adds four floats";
	if (feat_skip_absent(name, feat_leaf1_edx(F1_EDX_SSE)))
		return;
	static const uint32_t a[4] = {F32_1, F32_2, F32_3, F32_4},
	                      b[4] = {F32_1, F32_1, F32_1, F32_1};
	static const uint32_t want[4] = {F32_2, F32_3, F32_4, F32_5};
	uint32_t out[4] = {0};
	iso_arm();
	__asm__ volatile(TRY("movups %1, %%xmm0") TRY("movups %2, %%xmm1")
	                     TRY("addps %%xmm1, %%xmm0") TRY("movups %%xmm0, %0") "9:\n"
	                 : "=m"(out)
	                 : "m"(a), "m"(b)
	                 : "memory");
	report_insn(name, words_eq(out, want, 4), out[0]);
}

static void test_sse2(void)
{
	const char *name = "SSE2: PADDQ adds two quadwords";
	if (feat_skip_absent(name, feat_leaf1_edx(F1_EDX_SSE2)))
		return;
	static const uint64_t a[2] = {1, 0x100000000ull}, b[2] = {0xffffffffull, 2};
	uint64_t out[2] = {0};
	iso_arm();
	__asm__ volatile(TRY("movdqu %1, %%xmm0") TRY("movdqu %2, %%xmm1")
	                     TRY("paddq %%xmm1, %%xmm0") TRY("movdqu %%xmm0, %0") "9:\n"
	                 : "=m"(out)
	                 : "m"(a), "m"(b)
	                 : "memory");
	report_insn(name, out[0] == 0x100000000ull && out[1] == 0x100000002ull, out[0]);
}

static void test_sse3(void)
{
	const char *name = "SSE3: HADDPD adds horizontally";
	if (feat_skip_absent(name, feat_leaf1_ecx(F1_ECX_SSE3)))
		return;
	static const uint64_t a[2] = {F64_1, F64_2};
	uint64_t out[2] = {0};
	iso_arm();
	__asm__ volatile(TRY("movupd %1, %%xmm0") TRY("haddpd %%xmm0, %%xmm0")
	                     TRY("movupd %%xmm0, %0") "9:\n"
	                 : "=m"(out)
	                 : "m"(a)
	                 : "memory");
	report_insn(name, out[0] == F64_3 && out[1] == F64_3, out[0]);
}

static void test_ssse3(void)
{
	const char *name = "SSSE3: PSHUFB reverses sixteen bytes";
	if (feat_skip_absent(name, feat_leaf1_ecx(F1_ECX_SSSE3)))
		return;
	static uint8_t data[16], mask[16];
	uint8_t out[16] = {0};
	for (unsigned i = 0; i < 16; i++) {
		data[i] = (uint8_t)(0x40 + i);
		mask[i] = (uint8_t)(15 - i);
	}
	iso_arm();
	__asm__ volatile(TRY("movdqu %1, %%xmm0") TRY("movdqu %2, %%xmm1")
	                     TRY("pshufb %%xmm1, %%xmm0") TRY("movdqu %%xmm0, %0") "9:\n"
	                 : "=m"(out)
	                 : "m"(data), "m"(mask)
	                 : "memory");
	bool ok = true;
	for (unsigned i = 0; i < 16; i++)
		ok &= out[i] == 0x40 + 15 - i;
	report_insn(name, ok, out[0]);
}

static void test_sse41(void)
{
	const char *name = "SSE4.1: PMULLD multiplies four dwords";
	if (feat_skip_absent(name, feat_leaf1_ecx(F1_ECX_SSE41)))
		return;
	static const uint32_t a[4] = {2, 3, 4, 5}, b[4] = {10, 100, 1000, 0x10000};
	static const uint32_t want[4] = {20, 300, 4000, 0x50000};
	uint32_t out[4] = {0};
	iso_arm();
	__asm__ volatile(TRY("movdqu %1, %%xmm0") TRY("movdqu %2, %%xmm1")
	                     TRY("pmulld %%xmm1, %%xmm0") TRY("movdqu %%xmm0, %0") "9:\n"
	                 : "=m"(out)
	                 : "m"(a), "m"(b)
	                 : "memory");
	report_insn(name, words_eq(out, want, 4), out[0]);
}

static void test_sse42(void)
{
	const char *name = "SSE4.2: CRC32 of a dword gives the CRC-32C value";
	if (feat_skip_absent(name, feat_leaf1_ecx(F1_ECX_SSE42)))
		return;
	uint32_t crc = 0xffffffffu;
	iso_arm();
	__asm__ volatile(TRY("crc32l %1, %0") "9:\n" : "+r"(crc) : "r"(0x12345678u));
	report_insn(name, crc == CRC32C_12345678, crc);
}

static void test_popcnt(void)
{
	const char *name = "POPCNT: counts the bits of a quadword";
	if (feat_skip_absent(name, feat_leaf1_ecx(F1_ECX_POPCNT)))
		return;
	uint64_t n = 0;
	iso_arm();
	__asm__ volatile(TRY("popcnt %1, %0") "9:\n" : "+r"(n) : "r"(0xf0f0000000000f0full));
	report_insn(name, n == 16, n);
}

static void test_cx16(void)
{
	const char *name = "CX16: CMPXCHG16B swaps a matching 16-byte value";
	if (feat_skip_absent(name, feat_leaf1_ecx(F1_ECX_CX16)))
		return;
	static volatile uint64_t mem[2] __attribute__((aligned(16))) = {0x1111, 0x2222};
	uint64_t lo = 0x1111, hi = 0x2222;
	iso_arm();
	__asm__ volatile(TRY("lock cmpxchg16b %0") "9:\n"
	                 : "+m"(mem), "+a"(lo), "+d"(hi)
	                 : "b"(0x3333ull), "c"(0x4444ull)
	                 : "memory", "cc");
	report_insn(name, mem[0] == 0x3333 && mem[1] == 0x4444, mem[0]);
}

static void test_movbe(void)
{
	const char *name = "MOVBE: loads a dword byte-swapped";
	if (feat_skip_absent(name, feat_leaf1_ecx(F1_ECX_MOVBE)))
		return;
	static const uint32_t word = 0x11223344u;
	uint32_t v = 0;
	iso_arm();
	__asm__ volatile(TRY("movbe %1, %0") "9:\n" : "+r"(v) : "m"(word));
	report_insn(name, v == 0x44332211u, v);
}

static void test_cmov(void)
{
	const char *name = "CMOV: CMOVZ moves when ZF = 1 only";
	if (feat_skip_absent(name, feat_leaf1_edx(F1_EDX_CMOV)))
		return;
	uint64_t a = 1, b = 2;
	iso_arm();
	__asm__ volatile(
	    "xor %%eax, %%eax\n" TRY("cmovz %2, %0") "test %2, %2\n" TRY("cmovz %3, %1") "9:\n"
	    : "+r"(a), "+r"(b)
	    : "r"(7ull), "r"(9ull)
	    : "rax", "cc");
	report_insn(name, a == 7 && b == 2, a);
}

static void test_lahf(void)
{
	const char *name = "LAHF-SAHF: LAHF in 64-bit mode copies CF into AH";
	if (feat_skip_absent(name, feat_ext_ecx(FX_ECX_LAHF)))
		return;
	uint64_t ah = 0;
	iso_arm();
	__asm__ volatile("stc\n" TRY("lahf") "9:\n"
	                                     "movzbl %%ah, %%eax"
	                 : "=a"(ah)
	                 :
	                 : "cc");
	report_insn(name, (ah & 0x3) == 0x3, ah); /* CF and the always-one bit 1 */
}

/* MONITOR only arms address monitoring; MWAIT is not run (it could sleep for ever). */
static void test_monitor(void)
{
	const char *name = "MONITOR: runs when advertised, #UD when not";
	static volatile uint64_t line __attribute__((aligned(64)));
	bool adv = feat_leaf1_ecx(F1_ECX_MONITOR);
	iso_arm();
	__asm__ volatile(TRY("monitor") "9:\n" : : "a"(&line), "c"(0), "d"(0) : "memory");
	if (adv)
		report(!last_fault.taken, name, "fault: vector %u", last_fault.vector);
	else
		report(fault_is(VEC_UD, 0, 0), name, "not advertised: fault %d vector %u",
		       last_fault.taken, last_fault.vector);
}

void features_insn_tests(void)
{
	if (feat_leaf1_edx(F1_EDX_FXSR))
		write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP);
	test_fxsr();
	test_sse();
	test_sse2();
	test_sse3();
	test_ssse3();
	test_sse41();
	test_sse42();
	test_popcnt();
	test_cx16();
	test_movbe();
	test_cmov();
	test_lahf();
	test_monitor();
}
