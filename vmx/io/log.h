/*
 * Where the models of one guest machine write: a printf-like sink (the
 * kernel's printf, or a capture in host tests), the keys of messages already
 * written once, and a budget of lines so that nothing a guest does can flood
 * the hypervisor's log. Lines past the budget are counted, not written; the
 * budget refills with guest time.
 */
#ifndef VMX_IO_LOG_H
#define VMX_IO_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

/* The sink: the kernel's vprintf, or one that captures the text in host tests. */
typedef int (*io_vprintf_fn)(const char *fmt, va_list ap);

#define IO_ONCE_KEYS      32
#define IO_LOG_BURST      32           /* lines a guest may cause at once */
#define IO_LOG_REFILL_NS  100000000ull /* one more line per 100 ms of guest time */
#define IO_LOG_PREFIX_MAX 64

/* Keys (port numbers, MSR numbers, addresses, tagged by the caller) seen once. */
struct io_once {
	uint64_t key[IO_ONCE_KEYS]; /* key + 1; 0 = empty slot */
	uint64_t overflow;          /* keys that found the set full (never logged) */
};

/* True the first time `key` is seen; false afterwards and once the set is full. */
bool io_once_first(struct io_once *s, uint64_t key);

struct io_log {
	io_vprintf_fn vprint;
	char prefix[IO_LOG_PREFIX_MAX]; /* e.g. "vmx: guest linux: " */
	uint32_t tokens;                /* lines left in the budget */
	uint64_t refilled_at;           /* guest time of the last refill */
	uint64_t suppressed;            /* lines dropped for the budget */
	struct io_once once;
};

void io_log_init(struct io_log *log, io_vprintf_fn vprint, const char *prefix);

/* A report line of the hypervisor's own (statistics, state dumps): always
 * written, without the prefix. */
void io_log_print(struct io_log *log, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * A line caused by the guest (a refused access, an unclaimed port): written
 * with the prefix if the budget allows at guest time `now`, else counted.
 * Returns whether it was written.
 */
bool io_log_guest(struct io_log *log, uint64_t now, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The same, but only the first time `key` is seen (io_once_first). */
bool io_log_once(struct io_log *log, uint64_t now, uint64_t key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
