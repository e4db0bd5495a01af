#ifndef TESTS_KERNEL_SELFTEST_H
#define TESTS_KERNEL_SELFTEST_H

/*
 * The in-kernel self-test run at every boot: frame allocator, direct map,
 * formatted output and the exception path. Prints kvm-unit-tests style
 * "PASS: " / "FAIL: " lines and "SUMMARY: N tests, M unexpected failures".
 * Returns the number of failures.
 */
int selftest_run(void);

/* For other in-kernel tests: report one result (counted in the SUMMARY). */
void selftest_report(int ok, const char *name);
void selftest_skip(const char *name, const char *why);

#endif
