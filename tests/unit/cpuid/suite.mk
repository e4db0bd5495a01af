# The guest's CPUID and MSR allowlists (vmx/exit/cpuid_model.c, msr_model.c), checked
# against the Bochs CPU models recorded in tests/unit/cpuid/*.txt (read at run time from
# the repository root).
HOST_SUITES += cpuid
cpuid_SRCS := vmx/exit/cpuid_model.c vmx/exit/msr_model.c tests/unit/cpuid/main.c \
	tests/unit/cpuid/fixture.c tests/unit/cpuid/test_penryn.c \
	tests/unit/cpuid/test_haswell.c tests/unit/cpuid/test_rules.c \
	tests/unit/cpuid/test_msr.c tests/unit/cpuid/test_msr_cpuid.c
