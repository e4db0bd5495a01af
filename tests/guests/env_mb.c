/*
 * The boot information into env: multiboot v1 (Multiboot 0.6.96 §3.3: flags, mem_upper,
 * cmdline, mods, mmap) or v2 (Multiboot2 §3.6: tags command line, module, basic memory
 * information, memory map). Whatever is read is copied, so paging may change later.
 */
#include "tests/guests/env.h"

#include "tests/guests/multiboot.h"

#define MBI_MEM_UPPER   8
#define MBI_CMDLINE     16
#define MBI_MODS_COUNT  20
#define MBI_MODS_ADDR   24
#define MBI_MMAP_LENGTH 44
#define MBI_MMAP_ADDR   48
#define MBI_SIZE        88
#define MB_MOD_SIZE     16
#define MB2_TAG_ALIGN   8
#define MB2_TAGS_MAX    256 /* a bound on the walk, in case the info is corrupt */

static uint32_t rd32(uintptr_t addr)
{
	return *(volatile uint32_t *)addr;
}

static uint64_t rd64(uintptr_t addr)
{
	return rd32(addr) | (uint64_t)rd32(addr + 4) << 32;
}

static void note_end(uintptr_t end)
{
	if (end > env.mb_data_end)
		env.mb_data_end = end;
}

/* Copies a NUL-terminated string of at most cap - 1 characters; returns its length. */
static uint32_t copy_string(char *dst, uint32_t cap, uintptr_t src)
{
	uint32_t n = 0;
	while (n + 1 < cap && ((const char *)src)[n]) {
		dst[n] = ((const char *)src)[n];
		n++;
	}
	dst[n] = 0;
	note_end(src + n + 1);
	return n;
}

static void read_cmdline(uintptr_t s)
{
	uint32_t n = copy_string(env.cmdline, sizeof(env.cmdline), s);
	env.mb_flags |= MBI_FLAG_CMDLINE;
	/* "full" as a separate word anywhere on the command line. */
	for (uint32_t i = 0; i < n; i++) {
		bool start = i == 0 || env.cmdline[i - 1] == ' ';
		const char *w = &env.cmdline[i];
		if (start && w[0] == 'f' && w[1] == 'u' && w[2] == 'l' && w[3] == 'l' &&
		    (w[4] == 0 || w[4] == ' '))
			env.full = true;
	}
}

static void add_module(uint32_t start, uint32_t end, uintptr_t cmdline)
{
	note_end(end);
	if (env.mod_count < ENV_MAX_MODULES) {
		struct env_module *m = &env.mods[env.mod_count];
		m->start = start;
		m->end = end;
		copy_string(m->cmdline, sizeof(m->cmdline), cmdline);
	}
	env.mod_count++;
}

static void add_mmap(uint64_t base, uint64_t length, uint32_t type)
{
	if (env.mmap_count < ENV_MAX_MMAP)
		env.mmap[env.mmap_count++] = (struct env_mmap){base, length, type};
}

static void set_mem_upper(uint32_t kib)
{
	env.mb_flags |= MBI_FLAG_MEM;
	env.ram_end = 0x100000ull + (uint64_t)kib * 1024;
}

static void read_mb1(uint32_t mbi)
{
	uint32_t flags = rd32(mbi);
	env.mb_flags = flags;
	note_end(mbi + MBI_SIZE);
	if (flags & MBI_FLAG_MEM)
		set_mem_upper(rd32(mbi + MBI_MEM_UPPER));
	if (flags & MBI_FLAG_CMDLINE)
		read_cmdline(rd32(mbi + MBI_CMDLINE));
	if (flags & MBI_FLAG_MODS) {
		uint32_t count = rd32(mbi + MBI_MODS_COUNT), mods = rd32(mbi + MBI_MODS_ADDR);
		note_end(mods + count * MB_MOD_SIZE);
		for (uint32_t i = 0; i < count; i++) {
			uintptr_t m = mods + i * MB_MOD_SIZE;
			add_module(rd32(m), rd32(m + 4), rd32(m + 8));
		}
	}
	if (flags & MBI_FLAG_MMAP) {
		uint32_t len = rd32(mbi + MBI_MMAP_LENGTH), at = rd32(mbi + MBI_MMAP_ADDR);
		/* Each entry: size (not counting itself), base, length, type. */
		for (uint32_t off = 0; off + 24 <= len; off += rd32(at + off) + 4)
			add_mmap(rd64(at + off + 4), rd64(at + off + 12), rd32(at + off + 20));
	}
}

static void read_mb2_tag(uintptr_t t, uint32_t type, uint32_t size)
{
	switch (type) {
	case MB2_TAG_CMDLINE:
		read_cmdline(t + 8);
		break;
	case MB2_TAG_MODULE:
		env.mb_flags |= MBI_FLAG_MODS;
		add_module(rd32(t + 8), rd32(t + 12), t + 16);
		break;
	case MB2_TAG_MEMINFO:
		set_mem_upper(rd32(t + 12));
		break;
	case MB2_TAG_MMAP: {
		uint32_t esize = rd32(t + 8);
		env.mb_flags |= MBI_FLAG_MMAP;
		for (uint32_t off = 16; esize >= 24 && off + esize <= size; off += esize)
			add_mmap(rd64(t + off), rd64(t + off + 8), rd32(t + off + 16));
		break;
	}
	default:
		break;
	}
}

static void read_mb2(uint32_t mbi)
{
	uint32_t total = rd32(mbi);
	uintptr_t t = mbi + 8;
	note_end(mbi + total);
	for (int n = 0; n < MB2_TAGS_MAX && t + 8 <= mbi + total; n++) {
		uint32_t type = rd32(t), size = rd32(t + 4);
		if (type == MB2_TAG_END || size < 8)
			break;
		read_mb2_tag(t, type, size);
		t += (size + MB2_TAG_ALIGN - 1) & ~(uintptr_t)(MB2_TAG_ALIGN - 1);
	}
}

void env_read_multiboot(uint32_t magic, uint32_t mbi)
{
	if (magic == MB1_BOOT_MAGIC)
		read_mb1(mbi);
	else if (magic == MB2_BOOT_MAGIC)
		read_mb2(mbi);
}
