HOST_SUITES += mbload
mbload_SRCS := vmx/load/mbload.c vmx/load/mbload_header.c vmx/load/mbload_elf.c vmx/load/mbload_aout.c vmx/load/mbload_info.c tests/unit/mbload/fake_mem.c tests/unit/mbload/image.c tests/unit/mbload/check.c tests/unit/mbload/good_test.c tests/unit/mbload/refuse_test.c tests/unit/mbload/fuzz_test.c
