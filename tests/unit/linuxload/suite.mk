HOST_SUITES += linuxload
linuxload_SRCS := vmx/load/e820.c vmx/load/linux_text.c vmx/load/linux_common.c \
	vmx/load/linux_bzimage.c vmx/load/linux_elf.c vmx/load/linux_pvh.c vmx/load/loader.c \
	vmx/load/mbload.c vmx/load/mbload_header.c vmx/load/mbload_elf.c vmx/load/mbload_aout.c \
	vmx/load/mbload_info.c \
	tests/unit/linuxload/ram.c tests/unit/linuxload/images.c tests/unit/linuxload/util.c \
	tests/unit/linuxload/test_loader.c tests/unit/linuxload/test_bzimage.c \
	tests/unit/linuxload/test_bzimage_refuse.c tests/unit/linuxload/test_pvh.c \
	tests/unit/linuxload/test_pvh_refuse.c tests/unit/linuxload/test_debian.c
