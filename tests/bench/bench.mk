# Benchmark of the shadow pool (issue 3). `make bench` builds with -O2, no sanitizers,
# runs it, prints the figures and writes build/bench.json. Not a test.
BENCH_SRCS := $(wildcard pool/*.c) tests/unit/shadow_model/sim.c tests/bench/bench.c

build/bench/pool_bench: $(BENCH_SRCS) $(wildcard pool/*.h) tests/unit/shadow_model/sim.h
	@mkdir -p build/bench
	gcc -std=c11 -O2 -Wall -Wextra -Werror -Wshadow -I. -o $@ $(BENCH_SRCS)

.PHONY: bench
bench: build/bench/pool_bench
	@mkdir -p build
	./build/bench/pool_bench
