#include "tests/unit/pool/env.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t frame_alloc(void *ctx)
{
	struct tenv *t = ctx;

	t->calls++;
	if (t->calls == t->fail_at || (t->fail_from && t->calls >= t->fail_from))
		return 0;
	for (uint64_t n = 0; n < t->nframes; n++) {
		uint64_t i = (t->next_hint + n) % t->nframes;
		if (!t->taken[i]) {
			t->taken[i] = 1;
			t->next_hint = i + 1;
			t->out++;
			return TENV_HOST_BASE + i * 4096;
		}
	}
	return 0;
}

static void frame_free(void *ctx, uint64_t hpa)
{
	struct tenv *t = ctx;
	uint64_t i = (hpa - TENV_HOST_BASE) / 4096;

	if (hpa < TENV_HOST_BASE || i >= t->nframes || !t->taken[i]) {
		printf("  bad frame_free 0x%llx\n", (unsigned long long)hpa);
		abort();
	}
	t->taken[i] = 0;
	t->in++;
}

static void *phys_to_ptr(void *ctx, uint64_t hpa)
{
	struct tenv *t = ctx;
	uint64_t off = hpa - TENV_HOST_BASE;

	if (hpa < TENV_HOST_BASE || off >= t->nframes * 4096) {
		printf("  bad phys_to_ptr 0x%llx\n", (unsigned long long)hpa);
		abort();
	}
	return t->arena + off;
}

void *tenv_ptr(struct tenv *t, uint64_t hpa)
{
	return phys_to_ptr(t, hpa);
}

static uint64_t gcd(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t r = a % b;
		a = b;
		b = r;
	}
	return a;
}

struct tenv *tenv_new(uint64_t guest_frames, uint64_t pool_frames)
{
	struct tenv *t = calloc(1, sizeof(*t));

	t->nframes = guest_frames + pool_frames;
	t->arena = calloc(t->nframes, 4096);
	t->taken = calloc(t->nframes, 1);
	t->guest_frames = guest_frames;
	t->track = calloc(guest_frames ? guest_frames : 1, sizeof(uint64_t));
	/* Guest frame g lives at arena frame perm(g): a stride permutation over
	 * the last guest_frames arena frames, so not contiguous. */
	uint64_t stride = 7;
	while (guest_frames && gcd(guest_frames, stride) != 1)
		stride += 2;
	for (uint64_t g = 0; g < guest_frames; g++) {
		uint64_t i = pool_frames + (g * stride) % guest_frames;
		t->taken[i] = 1;
		t->track[g] = TENV_HOST_BASE + i * 4096;
	}
	t->env = (struct pool_env){t, frame_alloc, frame_free, phys_to_ptr, t->track, guest_frames};
	return t;
}

int tenv_init(struct tenv *t, const struct pool_config *cfg)
{
	size_t size = pool_meta_size(cfg, t->guest_frames);

	t->meta = aligned_alloc(8, (size + 7) & ~(size_t)7);
	return pool_init(&t->pool, cfg, &t->env, t->meta, size);
}

int tenv_free(struct tenv *t)
{
	pool_destroy(&t->pool);
	int leaked = (int)(t->out - t->in);
	free(t->meta);
	free(t->track);
	free(t->taken);
	free(t->arena);
	free(t);
	return leaked;
}

int tenv_audit(struct tenv *t)
{
	char buf[256];

	if (pool_audit(&t->pool, buf, sizeof(buf)) == 0)
		return 1;
	printf("  audit: %s\n", buf);
	return 0;
}
