HOST_SUITES += shadow
shadow_SRCS := $(wildcard pool/*.c pool/shadow/*.c) tests/unit/shadow_model/sim.c tests/unit/shadow/walk_test.c tests/unit/shadow/shadow_test.c tests/unit/shadow/step_test.c
