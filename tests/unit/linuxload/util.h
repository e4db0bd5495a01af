/* Shared by the linuxload tests: one load call, the entry-state and GDT checks. */
#ifndef TESTS_UNIT_LINUXLOAD_UTIL_H
#define TESTS_UNIT_LINUXLOAD_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "tests/unit/linuxload/images.h"
#include "tests/unit/linuxload/ram.h"
#include "vmx/load/loader.h"

#define MIB(n) ((uint64_t)(n) << 20)

typedef bool (*load_fn)(const struct load_mem *, const struct load_request *, struct load_result *,
                        char *, uint32_t);

/* A loader run: its verdict, result and reason. */
struct run {
	bool ok;
	struct load_result res;
	char why[200];
};

struct run run_loader(load_fn fn, struct ram *r, const struct image *im, const char *cmdline,
                      const struct mbload_module *mods, uint32_t nmods);

/* Refused with exactly want as the reason, nothing written to guest RAM. */
void check_refused(const struct run *run, const struct ram *r, const char *want);
/* Refused with a reason that contains want. */
void check_refused_with(const struct run *run, const char *want);

/* The 32-bit flat state with CS 0x10, data 0x18 and the loader's GDT, as in guest RAM. */
void check_linux_entry_state(const struct load_result *res, const struct ram *r, uint32_t entry);

/* A module of size bytes with a byte pattern (free with module_free). */
struct mbload_module module_make(uint64_t size, uint8_t seed, const char *cmdline);
void module_free(struct mbload_module *m);

#endif
