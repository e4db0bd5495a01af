HOST_SUITES += lapic
lapic_SRCS := $(sort $(wildcard vmx/dev/lapic*.c)) vmx/io/log.c tests/unit/lapic/rig.c \
	tests/unit/lapic/test_regs.c tests/unit/lapic/test_msr.c tests/unit/lapic/test_ipi.c \
	tests/unit/lapic/test_timer.c tests/unit/lapic/test_deliver.c \
	tests/unit/lapic/test_errors.c tests/unit/lapic/test_extint.c tests/unit/lapic/test_lint.c \
	tests/unit/lapic/test_print.c tests/unit/lapic/test_bus.c
