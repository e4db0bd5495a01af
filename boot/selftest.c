/*
 * Boot-time self-test. Each check prints one line the smoke boots read.
 */
#include "boot/selftest.h"
#include "arch/x86/vectors.h"
#include "arch/x86/printf.h"
#include "arch/x86/trap.h"
#include "mm/directmap.h"
#include "mm/frame.h"
#include "mm/kmem.h"

#define PF_ERR_PRESENT  (1u << 0)
#define PF_ERR_WRITE    (1u << 1)
#define PF_ERR_FETCH    (1u << 4)
#define UNMAPPED_VA     0x00000dead0000000ull
#define NONCANONICAL_VA 0x8000000000000000ull

static int tests, failures;

void selftest_report(int ok, const char *name)
{
	tests++;
	if (!ok)
		failures++;
	printf("%s: %s\n", ok ? "PASS" : "FAIL", name);
}

void selftest_skip(const char *name, const char *why)
{
	printf("SKIP: %s (%s)\n", name, why);
}

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static void test_printf(void)
{
	char buf[96];
	snprintf(buf, sizeof(buf), "%d|%5u|%-4s|%08x|%lx|%c|%%|%X", -42, 7u, "ab", 0xbeefu,
	         0x123456789abcdeful, 'z', 0xabu);
	selftest_report(streq(buf, "-42|    7|ab  |0000beef|123456789abcdef|z|%|AB"),
	                "printf: conversions, widths and padding");
	snprintf(buf, 8, "%s", "truncated output");
	selftest_report(streq(buf, "truncat"), "printf: snprintf truncates and terminates");
}

static void test_frames(void)
{
	struct frame_allocator *fa = kmem_frames();
	struct frame_stats before = frame_stats(fa);
	uint64_t a = frame_alloc(fa), b = frame_alloc(fa);

	selftest_report(a && b && a != b && !(a & 0xfff) && !(b & 0xfff),
	                "mm: two frames, distinct and page aligned");
	selftest_report(a >= 0x100000 && b >= 0x100000, "mm: no frame from the first 1 MiB");
	selftest_report(frame_stats(fa).free_frames == before.free_frames - 2,
	                "mm: free count drops by two");
	selftest_report(frame_free(fa, a) == 0 && frame_free(fa, b) == 0, "mm: frames freed");
	selftest_report(frame_free(fa, a) != 0, "mm: double free refused");
	selftest_report(frame_stats(fa).free_frames == before.free_frames,
	                "mm: free count restored");

	uint64_t run = frame_alloc_run(fa, 16, 16);
	selftest_report(run && (run & (16 * 4096 - 1)) == 0, "mm: 16-frame run, 64 KiB aligned");
	selftest_report(run && frame_free_run(fa, run, 16) == 0, "mm: run freed");
}

static void test_directmap(void)
{
	struct frame_allocator *fa = kmem_frames();
	uint64_t f = frame_alloc(fa);
	volatile uint64_t *dm = phys_to_virt(f);
	volatile uint64_t *id = (volatile uint64_t *)(uintptr_t)f;

	*dm = 0x5a5a1234abcd0000ull;
	int ok = f && f < 0x100000000ull && *id == 0x5a5a1234abcd0000ull;
	selftest_report(ok, "mm: direct map and identity map see the same frame");
	frame_free(fa, f);
}

/* Provoke one fault and check what the handler saw. */
#define EXPECT_FAULT(exp, vec, insn, ...)                         \
	do {                                                      \
		(exp)->vector = (vec);                            \
		__asm__ volatile("leaq 1f(%%rip), %%rax\n\t"      \
		                 "movq %%rax, %0\n\t" insn "\n1:" \
		                 : "=m"((exp)->resume_rip)        \
		                 : __VA_ARGS__                    \
		                 : "rax", "memory");              \
	} while (0)

static void test_exceptions(void)
{
	struct trap_expectation e = {0};

	e.vector = VEC_UD;
	trap_expect(&e);
	EXPECT_FAULT(&e, VEC_UD, "ud2", "i"(0));
	selftest_report(e.hit, "trap: #UD caught and resumed");

	e.vector = VEC_PF;
	trap_expect(&e);
	EXPECT_FAULT(&e, VEC_PF, "movq (%1), %%rax", "r"(UNMAPPED_VA));
	selftest_report(e.hit && e.cr2 == UNMAPPED_VA && e.error_code == 0,
	                "trap: #PF read of unmapped page, error 0, CR2 exact");

	e.vector = VEC_PF;
	trap_expect(&e);
	EXPECT_FAULT(&e, VEC_PF, "movq %%rax, (%1)", "r"(UNMAPPED_VA + 8));
	selftest_report(e.hit && e.cr2 == UNMAPPED_VA + 8 && e.error_code == PF_ERR_WRITE,
	                "trap: #PF write of unmapped page, error W");

	/* The direct map is data: fetching from it must fault (NX). */
	uint64_t target = (uint64_t)(uintptr_t)phys_to_virt(0x100000);
	e.vector = VEC_PF;
	trap_expect(&e);
	EXPECT_FAULT(&e, VEC_PF, "jmp *%1", "r"(target));
	selftest_report(e.hit && e.cr2 == target && e.error_code == (PF_ERR_PRESENT | PF_ERR_FETCH),
	                "trap: direct map is no-execute (#PF P|I/D)");

	e.vector = VEC_GP;
	trap_expect(&e);
	EXPECT_FAULT(&e, VEC_GP, "movq (%1), %%rax", "r"(NONCANONICAL_VA));
	selftest_report(e.hit && e.error_code == 0, "trap: #GP on non-canonical address");
}

int selftest_run(void)
{
	tests = failures = 0;
	test_printf();
	test_frames();
	test_directmap();
	test_exceptions();
	printf("SUMMARY: %d tests, %d unexpected failures\n", tests, failures);
	return failures;
}
