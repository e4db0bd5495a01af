HOST_SUITES += emulate
emulate_SRCS := $(sort $(wildcard vmx/emul/*.c)) tests/unit/emulate/fake.c tests/unit/emulate/case.c tests/unit/emulate/addressing_test.c tests/unit/emulate/insn_test.c tests/unit/emulate/string_test.c tests/unit/emulate/refuse_test.c tests/unit/emulate/flags_test.c tests/unit/emulate/segment_test.c
