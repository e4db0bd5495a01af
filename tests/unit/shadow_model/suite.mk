HOST_SUITES += shadow_model
shadow_model_SRCS := $(wildcard pool/*.c pool/shadow/*.c) tests/unit/shadow_model/sim.c tests/unit/shadow_model/ref_walk.c tests/unit/shadow_model/bad_input.c tests/unit/shadow_model/model_test.c
