/* Shared by the io suite: a captured log and a clock the tests move. */
#ifndef TESTS_UNIT_IO_IO_TEST_H
#define TESTS_UNIT_IO_IO_TEST_H

#include <stdint.h>

#include "vmx/io/bus.h"

extern char io_captured[8192];
extern uint64_t io_test_now;

void io_capture_reset(void);
/* A bus with a fresh captured log (prefix "g: ") and the test clock at 0. */
void io_test_bus(struct io_bus *b, struct io_log *log);
/* How many times `text` occurs in the captured output. */
unsigned io_captured_count(const char *text);

#endif
