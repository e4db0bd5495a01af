HOST_SUITES += mbload
mbload_SRCS := vmx/mbload.c vmx/mbload_header.c vmx/mbload_elf.c vmx/mbload_aout.c vmx/mbload_info.c tests/unit/mbload/fake_mem.c tests/unit/mbload/image.c tests/unit/mbload/check.c tests/unit/mbload/good_test.c tests/unit/mbload/refuse_test.c tests/unit/mbload/fuzz_test.c
