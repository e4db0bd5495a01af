/* Captured printer output for the devices suite's log-format tests. */
#ifndef TESTS_UNIT_DEVICES_CAPTURE_H
#define TESTS_UNIT_DEVICES_CAPTURE_H

extern char captured[4096];
void capture_reset(void);
#include <stdarg.h>

#include "vmx/io/log.h"

int capture_vprintf(const char *fmt, va_list ap);
/* A log that writes into captured[]. */
struct io_log *capture_log(void);

#endif
