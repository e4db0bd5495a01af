/* Helpers shared by the loader tests: load an image into a fake RAM, read the info back. */
#ifndef TESTS_UNIT_MBLOAD_CHECK_H
#define TESTS_UNIT_MBLOAD_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "tests/unit/mbload/fake_mem.h"
#include "tests/unit/mbload/image.h"
#include "vmx/load/mbload.h"

#define RAM_16M (16ull << 20)
#define WHY_LEN 256

bool load_img(struct fake_mem *f, const struct img *im, const char *cmdline,
              const struct mbload_module *mods, uint32_t n, struct mbload_result *res, char *why);
/* The image must be refused with a reason containing want; 16 MiB of RAM. */
void expect_refused_ram(const struct img *im, uint64_t ram, const char *want);
void expect_refused(const struct img *im, const char *want);

/* What a multiboot information structure says, read back from the fake RAM. */
struct seen_mod {
	uint32_t start, end;
	const char *cmdline;
};
struct seen_mmap {
	uint64_t base, length;
	uint32_t type;
};
struct seen_info {
	uint32_t mem_lower, mem_upper;
	const char *cmdline, *loader_name;
	uint32_t mod_count;
	struct seen_mod mods[8];
	uint32_t mmap_count;
	struct seen_mmap mmap[8];
	uint32_t total_size; /* v2 */
};
/* Parse v1 info at gpa (checks flags and layout on the way). */
void read_mb1_info(const struct fake_mem *f, uint32_t gpa, struct seen_info *s);
/* Parse v2 info at gpa (checks alignment, sizes and the end tag on the way). */
void read_mb2_info(const struct fake_mem *f, uint32_t gpa, struct seen_info *s);
/* The PC memory map and mem_lower/mem_upper for RAM of ram bytes. */
void check_pc_layout(const struct seen_info *s, uint64_t ram);

#endif
