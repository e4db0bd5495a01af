/* Captured printer output for the devices suite's log-format tests. */
#ifndef TESTS_UNIT_DEVICES_CAPTURE_H
#define TESTS_UNIT_DEVICES_CAPTURE_H

extern char captured[4096];
void capture_reset(void);
int capture_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
