HOST_SUITES += mm
mm_SRCS := mm/memmap.c mm/frame.c mm/hbitmap.c boot/msgfmt.c tests/unit/mm/memmap_test.c tests/unit/mm/place_test.c tests/unit/mm/hbitmap_test.c tests/unit/mm/frame_test.c tests/unit/mm/frame_random_test.c
