/* A hostile guest: it maps guest-physical addresses beyond its RAM and must see nothing
 * there (reads give 0x00 or 0xff bytes only) and change nothing (no byte of RAM moves).
 * Device windows (local APIC 0xfee00000, I/O APIC 0xfec00000) are left alone. */
#include "tests/guests/cpu.h"
#include "tests/guests/env.h"
#include "tests/guests/ptest.h"
#include "tests/guests/report.h"

#define SENTINEL_PAGES  64
#define ALIAS_THRESHOLD 16 /* matching words in one RAM page that mean "a write landed" */
#define WORD_STEP       0x01000193u

struct target {
	const char *name;
	uint64_t gpa;
	bool firmware; /* the PC's firmware ROM lives there outside our hypervisor */
};

static uintptr_t sentinel;
static uint32_t sentinel_sum;
static uint32_t hostile_seed;

static uint32_t checksum(uintptr_t base, uint32_t words)
{
	uint32_t sum = 0;
	for (uint32_t i = 0; i < words; i++)
		sum = (sum << 5 | sum >> 27) ^ ((volatile uint32_t *)base)[i];
	return sum;
}

void ptest_hostile_prepare(void)
{
	sentinel = frame_alloc();
	for (uint32_t i = 1; i < SENTINEL_PAGES; i++)
		frame_alloc(); /* contiguous: the bump allocator has no free frames yet */
	for (uint32_t i = 0; i < SENTINEL_PAGES * 1024; i++)
		((volatile uint32_t *)sentinel)[i] = pattern(800, i);
	sentinel_sum = checksum(sentinel, SENTINEL_PAGES * 1024);
}

static uint32_t hostile_word(uint32_t k)
{
	return hostile_seed ^ (k * WORD_STEP);
}

static bool only_00_ff(uintptr_t va, uint32_t *bad_word, uint32_t *bad_off)
{
	for (uint32_t k = 0; k < 1024; k++) {
		uint32_t v = 0;
		if (probe_read32(va + k * 4, &v)) {
			*bad_word = 0xdeadfa17;
			*bad_off = k * 4;
			return false;
		}
		for (int b = 0; b < 4; b++) {
			uint8_t byte = (uint8_t)(v >> (8 * b));
			if (byte != 0 && byte != 0xff) {
				*bad_word = v;
				*bad_off = k * 4;
				return false;
			}
		}
	}
	return true;
}

static void probe_target(const struct target *t, uintptr_t va)
{
	pt_map(main_root, va, t->gpa, PTE_P | PTE_W);
	uint32_t word = 0, off = 0;
	bool before = only_00_ff(va, &word, &off);
	for (uint32_t k = 0; k < 1024; k++)
		probe_write32(va + k * 4, hostile_word(k));
	bool after = before && only_00_ff(va, &word, &off);
	if (!after && t->firmware && env.kind != ENV_HVX86)
		report_skip(t->name, "firmware ROM at this address on this platform");
	else
		report(after, t->name, "GPA 0x%llx offset 0x%x reads 0x%x (%s the writes)",
		       (unsigned long long)t->gpa, off, word, before ? "after" : "before");
	pt_set(pte_of(va), 0);
	invlpg(va);
}

/* Any RAM page holding many of the words written beyond RAM, at their offsets, means a
 * write went to RAM. */
static uintptr_t find_alias(void)
{
	for (uintptr_t p = 0x100000; p < frames_usable_end(); p += PAGE_SIZE) {
		const volatile uint32_t *w = (const volatile uint32_t *)p;
		uint32_t hits = 0;
		for (uint32_t k = 0; k < 1024; k += 8)
			hits += w[k] == hostile_word(k);
		if (hits >= ALIAS_THRESHOLD / 8)
			return p;
	}
	return 0;
}

void ptest_hostile(void)
{
	hostile_seed = pattern(0xbad, (uint32_t)read_cr3()) | 0x01010101u;
	uint64_t ram_end = (env.ram_end + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
	struct target targets[6];
	unsigned n = 0;
	targets[n++] = (struct target){"hostile: RAM end + 1 MiB reads 0x00/0xff only, before "
	                               "and after writes",
	                               ram_end + (1u << 20), false};
	if (ram_end + (2u << 20) <= 0xc0000000ull)
		targets[n++] = (struct target){"hostile: 3 GiB reads 0x00/0xff only, before and "
		                               "after writes",
		                               0xc0000000ull, false};
	targets[n++] = (struct target){"hostile: 4 GiB - 4 KiB reads 0x00/0xff only, before "
	                               "and after writes",
	                               0xfffff000ull, true};
	if (pt_mode() != PG_MODE_32) {
		targets[n++] = (struct target){"hostile: 4 GiB reads 0x00/0xff only, before and "
		                               "after writes",
		                               0x100000000ull, false};
		targets[n++] = (struct target){"hostile: top page below MAXPHYADDR reads 0x00/0xff "
		                               "only, before and after writes",
		                               (1ull << env.maxphyaddr) - PAGE_SIZE, false};
	}
	for (unsigned i = 0; i < n; i++)
		probe_target(&targets[i], slot(SLOT_HOSTILE) + i * PAGE_SIZE);

	uint32_t sum = checksum(sentinel, SENTINEL_PAGES * 1024);
	report(sum == sentinel_sum, "hostile: RAM sentinel checksum unchanged after the writes",
	       "checksum 0x%x, was 0x%x", sum, sentinel_sum);
	uintptr_t alias = find_alias();
	report(!alias, "hostile: no RAM page holds the words written beyond RAM",
	       "RAM page 0x%lx holds them", (unsigned long)alias);
}
