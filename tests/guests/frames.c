/* Bump allocator upwards for 4 KiB frames with a LIFO free list, downwards for large
 * aligned blocks. Frames are guest-physical and, once paging is on, identity-mapped. */
#include "tests/guests/frames.h"

#include "tests/guests/env.h"
#include "tests/guests/report.h"

extern char _end[];

static uintptr_t next_low, next_high, usable_end;
static uintptr_t free_list; /* first word of a free frame links to the next */

static uintptr_t align_up(uintptr_t v, uintptr_t a)
{
	return (v + a - 1) & ~(a - 1);
}

void frames_init(void)
{
	uint64_t end = env.ram_end < RAM_USE_CAP ? env.ram_end : RAM_USE_CAP;
	uintptr_t low = (uintptr_t)_end;
	if (env.mb_data_end > low && env.mb_data_end < end)
		low = env.mb_data_end;
	next_low = align_up(low, PAGE_SIZE);
	usable_end = (uintptr_t)end & ~(uintptr_t)(PAGE_SIZE - 1);
	next_high = usable_end;
	if (next_low + (16u << 20) > next_high) {
		report_fail("frames: enough RAM", "RAM end 0x%llx, need at least 16 MiB free",
		            (unsigned long long)env.ram_end);
		report_done();
	}
}

static void out_of_memory(void)
{
	report_fail("frames: allocation", "out of guest RAM");
	report_done();
}

uintptr_t frame_alloc(void)
{
	uintptr_t f;
	if (free_list) {
		f = free_list;
		free_list = *(uintptr_t *)f;
	} else {
		if (next_low + PAGE_SIZE > next_high)
			out_of_memory();
		f = next_low;
		next_low += PAGE_SIZE;
	}
	__builtin_memset((void *)f, 0, PAGE_SIZE);
	return f;
}

void frame_free(uintptr_t frame)
{
	*(uintptr_t *)frame = free_list;
	free_list = frame;
}

uintptr_t frame_alloc_large(uint32_t size)
{
	uintptr_t f = (next_high - size) & ~(uintptr_t)(size - 1);
	if (f < next_low || f > next_high)
		out_of_memory();
	next_high = f;
	return f;
}

uintptr_t frames_usable_end(void)
{
	return usable_end;
}

void frames_free_span(uintptr_t *lo, uintptr_t *hi)
{
	*lo = next_low;
	*hi = next_high;
}
