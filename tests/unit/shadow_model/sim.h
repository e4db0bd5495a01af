/*
 * Simulated machine for the shadow tests, model test and benchmark: a host-physical
 * arena of frames, guest RAM made of non-contiguous arena frames (tracking entries), a
 * frame source with fault injection, a pool and one shadow vCPU, and a simulated CPU
 * that translates accesses through the SHADOW tables like hardware (using pool/walk.c in
 * the hardware format: 4-level or PAE) and faults into shadow_sync() on a miss.
 */
#ifndef TESTS_SHADOW_MODEL_SIM_H
#define TESTS_SHADOW_MODEL_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "pool/pool.h"
#include "pool/shadow/shadow.h"

#define SIM_HOST_BASE 0x40000000ull /* host address of arena frame 0 */

struct sim {
	uint8_t *arena;
	uint64_t arena_frames;
	uint64_t *free_frames; /* stack of host addresses for the frame source */
	uint64_t nfree;
	uint64_t allocs_left; /* fault injection: frame_alloc fails when this hits 0 */
	uint64_t frames_out;  /* frames held by the pool */
	uint64_t *track;
	uint64_t guest_frames;
	void *meta;
	struct pool pool;
	struct shadow_vcpu vcpu;
	/* Writes the shadow keeps read-only (SHADOW_EMULATE) are single-stepped, as
	 * the hypervisor does, instead of emulated: open the walk, let the CPU store
	 * through it, close it and report the changed entries. `meddle` (may be 0)
	 * runs while the walk is open, as events during the stepped instruction
	 * can: a pool flush, exhaustion, another access. */
	bool step_writes;
	void (*meddle)(struct sim *s, void *arg);
	void *meddle_arg;
	uint64_t steps, steps_abandoned;
};

enum sim_outcome { SIM_OK, SIM_PF, SIM_NOT_RAM, SIM_GP, SIM_NO_MEMORY };

struct sim_access {
	enum sim_outcome outcome;
	uint32_t error_code;
	uint64_t hpa;    /* SIM_OK: host-physical address accessed */
	unsigned faults; /* shadow faults taken (sync calls) */
	bool emulated;   /* the access was emulated (SHADOW_EMULATE) */
	bool hit;        /* the shadow translated it without a fault */
};

/* guest_frames guest pages made of shuffled arena frames; extra frames for the pool. */
int sim_init(struct sim *s, uint64_t guest_frames, uint64_t pool_frames,
             const struct pool_config *cfg, uint32_t seed);
void sim_destroy(struct sim *s);

void *sim_host_ptr(struct sim *s, uint64_t hpa);
uint64_t sim_gpa_hpa(struct sim *s, uint64_t gpa); /* 0 outside guest RAM */
bool sim_read(struct sim *s, uint64_t gpa, unsigned size, uint64_t *v);
void sim_write(struct sim *s, uint64_t gpa, unsigned size, uint64_t v);
/* A guest page-table write the hypervisor emulated: memory, then the notification. */
void sim_guest_pt_write(struct sim *s, uint64_t gpa, unsigned size, uint64_t v);

/*
 * One guest access through the shadow, as the CPU would do it. A successful write
 * stores `value` (8 bytes at the 8-aligned address) into the accessed page.
 */
void sim_access(struct sim *s, uint64_t la, uint32_t acc, uint64_t value, struct sim_access *out);

/* What the hypervisor does when the pool runs out during a step: abandon the
 * step (close the walk), flush everything; the instruction faults again. */
void sim_flush_all(struct sim *s);

/* xorshift64* */
static inline uint64_t sim_rand(uint64_t *state)
{
	uint64_t x = *state;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545F4914F6CDD1Dull;
}

#endif
