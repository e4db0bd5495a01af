HOST_SUITES += pit
pit_SRCS := vmx/dev/pit.c vmx/dev/pit_counter.c vmx/dev/pit_counting.c vmx/io/log.c tests/unit/pit/env.c tests/unit/pit/access_test.c tests/unit/pit/modes_test.c tests/unit/pit/port61_test.c tests/unit/pit/irq0_test.c tests/unit/pit/calibrate_test.c tests/unit/pit/print_test.c
