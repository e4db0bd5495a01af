/* Shared between the benchmark's files (tests/bench/): results and entry points. */
#ifndef TESTS_BENCH_BENCH_H
#define TESTS_BENCH_BENCH_H

#include <stdint.h>

#include "tests/bench/guest.h"

double bench_now_ns(void);

/* ns per pool operation (bench_ops.c). */
struct op_numbers {
	double alloc_grow_ns; /* miss that takes a new frame from the frame source */
	double alloc_miss_ns; /* miss served from the free list (steady state) */
	double alloc_hit_ns;
	double free_ns;               /* pool_page_flush of a page holding 4 leaves */
	double flush_tracked_ns;      /* pool_flush_gfn, frame with one reference */
	double flush_scan_ns;         /* full scan of every level-1 pool page, pool full */
	double flush_overflow_ns;     /* pool_flush_gfn of an overflowed frame (slow path) */
	unsigned scan_pages;          /* pool pages in use during the scan */
	unsigned overflow_refs;       /* references of the overflowed frame */
	uint64_t overflow_slow_pages; /* pages the pool's slow path examined per flush */
};

void bench_ops(struct op_numbers *n);

/* Faults and lower bound of one phase of a trace (the fork trace has several). */
#define TRACE_PHASES 4
struct trace_phase {
	const char *name;
	uint64_t faults, reflected, emulated, fills_charged, refills_user, refills_kernel;
	uint64_t lower_bound;
};

/* One trace run under one policy. */
struct trace_run {
	struct trace_phase phase[TRACE_PHASES];
	unsigned nphases;
	struct guest_bound lb;
	struct guest_counts n;
	struct pool_stats pool;
	struct pool_stats warm; /* pool statistics when the warm-up (first round) ended */
	uint32_t max_pages;
	double ns;
};

/* A trace under the pool's policy and under the naive baseline. */
struct trace_report {
	const char *name;
	struct trace_run pool, naive;
};

void trace_fork(struct trace_run *out, bool naive);
void trace_ctxsw(struct trace_run *out, bool naive);
/* Copy the figures out of a finished guest; warm: the statistics after warm-up. */
void trace_collect(struct trace_run *out, struct guest *g, double ns,
                   const struct pool_stats *warm);

#endif
