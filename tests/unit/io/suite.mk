# The I/O layer on its own (vmx/io/ needs nothing else) and the exit-port device.
HOST_SUITES += io
io_SRCS := $(sort $(wildcard vmx/io/*.c)) vmx/dev/debug_exit.c tests/unit/io/main.c \
	tests/unit/io/bus_test.c tests/unit/io/log_test.c tests/unit/io/debug_exit_test.c
