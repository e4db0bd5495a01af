/* The cpuid suite: host tests of the guest's CPUID and MSR model (vmx/exit/cpuid_model.c,
 * vmx/exit/msr_model.c) against the CPUs Bochs emulates in `make test`, recorded in
 * penryn.txt and haswell.txt. This file provides main(). */
#define HARNESS_MAIN
#include "tests/unit/harness.h"
