/* The bzImage loader's refusals: each reason exactly, and no guest RAM written. */
#include <string.h>

#include "tests/unit/harness.h"
#include "tests/unit/linuxload/util.h"
#include "vmx/load/linux_boot.h"

/* Build s, shorten the file to size (0: keep it), load into ram_bytes, expect want. */
static void refused(const struct bz_spec *s, uint64_t size, uint64_t ram_bytes,
                    const struct mbload_module *mods, uint32_t n, const char *want)
{
	struct ram r;
	struct image im;
	bz_build(&im, s);
	if (size)
		im.size = size;
	ram_init(&r, ram_bytes);
	struct run run = run_loader(linux_bzimage_load, &r, &im, "quiet", mods, n);
	check_refused(&run, &r, want);
	image_free(&im);
	ram_free(&r);
}

TEST(bz_refuses_truncated_setup_header)
{
	struct bz_spec s = bz_default();
	refused(&s, 0x1f0, MIB(64), 0, 0,
	        "truncated: 496 bytes, a bzImage's setup header needs 0x206");
	refused(&s, 0x250, MIB(64), 0, 0, "truncated: 592 bytes, the setup header ends at 0x26c");
}

TEST(bz_refuses_truncated_kernel)
{
	struct bz_spec s = bz_default();
	uint64_t whole = bz_setup_bytes(&s) + bz_kernel_bytes(&s);
	refused(&s, whole - 1, MIB(64), 0, 0,
	        "truncated: 67071 bytes, 2 setup sectors and a 65536-byte kernel need 67072");
	s.syssize = 0;
	refused(&s, 0, MIB(64), 0, 0, "syssize 0: no protected-mode kernel");
}

TEST(bz_refuses_missing_hdrs)
{
	struct bz_spec s = bz_default();
	s.no_hdrs = true;
	refused(&s, 0, MIB(64), 0, 0, "no \"HdrS\" magic at 0x202: not a bzImage");
}

TEST(bz_refuses_protocol_2_11)
{
	struct bz_spec s = bz_default();
	s.version = 0x020b;
	refused(&s, 0, MIB(64), 0, 0,
	        "boot protocol 2.11 is older than 2.12, the oldest supported");
	s.version = 0x020c; /* 2.12 itself is taken */
	struct ram r;
	struct image im;
	bz_build(&im, &s);
	ram_init(&r, MIB(64));
	struct run run = run_loader(linux_bzimage_load, &r, &im, "quiet", 0, 0);
	CHECK(run.ok);
	CHECK(strcmp(run.res.name, "linux boot protocol 2.12") == 0);
	image_free(&im);
	ram_free(&r);
}

TEST(bz_refuses_header_end_out_of_range)
{
	struct bz_spec s = bz_default();
	s.hdr_end = 0x260; /* does not reach init_size */
	refused(&s, 0, MIB(64), 0, 0, "setup header ends at 0x260, outside [0x264, 0x290]");
	s.hdr_end = 0x2a0; /* runs into edd_mbr_sig_buffer */
	refused(&s, 0, MIB(64), 0, 0, "setup header ends at 0x2a0, outside [0x264, 0x290]");
}

TEST(bz_refuses_without_loaded_high)
{
	struct bz_spec s = bz_default();
	s.loadflags = 0;
	refused(&s, 0, MIB(64), 0, 0,
	        "loadflags 0x0 without LOADED_HIGH: a zImage, loaded below 1 MiB");
}

TEST(bz_refuses_kernel_that_does_not_fit)
{
	struct bz_spec s = bz_default();
	refused(&s, 0, MIB(18), 0, 0,
	        "kernel needs 4194304 bytes at 0x1000000, guest RAM is 18874368 bytes");
	refused(&s, 0, MIB(8), 0, 0, /* pref_address beyond RAM */
	        "kernel needs 4194304 bytes at 0x1000000, guest RAM is 8388608 bytes");
	s.relocatable = 0;
	s.pref_address = 0x80000;
	refused(&s, 0, MIB(64), 0, 0, "non-relocatable kernel runs at 0x80000, below 1 MiB");
}

TEST(bz_refuses_bad_kernel_alignment)
{
	struct bz_spec s = bz_default();
	s.kernel_alignment = 0x300000;
	refused(&s, 0, MIB(64), 0, 0, "kernel_alignment 0x300000 is not a power of two");
	s.kernel_alignment = 0;
	refused(&s, 0, MIB(64), 0, 0, "kernel_alignment 0x0 is not a power of two");
}

TEST(bz_refuses_initrd_that_does_not_fit)
{
	struct bz_spec s = bz_default();
	struct mbload_module initrd = module_make(MIB(16), 1, 0);
	refused(&s, 0, MIB(24), &initrd, 1,
	        "initrd of 16777216 bytes does not fit below 0x1800000 outside the kernel's "
	        "[0x1000000, 0x1400000)");
	s.initrd_addr_max = 0xfffff; /* nothing above 1 MiB may hold it */
	refused(&s, 0, MIB(64), &initrd, 1,
	        "initrd of 16777216 bytes does not fit below 0x100000 outside the kernel's "
	        "[0x1000000, 0x1400000)");
	module_free(&initrd);
}

TEST(bz_refuses_second_module)
{
	struct bz_spec s = bz_default();
	struct mbload_module mods[2] = {module_make(16, 1, 0), module_make(16, 2, 0)};
	refused(&s, 0, MIB(64), mods, 2, "2 modules: the Linux boot protocol takes one initrd");
	module_free(&mods[0]);
	module_free(&mods[1]);
}

TEST(bz_refuses_ram_outside_the_map)
{
	struct bz_spec s = bz_default();
	refused(&s, 0, MIB(1), 0, 0,
	        "guest RAM of 1024 KiB is outside [2048 KiB, 3145728 KiB], what the memory map "
	        "describes");
	refused(&s, 0, ((uint64_t)3 << 30) + 4096, 0, 0,
	        "guest RAM of 3145732 KiB is outside [2048 KiB, 3145728 KiB], what the memory map "
	        "describes");
}

TEST(bz_reports_a_failed_ram_write)
{
	struct ram r;
	struct image im;
	struct bz_spec s = bz_default();
	bz_build(&im, &s);
	ram_init(&r, MIB(64));
	r.fail_gpa = 0x1000000 + 100;
	struct run run = run_loader(linux_bzimage_load, &r, &im, "quiet", 0, 0);
	CHECK(!run.ok);
	CHECK(strcmp(run.why, "guest RAM write of 65536 bytes at 0x1000000 failed") == 0);
	image_free(&im);
	ram_free(&r);
}
