/*
 * Debian's own kernel, when tools/mklinux has fetched it to $BUILD/linux/ (BUILD defaults
 * to "build"): vmlinuz by the boot protocol, vmlinux by PVH, checked against the
 * kernel_release and pvh_entry lines of $BUILD/linux/versions when that file is there. A
 * test is registered only when its kernel file exists, so a tree without the files runs
 * (and prints) neither.
 */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/unit/harness.h"
#include "tests/unit/linuxload/util.h"
#include "vmx/load/linux_boot.h"
#include "vmx/load/linux_params.h"

static char vmlinuz_path[512], vmlinux_path[512], versions_path[512];

/* The value of "key=value" in the versions file, into out; false if absent. */
static bool version_value(const char *key, char *out, size_t cap)
{
	char line[256];
	size_t klen = strlen(key);
	bool found = false;
	FILE *f = fopen(versions_path, "r");
	while (f && !found && fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, klen) != 0 || line[klen] != '=')
			continue;
		snprintf(out, cap, "%s", line + klen + 1);
		out[strcspn(out, "\n")] = 0;
		found = true;
	}
	if (f)
		fclose(f);
	return found;
}

/* The file mapped read-only; false when it cannot be opened. */
static bool map_file(const char *path, struct image *im)
{
	struct stat st;
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	if (fstat(fd, &st) != 0 || st.st_size <= 0) {
		close(fd);
		return false;
	}
	void *p = mmap(0, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return false;
	*im = (struct image){p, (uint64_t)st.st_size, {0}};
	return true;
}

static void unmap_file(struct image *im)
{
	munmap(im->b, im->size);
}

static void test_debian_vmlinuz(void)
{
	struct image im;
	struct ram r;
	struct mbload_module initrd = module_make(MIB(8), 5, 0);
	REQUIRE(map_file(vmlinuz_path, &im));
	CHECK(linux_is_bzimage(im.b, im.size));
	uint16_t version = (uint16_t)(im.b[BP_VERSION] | im.b[BP_VERSION + 1] << 8);
	uint32_t release_at =
	    0x200u + (uint32_t)(im.b[BP_KERNEL_VERSION] | im.b[BP_KERNEL_VERSION + 1] << 8);
	char release[128];
	CHECK(version >= 0x020c);
	REQUIRE(release_at < im.size);
	if (version_value("kernel_release", release, sizeof(release)))
		CHECK(strncmp((const char *)im.b + release_at, release, strlen(release)) == 0);
	CHECK(im.b[BP_LOADFLAGS] & BP_LOADED_HIGH);
	CHECK(im.b[BP_RELOCATABLE_KERNEL] != 0);
	ram_init(&r, MIB(512));
	struct run run = run_loader(load_image, &r, &im, "console=ttyS0", &initrd, 1);
	if (!run.ok)
		printf("  refused: %s\n", run.why);
	REQUIRE(run.ok);
	CHECK_EQ(run.res.kind, LOAD_LINUX_BZIMAGE);
	CHECK(strncmp(run.res.name, "linux boot protocol 2.", 22) == 0);
	CHECK_EQ(run.res.entry, 0x1000000); /* Debian's pref_address, CONFIG_PHYSICAL_START */
	CHECK_EQ(ram_u16(&r, 0x10000 + BP_VERSION), version);
	CHECK_EQ(ram_u32(&r, 0x10000 + BP_CODE32_START), 0x1000000);
	CHECK(run.res.modules.start >= run.res.kernel.end);
	CHECK_EQ(run.res.modules.end, MIB(512));
	module_free(&initrd);
	ram_free(&r);
	unmap_file(&im);
}

static void test_debian_vmlinux(void)
{
	struct image im;
	struct ram r;
	REQUIRE(map_file(vmlinux_path, &im));
	CHECK(linux_pvh_has_note(im.b, im.size));
	ram_init(&r, MIB(512));
	struct run run = run_loader(load_image, &r, &im, "console=hvc0", 0, 0);
	if (!run.ok)
		printf("  refused: %s\n", run.why);
	REQUIRE(run.ok);
	CHECK_EQ(run.res.kind, LOAD_LINUX_PVH);
	CHECK(strcmp(run.res.name, "pvh ELF64") == 0);
	/* pvh_start_xen, near the start of .text at 16 MiB (0x1000850 in 6.1.0-57) */
	CHECK(run.res.entry > 0x1000000 && run.res.entry < 0x1010000);
	char entry[32];
	if (version_value("pvh_entry", entry, sizeof(entry)))
		CHECK_EQ(run.res.entry, strtoull(entry, 0, 16));
	CHECK_EQ(run.res.kernel.start, 0x1000000);
	CHECK_EQ(run.res.state.gpr[BOOT_RBX], 0x10000);
	CHECK_EQ(ram_u32(&r, 0x10000), 0x336ec578);
	ram_free(&r);
	unmap_file(&im);
}

static struct harness_test vmlinuz_test = {"debian_vmlinuz_boot_protocol", test_debian_vmlinuz, 0};
static struct harness_test vmlinux_test = {"debian_vmlinux_pvh", test_debian_vmlinux, 0};

__attribute__((constructor)) static void register_debian_tests(void)
{
	const char *build = getenv("BUILD");
	build = build && *build ? build : "build";
	snprintf(vmlinuz_path, sizeof(vmlinuz_path), "%s/linux/vmlinuz", build);
	snprintf(vmlinux_path, sizeof(vmlinux_path), "%s/linux/vmlinux", build);
	snprintf(versions_path, sizeof(versions_path), "%s/linux/versions", build);
	if (access(vmlinuz_path, R_OK) == 0)
		harness_register(&vmlinuz_test);
	if (access(vmlinux_path, R_OK) == 0)
		harness_register(&vmlinux_test);
}
