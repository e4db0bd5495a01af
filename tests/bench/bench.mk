# Benchmark of the shadow pool (issue 3). `make bench` builds with -O2, no sanitizers,
# runs it, prints the figures and writes build/bench.json. Not a test.
BENCH_SRCS := $(wildcard pool/*.c pool/shadow/*.c) tests/unit/shadow_model/sim.c \
	tests/bench/guest.c tests/bench/trace_fork.c tests/bench/trace_ctxsw.c \
	tests/bench/bench_ops.c tests/bench/bench.c
BENCH_HDRS := $(wildcard pool/*.h pool/shadow/*.h) tests/unit/shadow_model/sim.h $(wildcard tests/bench/*.h)

build/bench/pool_bench: $(BENCH_SRCS) $(BENCH_HDRS)
	@mkdir -p build/bench
	gcc -std=c11 -O2 -Wall -Wextra -Werror -Wshadow -I. -o $@ $(BENCH_SRCS)

.PHONY: bench
bench: build/bench/pool_bench
	@mkdir -p build
	./build/bench/pool_bench
