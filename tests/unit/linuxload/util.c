#include "tests/unit/linuxload/util.h"

#include <stdlib.h>
#include <string.h>

#include "tests/unit/harness.h"
#include "vmx/load/linux_boot.h"

struct run run_loader(load_fn fn, struct ram *r, const struct image *im, const char *cmdline,
                      const struct mbload_module *mods, uint32_t nmods)
{
	struct run run;
	struct load_request req = {im ? im->b : 0, im ? im->size : 0, cmdline, mods, nmods};
	memset(&run, 0x5a, sizeof(run)); /* the loader must clear what it does not set */
	run.ok = fn(&r->mem, &req, &run.res, run.why, sizeof(run.why));
	CHECK_EQ(r->outside, 0);
	if (run.ok)
		CHECK_EQ(run.why[0], 0);
	return run;
}

void check_refused(const struct run *run, const struct ram *r, const char *want)
{
	CHECK(!run->ok);
	if (strcmp(run->why, want) != 0)
		printf("  reason \"%s\"\n  wanted \"%s\"\n", run->why, want);
	CHECK(strcmp(run->why, want) == 0);
	CHECK_EQ(r->writes, 0);
}

void check_refused_with(const struct run *run, const char *want)
{
	CHECK(!run->ok);
	if (!strstr(run->why, want))
		printf("  reason \"%s\"\n  wanted it to contain \"%s\"\n", run->why, want);
	CHECK(strstr(run->why, want) != 0);
}

static void check_segment(const struct boot_segment *s, uint16_t sel, uint32_t access)
{
	CHECK_EQ(s->selector, sel);
	CHECK_EQ(s->base, 0);
	CHECK_EQ(s->limit, 0xffffffffu);
	CHECK_EQ(s->access, access);
}

void check_linux_entry_state(const struct load_result *res, const struct ram *r, uint32_t entry)
{
	const struct boot_state *s = &res->state;
	CHECK_EQ(res->entry, entry);
	CHECK_EQ(s->rip, entry);
	CHECK_EQ(s->rflags, 0x2);            /* IF clear: interrupts off */
	check_segment(&s->cs, 0x10, 0xc09b); /* G, D, P, S, type 0xb: code execute/read */
	check_segment(&s->ds, 0x18, 0xc093); /* data read/write */
	check_segment(&s->es, 0x18, 0xc093);
	check_segment(&s->ss, 0x18, 0xc093);
	check_segment(&s->fs, 0x18, 0xc093);
	check_segment(&s->gs, 0x18, 0xc093);
	CHECK_EQ(s->tr.base, 0);
	CHECK_EQ(s->tr.limit, 0x67);
	CHECK_EQ(s->tr.access, 0x8b); /* present, busy 32-bit TSS */
	CHECK_EQ(s->cr0, 0x11);       /* PE and ET: protected mode, paging off */
	CHECK_EQ(s->cr4, 0);
	CHECK_EQ(s->efer, 0);
	CHECK_EQ(s->gdt_base, 0x11000);
	CHECK_EQ(s->gdt_limit, 0x1f);
	CHECK_EQ(ram_u64(r, 0x11000), 0);
	CHECK_EQ(ram_u64(r, 0x11008), 0);
	CHECK_EQ(ram_u64(r, 0x11010), 0x00cf9b000000ffffull); /* flat 4 GiB code, accessed */
	CHECK_EQ(ram_u64(r, 0x11018), 0x00cf93000000ffffull); /* flat 4 GiB data, accessed */
}

struct mbload_module module_make(uint64_t size, uint8_t seed, const char *cmdline)
{
	uint8_t *b = malloc(size ? size : 1);
	if (!b)
		abort();
	for (uint64_t i = 0; i < size; i++)
		b[i] = (uint8_t)(i * 3 + seed + (i >> 12));
	return (struct mbload_module){b, size, cmdline};
}

void module_free(struct mbload_module *m)
{
	free((void *)m->data);
	m->data = 0;
}
