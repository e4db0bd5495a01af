HOST_SUITES += uart
uart_SRCS := vmx/dev/ns16550.c vmx/dev/ns16550_intr.c vmx/dev/ns16550_tx.c vmx/dev/ns16550_fifo.c vmx/dev/ns16550_rx.c vmx/dev/ns16550_modem.c vmx/io/log.c tests/unit/uart/bench.c tests/unit/uart/linux.c tests/unit/uart/test_regs.c tests/unit/uart/test_fifo.c tests/unit/uart/test_intr.c tests/unit/uart/test_rx.c tests/unit/uart/test_loopback.c tests/unit/uart/test_linux.c
