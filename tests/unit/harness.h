/*
 * A tiny host test harness. Each test is a function registered with TEST();
 * CHECK() records a failure with file:line and the expression, and the test
 * goes on so that one run shows every broken check. main() is provided when
 * HARNESS_MAIN is defined in exactly one file of the test binary.
 *
 * Output: one "PASS: suite/name" or "FAIL: suite/name" line per test, then
 * "N passed, N failed". Exit status 0 only when nothing failed and at least
 * one test ran (a binary that runs no test fails).
 */
#ifndef TESTS_UNIT_HARNESS_H
#define TESTS_UNIT_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct harness_test {
	const char *name;
	void (*fn)(void);
	struct harness_test *next;
};

extern struct harness_test *harness_tests;
extern int harness_current_failed;
void harness_register(struct harness_test *t);

#define TEST(name)                                                             \
	static void test_##name(void);                                         \
	static struct harness_test harness_t_##name = {#name, test_##name, 0}; \
	__attribute__((constructor)) static void harness_reg_##name(void)      \
	{                                                                      \
		harness_register(&harness_t_##name);                           \
	}                                                                      \
	static void test_##name(void)

#define CHECK(expr)                                                                       \
	do {                                                                              \
		if (!(expr)) {                                                            \
			printf("  check failed: %s:%d: %s\n", __FILE__, __LINE__, #expr); \
			harness_current_failed = 1;                                       \
		}                                                                         \
	} while (0)

#define CHECK_EQ(a, b)                                                            \
	do {                                                                      \
		unsigned long long harness_a = (unsigned long long)(a);           \
		unsigned long long harness_b = (unsigned long long)(b);           \
		if (harness_a != harness_b) {                                     \
			printf("  check failed: %s:%d: %s == %s (0x%llx != "      \
			       "0x%llx)\n",                                       \
			       __FILE__, __LINE__, #a, #b, harness_a, harness_b); \
			harness_current_failed = 1;                               \
		}                                                                 \
	} while (0)

/* Stop the current test: for checks after which going on makes no sense. */
#define REQUIRE(expr)                                                                 \
	do {                                                                          \
		if (!(expr)) {                                                        \
			printf("  required: %s:%d: %s\n", __FILE__, __LINE__, #expr); \
			harness_current_failed = 1;                                   \
			return;                                                       \
		}                                                                     \
	} while (0)

#ifdef HARNESS_MAIN
struct harness_test *harness_tests;
int harness_current_failed;

void harness_register(struct harness_test *t)
{
	/* Append, so tests run in the order they are written. */
	struct harness_test **p = &harness_tests;
	while (*p)
		p = &(*p)->next;
	*p = t;
}

#ifndef HARNESS_SUITE
#define HARNESS_SUITE "unit"
#endif

int main(int argc, char **argv)
{
	const char *only = argc > 1 ? argv[1] : NULL;
	int passed = 0, failed = 0;
	for (struct harness_test *t = harness_tests; t; t = t->next) {
		if (only && strcmp(only, t->name) != 0)
			continue;
		harness_current_failed = 0;
		t->fn();
		printf("%s: %s/%s\n", harness_current_failed ? "FAIL" : "PASS", HARNESS_SUITE,
		       t->name);
		fflush(stdout);
		if (harness_current_failed)
			failed++;
		else
			passed++;
	}
	printf("%d passed, %d failed\n", passed, failed);
	return (failed || passed == 0) ? 1 : 0;
}
#endif

#endif
