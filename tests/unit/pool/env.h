/*
 * Simulated host for pool tests: an arena of 4 KiB frames at a fake host
 * address, a frame source with fault injection and out/in accounting, and
 * guest RAM backed by arena frames in shuffled (non-contiguous) order.
 */
#ifndef TESTS_UNIT_POOL_ENV_H
#define TESTS_UNIT_POOL_ENV_H

#include <stdint.h>

#include "pool/pool.h"

#define TENV_HOST_BASE 0x0000123400000000ull

struct tenv {
	uint8_t *arena;
	uint64_t nframes;
	uint8_t *taken; /* per arena frame: 1 if handed out */
	uint64_t next_hint;
	unsigned calls;     /* frame_alloc calls */
	unsigned fail_at;   /* this call (1-based) fails; 0 = never */
	unsigned fail_from; /* this call and all later fail; 0 = never */
	unsigned out, in;   /* frames handed out / given back by the pool */
	uint64_t *track;
	uint64_t guest_frames;
	void *meta;
	struct pool pool;
	struct pool_env env;
};

/* Guest RAM of guest_frames frames plus room for pool_frames pool frames. */
struct tenv *tenv_new(uint64_t guest_frames, uint64_t pool_frames);
/* pool_init with cfg (may be NULL); returns its result. */
int tenv_init(struct tenv *t, const struct pool_config *cfg);
/* pool_destroy and free everything; returns frames still out (0 = no leak). */
int tenv_free(struct tenv *t);
void *tenv_ptr(struct tenv *t, uint64_t hpa);
/* Audit; prints the message and returns false on a violation. */
int tenv_audit(struct tenv *t);

#endif
