#ifndef ARCH_X86_CMOS_H
#define ARCH_X86_CMOS_H

#include <stdint.h>

/* The host's wall-clock time from its MC146818 RTC, in seconds since
 * 1970-01-01 00:00 (the RTC is taken to keep UTC). 0 if it reads nonsense. */
uint64_t host_rtc_unix_time(void);

#endif
