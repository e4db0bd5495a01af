#include "tests/unit/mbload/check.h"

#include <string.h>

#include "tests/unit/harness.h"

bool load_img(struct fake_mem *f, const struct img *im, const char *cmdline,
              const struct mbload_module *mods, uint32_t n, struct mbload_result *res, char *why)
{
	struct mbload_request req = {im->b, im->size, cmdline, mods, n};
	bool ok = mbload(&f->mem, &req, res, why, WHY_LEN);
	CHECK_EQ(f->bad_writes, 0);
	CHECK_EQ(f->unbacked, 0);
	if (!ok)
		printf("  (refused: %s)\n", why);
	return ok;
}

void expect_refused_ram(const struct img *im, uint64_t ram, const char *want)
{
	struct fake_mem f;
	struct mbload_result res;
	char why[WHY_LEN];
	fake_mem_init(&f, ram, ram < RAM_16M ? ram : RAM_16M);
	struct mbload_request req = {im->b, im->size, "x", 0, 0};
	bool ok = mbload(&f.mem, &req, &res, why, sizeof(why));
	CHECK(!ok);
	CHECK_EQ(f.bad_writes, 0);
	if (!ok && !strstr(why, want)) {
		printf("  reason '%s' lacks '%s'\n", why, want);
		CHECK(strstr(why, want));
	}
	fake_mem_free(&f);
}

void expect_refused(const struct img *im, const char *want)
{
	expect_refused_ram(im, RAM_16M, want);
}

void read_mb1_info(const struct fake_mem *f, uint32_t gpa, struct seen_info *s)
{
	memset(s, 0, sizeof(*s));
	uint32_t flags = fake_rd32(f, gpa);
	CHECK_EQ(flags, 0x24d); /* mem, cmdline, mods, mmap, boot_loader_name */
	CHECK_EQ(gpa % 8, 0);
	s->mem_lower = fake_rd32(f, gpa + 4);
	s->mem_upper = fake_rd32(f, gpa + 8);
	CHECK_EQ(fake_rd32(f, gpa + 12), 0); /* boot_device: not given */
	s->cmdline = fake_str(f, fake_rd32(f, gpa + 16));
	s->mod_count = fake_rd32(f, gpa + 20);
	uint32_t mods = fake_rd32(f, gpa + 24);
	for (uint32_t i = 0; i < s->mod_count && i < 8; i++) {
		s->mods[i].start = fake_rd32(f, mods + 16 * i);
		s->mods[i].end = fake_rd32(f, mods + 16 * i + 4);
		s->mods[i].cmdline = fake_str(f, fake_rd32(f, mods + 16 * i + 8));
		CHECK_EQ(fake_rd32(f, mods + 16 * i + 12), 0);
	}
	uint32_t mmap_len = fake_rd32(f, gpa + 44), mmap = fake_rd32(f, gpa + 48);
	for (uint32_t at = 0; at < mmap_len && s->mmap_count < 8;) {
		uint32_t size = fake_rd32(f, mmap + at);
		CHECK_EQ(size, 20);
		s->mmap[s->mmap_count].base = fake_rd64(f, mmap + at + 4);
		s->mmap[s->mmap_count].length = fake_rd64(f, mmap + at + 12);
		s->mmap[s->mmap_count].type = fake_rd32(f, mmap + at + 20);
		s->mmap_count++;
		at += size + 4;
	}
	for (uint32_t off = 28; off < 44; off += 4)
		CHECK_EQ(fake_rd32(f, gpa + off), 0); /* syms */
	s->loader_name = fake_str(f, fake_rd32(f, gpa + 64));
	for (uint32_t off = 68; off < 116; off += 4)
		CHECK_EQ(fake_rd32(f, gpa + off), 0); /* apm, vbe, framebuffer */
}

static void mb2_tag_seen(const struct fake_mem *f, uint32_t t, uint32_t type, uint32_t size,
                         struct seen_info *s)
{
	switch (type) {
	case 1:
		s->cmdline = fake_str(f, t + 8);
		CHECK_EQ(size, 8 + strlen(s->cmdline) + 1);
		break;
	case 2:
		s->loader_name = fake_str(f, t + 8);
		CHECK_EQ(size, 8 + strlen(s->loader_name) + 1);
		break;
	case 3:
		if (s->mod_count < 8) {
			struct seen_mod *m = &s->mods[s->mod_count];
			m->start = fake_rd32(f, t + 8);
			m->end = fake_rd32(f, t + 12);
			m->cmdline = fake_str(f, t + 16);
			CHECK_EQ(size, 16 + strlen(m->cmdline) + 1);
		}
		s->mod_count++;
		break;
	case 4:
		CHECK_EQ(size, 16);
		s->mem_lower = fake_rd32(f, t + 8);
		s->mem_upper = fake_rd32(f, t + 12);
		break;
	case 6: {
		uint32_t esize = fake_rd32(f, t + 8);
		CHECK_EQ(esize, 24);
		CHECK_EQ(fake_rd32(f, t + 12), 0); /* entry_version */
		CHECK_EQ((size - 16) % 24, 0);
		for (uint32_t at = 16; at + 24 <= size && s->mmap_count < 8; at += 24) {
			s->mmap[s->mmap_count].base = fake_rd64(f, t + at);
			s->mmap[s->mmap_count].length = fake_rd64(f, t + at + 8);
			s->mmap[s->mmap_count].type = fake_rd32(f, t + at + 16);
			CHECK_EQ(fake_rd32(f, t + at + 20), 0);
			s->mmap_count++;
		}
		break;
	}
	default:
		printf("  unexpected multiboot2 info tag type %u\n", type);
		CHECK(!"unexpected tag");
	}
}

void read_mb2_info(const struct fake_mem *f, uint32_t gpa, struct seen_info *s)
{
	memset(s, 0, sizeof(*s));
	CHECK_EQ(gpa % 8, 0);
	s->total_size = fake_rd32(f, gpa);
	CHECK_EQ(fake_rd32(f, gpa + 4), 0);
	uint32_t t = gpa + 8;
	for (int n = 0; n < 64; n++) {
		uint32_t type = fake_rd32(f, t), size = fake_rd32(f, t + 4);
		CHECK_EQ(t % 8, 0);
		if (type == 0) {
			CHECK_EQ(size, 8);
			CHECK_EQ(t + 8 - gpa, s->total_size);
			return;
		}
		REQUIRE(size >= 8 && t + size <= gpa + s->total_size);
		mb2_tag_seen(f, t, type, size, s);
		t += (size + 7) & ~7u;
	}
	CHECK(!"no end tag in 64 tags");
}

void check_pc_layout(const struct seen_info *s, uint64_t ram)
{
	CHECK_EQ(s->mem_lower, 639);
	CHECK_EQ(s->mem_upper, (ram - 0x100000) / 1024);
	REQUIRE(s->mmap_count == 4);
	CHECK_EQ(s->mmap[0].base, 0);
	CHECK_EQ(s->mmap[0].length, 0x9fc00);
	CHECK_EQ(s->mmap[0].type, 1);
	CHECK_EQ(s->mmap[1].base, 0x9fc00);
	CHECK_EQ(s->mmap[1].length, 0x400);
	CHECK_EQ(s->mmap[1].type, 2);
	CHECK_EQ(s->mmap[2].base, 0xf0000);
	CHECK_EQ(s->mmap[2].length, 0x10000);
	CHECK_EQ(s->mmap[2].type, 2);
	CHECK_EQ(s->mmap[3].base, 0x100000);
	CHECK_EQ(s->mmap[3].length, ram - 0x100000);
	CHECK_EQ(s->mmap[3].type, 1);
}
