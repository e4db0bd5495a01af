HOST_SUITES += bootinfo
bootinfo_SRCS := boot/bootinfo.c boot/mb1_parse.c boot/mb2_parse.c boot/efimap.c boot/msgfmt.c mm/memmap.c tests/unit/bootinfo/fake_phys.c tests/unit/bootinfo/mb1_test.c tests/unit/bootinfo/mb2_test.c tests/unit/bootinfo/efimap_test.c
