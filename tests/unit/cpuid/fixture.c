/* Loading the recorded CPUs and answering CPUID from them. */
#include "tests/unit/cpuid/fixture.h"

#include <stdio.h>
#include <string.h>

#define FIXTURE_DIR "tests/unit/cpuid/"
#define ALL_ONES    0xffffffffu

static bool parse_cpuid_line(struct fixture *f, const char *line)
{
	struct fixture_leaf l;
	if (sscanf(line, "cpuid %x.%x: eax=%x ebx=%x ecx=%x edx=%x", &l.leaf, &l.subleaf, &l.r.eax,
	           &l.r.ebx, &l.r.ecx, &l.r.edx) != 6)
		return false;
	if (f->leaf_count == FIXTURE_MAX_LEAVES)
		return false;
	f->leaves[f->leaf_count++] = l;
	return true;
}

static bool parse_msr_line(struct fixture *f, const char *line)
{
	struct fixture_msr m = {0, false, 0};
	char value[32];
	unsigned long long v;
	if (sscanf(line, "msr %x: %31s", &m.msr, value) != 2 || f->msr_count == FIXTURE_MAX_MSRS)
		return false;
	if (strcmp(value, "#GP") == 0)
		m.gp = true;
	else if (sscanf(value, "%llx", &v) == 1)
		m.value = v;
	else
		return false;
	f->msrs[f->msr_count++] = m;
	return true;
}

bool fixture_load(struct fixture *f, const char *name)
{
	char path[128], line[256];
	bool ok = true;

	memset(f, 0, sizeof(*f));
	snprintf(path, sizeof(path), FIXTURE_DIR "%s.txt", name);
	FILE *file = fopen(path, "r");
	if (!file) {
		printf("  cannot open %s (run from the repository root)\n", path);
		return false;
	}
	while (fgets(line, sizeof(line), file)) {
		if (strncmp(line, "cpuid ", 6) == 0)
			ok = parse_cpuid_line(f, line) && ok;
		else if (strncmp(line, "msr ", 4) == 0)
			ok = parse_msr_line(f, line) && ok;
		else if (line[0] != '#' && line[0] != '\n')
			ok = false;
	}
	fclose(file);
	return ok && f->leaf_count > 0;
}

/* The leaves whose answer depends on ECX (SDM Vol. 2A, CPUID, table 3-8). */
static bool takes_subleaf(uint32_t leaf)
{
	static const uint32_t indexed[] = {0x4,  0x7,  0xb,  0xd,  0xf, 0x10,
	                                   0x12, 0x14, 0x17, 0x18, 0x1f};
	for (unsigned i = 0; i < sizeof(indexed) / sizeof(indexed[0]); i++)
		if (indexed[i] == leaf)
			return true;
	return false;
}

static const struct fixture_leaf *find_leaf(const struct fixture *f, uint32_t leaf, uint32_t sub)
{
	for (unsigned i = 0; i < f->leaf_count; i++)
		if (f->leaves[i].leaf == leaf && f->leaves[i].subleaf == sub)
			return &f->leaves[i];
	return NULL;
}

static bool leaf_recorded(const struct fixture *f, uint32_t leaf)
{
	for (unsigned i = 0; i < f->leaf_count; i++)
		if (f->leaves[i].leaf == leaf)
			return true;
	return false;
}

static void apply_overrides(const struct fixture *f, uint32_t leaf, struct cpuid_regs4 *r)
{
	if (leaf == 0 && f->max_basic_override)
		r->eax = f->max_basic_override;
	if (leaf == 0x80000001u)
		r->edx &= ~f->ext1_edx_clear;
}

struct cpuid_regs4 fixture_cpuid(void *ctx, uint32_t leaf, uint32_t subleaf)
{
	struct fixture *f = ctx;
	struct cpuid_regs4 r = {0, 0, 0, 0};
	const struct fixture_leaf *l = find_leaf(f, leaf, takes_subleaf(leaf) ? subleaf : 0);

	if (l)
		r = l->r;
	else if (!leaf_recorded(f, leaf))
		f->unrecorded_queries++;
	apply_overrides(f, leaf, &r);
	return r;
}

const struct fixture_msr *fixture_msr(const struct fixture *f, uint32_t msr)
{
	for (unsigned i = 0; i < f->msr_count; i++)
		if (f->msrs[i].msr == msr)
			return &f->msrs[i];
	return NULL;
}

struct cpuid_regs4 all_ones_cpuid(void *ctx, uint32_t leaf, uint32_t subleaf)
{
	uint32_t max_basic = *(const uint32_t *)ctx;
	struct cpuid_regs4 r = {ALL_ONES, ALL_ONES, ALL_ONES, ALL_ONES};

	(void)subleaf;
	if (leaf == 0)
		r.eax = max_basic;
	if (leaf == 0x80000000u)
		r.eax = 0x80000000u | max_basic;
	return r;
}

struct cpuid_regs4 guest_cpuid(struct fixture *f, uint32_t leaf, uint32_t subleaf,
                               bool in_64bit_mode)
{
	struct cpuid_facts facts = {.apic_enabled = true, .in_64bit_mode = in_64bit_mode};
	return cpuid_model(leaf, subleaf, fixture_cpuid, f, &facts);
}

void guest_brand(struct fixture *f, char out[49])
{
	for (uint32_t i = 0; i < 3; i++) {
		struct cpuid_regs4 r = guest_cpuid(f, 0x80000002u + i, 0, false);
		memcpy(out + 16 * i, &r.eax, 4);
		memcpy(out + 16 * i + 4, &r.ebx, 4);
		memcpy(out + 16 * i + 8, &r.ecx, 4);
		memcpy(out + 16 * i + 12, &r.edx, 4);
	}
	out[48] = '\0';
}
