/*
 * Guest RAM from the frame allocator, and the pool environment the shadow
 * page pool runs on in the kernel: frames from mm/, host memory through the
 * direct map.
 */
#include "vmx/vm/ram.h"
#include "arch/x86/printf.h"
#include "mm/directmap.h"
#include "mm/kmem.h"
#include "pool/track.h"

static uint64_t env_frame_alloc(void *ctx)
{
	(void)ctx;
	return frame_alloc(kmem_frames());
}

static void env_frame_free(void *ctx, uint64_t hpa)
{
	(void)ctx;
	frame_free(kmem_frames(), hpa);
}

static void *env_phys_to_ptr(void *ctx, uint64_t hpa)
{
	(void)ctx;
	return phys_to_virt(hpa);
}

static uint64_t frames_for(uint64_t bytes)
{
	return (bytes + PAGE_SIZE - 1) / PAGE_SIZE;
}

static int take_ram(struct guest_mem *gm)
{
	for (uint64_t gfn = 0; gfn < gm->frames; gfn++) {
		uint64_t hpa = frame_alloc(kmem_frames());
		if (!hpa) {
			printf("vmx: out of frames for guest RAM after %lu of %lu pages\n",
			       (unsigned long)gfn, (unsigned long)gm->frames);
			return -1;
		}
		__builtin_memset(phys_to_virt(hpa), 0, PAGE_SIZE);
		gm->track[gfn] = hpa;
	}
	return 0;
}

static int start_pool(struct guest_mem *gm)
{
	struct pool_env env = {
	    .frame_alloc = env_frame_alloc,
	    .frame_free = env_frame_free,
	    .phys_to_ptr = env_phys_to_ptr,
	    .track = gm->track,
	    .guest_frames = gm->frames,
	};
	uint64_t meta_bytes = pool_meta_size(0, gm->frames);

	gm->meta_frames = frames_for(meta_bytes);
	gm->meta_phys = frame_alloc_run(kmem_frames(), gm->meta_frames, 1);
	if (!gm->meta_phys) {
		printf("vmx: no %lu contiguous frames for pool metadata\n",
		       (unsigned long)gm->meta_frames);
		return -1;
	}
	int rc =
	    pool_init(&gm->pool, 0, &env, phys_to_virt(gm->meta_phys), gm->meta_frames * PAGE_SIZE);
	if (rc != POOL_OK) {
		printf("vmx: pool_init failed (%d)\n", rc);
		return -1;
	}
	gm->pool_ready = true;
	return 0;
}

int guest_mem_create(struct guest_mem *gm, uint64_t bytes)
{
	*gm = (struct guest_mem){.frames = frames_for(bytes)};
	gm->track_frames = frames_for(gm->frames * sizeof(uint64_t));
	gm->track_phys = frame_alloc_run(kmem_frames(), gm->track_frames, 1);
	if (!gm->track_phys) {
		printf("vmx: no room for %lu tracking entries\n", (unsigned long)gm->frames);
		return -1;
	}
	gm->track = phys_to_virt(gm->track_phys);
	__builtin_memset(gm->track, 0, gm->track_frames * PAGE_SIZE);
	if (take_ram(gm) || start_pool(gm)) {
		guest_mem_destroy(gm);
		return -1;
	}
	return 0;
}

void guest_mem_destroy(struct guest_mem *gm)
{
	if (gm->pool_ready)
		pool_destroy(&gm->pool);
	gm->pool_ready = false;
	for (uint64_t gfn = 0; gm->track && gfn < gm->frames; gfn++) {
		uint64_t hpa = track_hpa(gm->track[gfn]);
		if (hpa)
			frame_free(kmem_frames(), hpa);
	}
	if (gm->meta_phys)
		frame_free_run(kmem_frames(), gm->meta_phys, gm->meta_frames);
	if (gm->track_phys)
		frame_free_run(kmem_frames(), gm->track_phys, gm->track_frames);
	*gm = (struct guest_mem){0};
}

void *guest_mem_ptr(struct guest_mem *gm, uint64_t gpa)
{
	uint64_t gfn = gpa / PAGE_SIZE;
	if (gfn >= gm->frames)
		return 0;
	return (uint8_t *)phys_to_virt(track_hpa(gm->track[gfn])) + (gpa % PAGE_SIZE);
}

/* Walk [gpa, gpa+len) a page at a time; op gets host pointer and length. */
static bool for_each_chunk(struct guest_mem *gm, uint64_t gpa, uint64_t len,
                           void (*op)(void *host, uint64_t off, uint64_t n, void *arg), void *arg)
{
	uint64_t done = 0;
	while (done < len) {
		uint8_t *host = guest_mem_ptr(gm, gpa + done);
		uint64_t room = PAGE_SIZE - ((gpa + done) % PAGE_SIZE);
		uint64_t n = len - done < room ? len - done : room;
		if (!host)
			return false;
		op(host, done, n, arg);
		done += n;
	}
	return true;
}

static void copy_in(void *host, uint64_t off, uint64_t n, void *arg)
{
	__builtin_memcpy(host, (const uint8_t *)arg + off, n);
}

static void copy_out(void *host, uint64_t off, uint64_t n, void *arg)
{
	__builtin_memcpy((uint8_t *)arg + off, host, n);
}

static void zero(void *host, uint64_t off, uint64_t n, void *arg)
{
	(void)off;
	(void)arg;
	__builtin_memset(host, 0, n);
}

bool guest_mem_write(struct guest_mem *gm, uint64_t gpa, const void *src, uint64_t len)
{
	return for_each_chunk(gm, gpa, len, copy_in, (void *)(uintptr_t)src);
}

bool guest_mem_read(struct guest_mem *gm, uint64_t gpa, void *dst, uint64_t len)
{
	return for_each_chunk(gm, gpa, len, copy_out, dst);
}

bool guest_mem_zero(struct guest_mem *gm, uint64_t gpa, uint64_t len)
{
	return for_each_chunk(gm, gpa, len, zero, 0);
}
