# Every device model builds here, which shows vmx/dev/ needs nothing but
# vmx/io/; each model's behaviour is tested in its own suite too (the local
# APIC in tests/unit/lapic/).
HOST_SUITES += devices
devices_SRCS := $(sort $(wildcard vmx/dev/*.c vmx/io/*.c)) tests/unit/devices/main.c \
	tests/unit/devices/test_vfwcfg.c
