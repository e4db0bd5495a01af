/*
 * The guest machine's log (see vmx/io/log.h): a once-set of keys and a line
 * budget that refills with guest time, in front of a vprintf-like sink.
 */
#include "vmx/io/log.h"

bool io_once_first(struct io_once *s, uint64_t key)
{
	for (unsigned i = 0; i < IO_ONCE_KEYS; i++) {
		if (s->key[i] == key + 1)
			return false;
		if (!s->key[i]) {
			s->key[i] = key + 1;
			return true;
		}
	}
	s->overflow++;
	return false; /* set full: stay quiet rather than flood the log */
}

void io_log_init(struct io_log *log, io_vprintf_fn vprint, const char *prefix)
{
	__builtin_memset(log, 0, sizeof(*log));
	log->vprint = vprint;
	log->tokens = IO_LOG_BURST;
	for (unsigned i = 0; prefix && prefix[i] && i < IO_LOG_PREFIX_MAX - 1; i++)
		log->prefix[i] = prefix[i];
}

void io_log_print(struct io_log *log, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log->vprint(fmt, ap);
	va_end(ap);
}

/* Refill one token per IO_LOG_REFILL_NS since the last refill, up to the burst. */
static bool take_token(struct io_log *log, uint64_t now)
{
	if (now > log->refilled_at) {
		uint64_t gained = (now - log->refilled_at) / IO_LOG_REFILL_NS;
		if (gained) {
			uint64_t t = log->tokens + gained;
			log->tokens = t > IO_LOG_BURST ? IO_LOG_BURST : (uint32_t)t;
			log->refilled_at += gained * IO_LOG_REFILL_NS;
		}
	}
	if (!log->tokens) {
		log->suppressed++;
		return false;
	}
	log->tokens--;
	return true;
}

static bool guest_line(struct io_log *log, uint64_t now, const char *fmt, va_list ap)
{
	if (!take_token(log, now))
		return false;
	io_log_print(log, "%s", log->prefix);
	log->vprint(fmt, ap);
	return true;
}

bool io_log_guest(struct io_log *log, uint64_t now, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	bool written = guest_line(log, now, fmt, ap);
	va_end(ap);
	return written;
}

bool io_log_once(struct io_log *log, uint64_t now, uint64_t key, const char *fmt, ...)
{
	va_list ap;

	if (!io_once_first(&log->once, key))
		return false;
	va_start(ap, fmt);
	bool written = guest_line(log, now, fmt, ap);
	va_end(ap);
	return written;
}
