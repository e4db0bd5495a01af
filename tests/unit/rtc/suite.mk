HOST_SUITES += rtc
rtc_SRCS := vmx/dev/rtc.c vmx/dev/rtc_chain.c vmx/dev/rtc_alarm.c vmx/dev/rtc_format.c vmx/dev/rtc_calendar.c vmx/dev/rtc_cmos.c vmx/dev/rtc_print.c vmx/io/log.c tests/unit/rtc/main.c tests/unit/rtc/test_calendar.c tests/unit/rtc/test_control.c tests/unit/rtc/test_interrupts.c tests/unit/rtc/test_cmos.c
