/* Simulated machine for shadow tests: see sim.h. */
#include "tests/unit/shadow_model/sim.h"

#include <stdlib.h>
#include <string.h>
#include <stdio.h>

void *sim_host_ptr(struct sim *s, uint64_t hpa)
{
	uint64_t off = hpa - SIM_HOST_BASE;
	if (hpa < SIM_HOST_BASE || off >= s->arena_frames * 4096)
		abort(); /* the code under test asked for memory that is not there */
	return s->arena + off;
}

static void *env_ptr(void *ctx, uint64_t hpa)
{
	return sim_host_ptr(ctx, hpa);
}

static uint64_t env_alloc(void *ctx)
{
	struct sim *s = ctx;
	if (!s->nfree || s->allocs_left == 0)
		return 0;
	s->allocs_left--;
	s->frames_out++;
	uint64_t hpa = s->free_frames[--s->nfree];
	memset(sim_host_ptr(s, hpa), 0xA5, 4096); /* garbage: the pool must zero it */
	return hpa;
}

static void env_free(void *ctx, uint64_t hpa)
{
	struct sim *s = ctx;
	s->frames_out--;
	s->free_frames[s->nfree++] = hpa;
}

int sim_init(struct sim *s, uint64_t guest_frames, uint64_t pool_frames,
             const struct pool_config *cfg, uint32_t seed)
{
	memset(s, 0, sizeof(*s));
	uint64_t state = seed * 2654435761ull + 1;
	s->arena_frames = guest_frames + pool_frames;
	s->arena = calloc(s->arena_frames, 4096);
	s->free_frames = calloc(s->arena_frames, sizeof(uint64_t));
	s->track = calloc(guest_frames, sizeof(uint64_t));
	uint64_t *perm = calloc(s->arena_frames, sizeof(uint64_t));
	for (uint64_t i = 0; i < s->arena_frames; i++)
		perm[i] = i;
	for (uint64_t i = s->arena_frames - 1; i > 0; i--) { /* non-contiguous guest RAM */
		uint64_t j = sim_rand(&state) % (i + 1), t = perm[i];
		perm[i] = perm[j], perm[j] = t;
	}
	s->guest_frames = guest_frames;
	for (uint64_t i = 0; i < guest_frames; i++)
		s->track[i] = SIM_HOST_BASE + perm[i] * 4096;
	for (uint64_t i = guest_frames; i < s->arena_frames; i++)
		s->free_frames[s->nfree++] = SIM_HOST_BASE + perm[i] * 4096;
	free(perm);
	s->allocs_left = UINT64_MAX;
	struct pool_env env = {.ctx = s,
	                       .frame_alloc = env_alloc,
	                       .frame_free = env_free,
	                       .phys_to_ptr = env_ptr,
	                       .track = s->track,
	                       .guest_frames = guest_frames};
	size_t meta_size = pool_meta_size(cfg, guest_frames);
	s->meta = aligned_alloc(64, (meta_size + 63) & ~(size_t)63);
	int rc = pool_init(&s->pool, cfg, &env, s->meta, meta_size);
	if (rc)
		return rc;
	shadow_init(&s->vcpu, &s->pool, 36);
	return 0;
}

void sim_destroy(struct sim *s)
{
	pool_destroy(&s->pool);
	free(s->meta);
	free(s->track);
	free(s->free_frames);
	free(s->arena);
}

uint64_t sim_gpa_hpa(struct sim *s, uint64_t gpa)
{
	uint64_t gfn = gpa >> 12;
	if (gfn >= s->guest_frames)
		return 0;
	return (s->track[gfn] & 0x0000FFFFFFFFF000ull) + (gpa & 0xfff);
}

bool sim_read(struct sim *s, uint64_t gpa, unsigned size, uint64_t *v)
{
	uint64_t hpa = sim_gpa_hpa(s, gpa);
	if (!hpa)
		return false;
	*v = 0;
	memcpy(v, sim_host_ptr(s, hpa), size);
	return true;
}

void sim_write(struct sim *s, uint64_t gpa, unsigned size, uint64_t v)
{
	uint64_t hpa = sim_gpa_hpa(s, gpa);
	if (hpa)
		memcpy(sim_host_ptr(s, hpa), &v, size);
}

void sim_guest_pt_write(struct sim *s, uint64_t gpa, unsigned size, uint64_t v)
{
	sim_write(s, gpa, size, v);
	shadow_guest_write(&s->vcpu, gpa, size, v);
}

/* The hardware reads the shadow tables straight from host memory. */
static bool hw_read(void *ctx, uint64_t hpa, unsigned size, uint64_t *v)
{
	struct sim *s = ctx;
	*v = 0;
	memcpy(v, sim_host_ptr(s, hpa), size);
	return true;
}

static void hw_walk(struct sim *s, uint64_t la, uint32_t acc, struct walk_result *r)
{
	struct walk_paging hw = {.wp = true,
	                         .nxe = s->vcpu.paging.nxe,
	                         .smep = s->vcpu.hw_smep,
	                         .smap = s->vcpu.hw_smap,
	                         .maxphyaddr = 46};
	hw.cr3 = shadow_root_hpa(&s->vcpu);
	if (!hw.cr3) {
		r->status = WALK_TABLE_NOT_RAM;
		return;
	}
	if (s->vcpu.hw == SHADOW_HW_LONG) {
		hw.mode = WALK_MODE_LONG4;
	} else {
		hw.mode = WALK_MODE_PAE; /* PDPTEs loaded at VM entry from the root */
		if (walk_load_pdptes(&hw, hw_read, s) != WALK_OK) {
			r->status = WALK_TABLE_NOT_RAM;
			return;
		}
		la &= 0xffffffff;
	}
	walk_translate(&hw, la, acc, hw_read, s, r);
}

static void store(struct sim *s, uint64_t hpa, uint64_t value)
{
	memcpy(sim_host_ptr(s, hpa & ~7ull), &value, 8);
}

void sim_flush_all(struct sim *s)
{
	shadow_step_close(&s->vcpu);
	pool_flush_all(&s->pool);
}

/* The page diff of a stepped write: every changed 8-byte entry of the page
 * (4-byte for 32-bit guests) goes to the write monitor. */
static void step_notify(struct sim *s, uint64_t page_gpa, const uint8_t *before)
{
	unsigned width = s->vcpu.paging.mode == WALK_MODE_32BIT ? 4 : 8;
	const uint8_t *after = sim_host_ptr(s, sim_gpa_hpa(s, page_gpa));

	if (!pool_gfn_monitored(&s->pool, page_gpa >> 12))
		return;
	for (unsigned off = 0; off < 4096; off += width) {
		if (memcmp(after + off, before + off, width) == 0)
			continue;
		uint64_t v = 0;
		memcpy(&v, after + off, width);
		shadow_guest_write(&s->vcpu, page_gpa + off, width, v);
	}
}

/* One stepped write of the instruction at la: false means it faulted again
 * (the step was abandoned by a flush) and must be re-executed. */
static bool step_write(struct sim *s, uint64_t la, uint32_t acc, uint64_t gpa, uint64_t value,
                       struct sim_access *out)
{
	static uint8_t before[4096];
	uint64_t page = gpa & ~0xfffull;
	uint32_t gen = pool_generation(&s->pool);

	memcpy(before, sim_host_ptr(s, sim_gpa_hpa(s, page)), sizeof(before));
	enum shadow_result r = shadow_step_open(&s->vcpu, la, acc);
	if (r == SHADOW_NO_MEMORY) {
		sim_flush_all(s);
		s->steps_abandoned++;
		return false;
	}
	if (r != SHADOW_FIXED)
		abort(); /* the walk that just said EMULATE cannot fail otherwise */
	if (s->meddle)
		s->meddle(s, s->meddle_arg);
	if (pool_generation(&s->pool) != gen) { /* flushed meanwhile: abandoned */
		shadow_step_close(&s->vcpu);
		s->steps_abandoned++;
		return false;
	}
	struct walk_result w;
	hw_walk(s, la, acc, &w);
	/* Another access may have evicted a table of the walk that needed no
	 * opening (it was writable already): the CPU faults again and the
	 * hypervisor opens the walk once more, within the same step. */
	if (w.status != WALK_OK)
		return false;
	if ((w.gpa & ~0xfffull) != sim_gpa_hpa(s, page))
		abort(); /* an opened walk must lead to the frame the guest maps */
	store(s, w.gpa, value);
	shadow_step_close(&s->vcpu);
	step_notify(s, page, before);
	s->steps++;
	out->outcome = SIM_OK;
	out->emulated = true;
	out->hpa = sim_gpa_hpa(s, gpa);
	return true;
}

void sim_access(struct sim *s, uint64_t la, uint32_t acc, uint64_t value, struct sim_access *out)
{
	memset(out, 0, sizeof(*out));
	for (int tries = 0; tries < 6; tries++) {
		struct walk_result r;
		hw_walk(s, la, acc, &r);
		if (r.status == WALK_OK) {
			out->outcome = SIM_OK;
			out->hpa = r.gpa;
			out->hit = tries == 0;
			if (acc & WALK_ACC_WRITE)
				store(s, r.gpa, value);
			return;
		}
		if (r.status == WALK_TABLE_NOT_RAM) { /* the shadow itself is broken */
			out->outcome = SIM_NO_MEMORY;
			return;
		}
		struct shadow_fault f;
		out->faults++;
		shadow_sync(&s->vcpu, la, acc, &f);
		switch (f.result) {
		case SHADOW_FIXED:
			continue;
		case SHADOW_REFLECT:
			out->outcome = SIM_PF;
			out->error_code = f.error_code;
			return;
		case SHADOW_EMULATE:
			if ((acc & WALK_ACC_WRITE) && s->step_writes) {
				if (step_write(s, la, acc, f.gpa, value, out))
					return;
				continue;
			}
			out->outcome = SIM_OK;
			out->emulated = true;
			out->hpa = sim_gpa_hpa(s, f.gpa);
			if (acc & WALK_ACC_WRITE) {
				uint64_t gpa = f.gpa & ~7ull;
				sim_write(s, gpa, 8, value);
				shadow_guest_write(&s->vcpu, gpa, 8, value);
			}
			return;
		case SHADOW_NOT_RAM:
			out->outcome = SIM_NOT_RAM;
			return;
		case SHADOW_GP:
			out->outcome = SIM_GP;
			return;
		default:
			out->outcome = SIM_NO_MEMORY;
			return;
		}
	}
	out->outcome = SIM_NO_MEMORY; /* no progress: a livelock in the sync path */
}
