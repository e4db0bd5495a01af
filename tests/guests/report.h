/* kvm-unit-tests-style result lines and the exit through QEMU's isa-debug-exit port. */
#ifndef GUESTS_REPORT_H
#define GUESTS_REPORT_H

#include <stdbool.h>
#include <stdint.h>

/* Port of QEMU's isa-debug-exit device: QEMU exits with (status << 1) | 1. */
#define DEBUG_EXIT_PORT     0xf4
#define BOCHS_SHUTDOWN_PORT 0x8900
#define EXIT_PASSED         0u
#define EXIT_FAILED         1u

/* The program name prefixes every test name: "PASS: <prog>: <name>". */
void report_init(const char *prog);
const char *report_prog(void);
void report_pass(const char *name);
void report_skip(const char *name, const char *why);
void report_fail(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* PASS when ok, otherwise FAIL with the formatted detail (what was seen vs expected). */
bool report(bool ok, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Counts a failure whose FAIL line the caller printed itself. */
void report_count_failure(void);
/* Informational line, not a test result. */
void report_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "SUMMARY: N tests, M unexpected failures" and exits with status 0 or 1. */
__attribute__((noreturn)) void report_done(void);
__attribute__((noreturn)) void guest_exit(uint32_t status);

#endif
