/*
 * guest-modules: prints its command line and its modules and checks them against what
 * the command line expects:
 *   expect-modules=N      exactly N modules
 *   expect-env=KEY=VALUE  some module holds the line KEY=VALUE (an environment file)
 *   expect-modcmd=WORD    the first module's command line contains WORD
 * e.g. "expect-modules=1 expect-env=answer=42 expect-modcmd=answer.env".
 */
#include "tests/guests/env.h"
#include "tests/guests/guest.h"
#include "tests/guests/report.h"

#ifdef GUEST_PROG
const char guest_name[] = GUEST_PROG;
#else
const char guest_name[] = "modules";
#endif

#define PAGE_MASK   0xfffu
#define SHOW_BYTES  64u
#define MMAP_USABLE 1u
#define WORD_MAX    64u

extern char __image_start[], _end[];

/* The value of "key=" as a separate word of the command line, copied to out. */
static bool cmdline_value(const char *key, char *out, uint32_t cap)
{
	const char *s = env.cmdline;
	uint32_t klen = 0;
	while (key[klen])
		klen++;
	for (uint32_t i = 0; s[i]; i++) {
		if ((i && s[i - 1] != ' ') || __builtin_memcmp(s + i, key, klen) != 0)
			continue;
		uint32_t n = 0;
		for (const char *v = s + i + klen; *v && *v != ' ' && n + 1 < cap; v++)
			out[n++] = *v;
		out[n] = 0;
		return true;
	}
	return false;
}

static uint32_t parse_uint(const char *s)
{
	uint32_t v = 0;
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (uint32_t)(*s++ - '0');
	return v;
}

static void show_module(uint32_t i, const struct env_module *m)
{
	char text[SHOW_BYTES + 1];
	uint32_t n = 0;
	for (uint32_t a = m->start; a < m->end && n < SHOW_BYTES; a++) {
		char c = *(const volatile char *)(uintptr_t)a;
		text[n++] = c >= ' ' && c < 127 ? c : '.';
	}
	text[n] = 0;
	report_info("module %u: [0x%x, 0x%x) cmdline '%s' bytes '%s'", i, m->start, m->end,
	            m->cmdline, text);
}

/* Does the module hold the line "want" (lines end with \n, \r, NUL or the module end)? */
static bool module_has_line(const struct env_module *m, const char *want)
{
	uint32_t wlen = 0;
	while (want[wlen])
		wlen++;
	for (uint32_t a = m->start; a + wlen <= m->end; a++) {
		bool line_start =
		    a == m->start || *(const volatile char *)(uintptr_t)(a - 1) == '\n';
		if (!line_start || __builtin_memcmp((const void *)(uintptr_t)a, want, wlen) != 0)
			continue;
		char next = a + wlen < m->end ? *(const volatile char *)(uintptr_t)(a + wlen) : 0;
		if (next == '\n' || next == '\r' || next == 0)
			return true;
	}
	return false;
}

static bool contains(const char *s, const char *w)
{
	for (; *s; s++) {
		uint32_t i = 0;
		while (w[i] && s[i] == w[i])
			i++;
		if (!w[i])
			return true;
	}
	return !*w;
}

static void test_placement(void)
{
	uint32_t bad = 0;
	for (uint32_t i = 0; i < env.mod_count && i < ENV_MAX_MODULES; i++) {
		const struct env_module *m = &env.mods[i];
		if ((m->start & PAGE_MASK) || m->start < (uintptr_t)_end || m->end < m->start ||
		    m->end > env.ram_end)
			bad = i + 1;
	}
	report(env.mod_count > 0 && !bad, "placement: page aligned, after the kernel, inside RAM",
	       "%u modules, module %u misplaced (kernel end 0x%lx, RAM end 0x%llx)", env.mod_count,
	       bad ? bad - 1 : 0, (unsigned long)(uintptr_t)_end, (unsigned long long)env.ram_end);
}

/* An available memory-map entry covers the kernel and every module. */
static void test_mmap(void)
{
	uint64_t lo = (uintptr_t)__image_start, hi = (uintptr_t)_end;
	for (uint32_t i = 0; i < env.mod_count && i < ENV_MAX_MODULES; i++)
		hi = env.mods[i].end > hi ? env.mods[i].end : hi;
	bool covered = false;
	for (uint32_t i = 0; i < env.mmap_count; i++) {
		const struct env_mmap *e = &env.mmap[i];
		report_info("mmap %u: [0x%llx, +0x%llx) type %u", i, (unsigned long long)e->base,
		            (unsigned long long)e->length, e->type);
		if (e->type == MMAP_USABLE && e->base <= lo && hi - e->base <= e->length)
			covered = true;
	}
	report((env.mb_flags & MBI_FLAG_MMAP) && covered,
	       "memory map: available RAM covers the kernel and the modules",
	       "flags 0x%x, %u entries, need [0x%llx, 0x%llx)", env.mb_flags, env.mmap_count,
	       (unsigned long long)lo, (unsigned long long)hi);
}

void guest_main(void)
{
	char count[WORD_MAX], kv[WORD_MAX], modcmd[WORD_MAX];
	report_info("boot magic 0x%x, cmdline '%s', %u modules", env.boot_magic, env.cmdline,
	            env.mod_count);
	for (uint32_t i = 0; i < env.mod_count && i < ENV_MAX_MODULES; i++)
		show_module(i, &env.mods[i]);
	bool have = cmdline_value("expect-modules=", count, sizeof(count)) &&
	            cmdline_value("expect-env=", kv, sizeof(kv)) &&
	            cmdline_value("expect-modcmd=", modcmd, sizeof(modcmd));
	report(have, "cmdline: expect-modules=, expect-env= and expect-modcmd= given",
	       "cmdline '%s'", env.cmdline);
	if (!have)
		return;
	report(env.mod_count == parse_uint(count), "count: as many modules as expect-modules= says",
	       "%u modules, expected %s", env.mod_count, count);
	test_placement();
	bool found = false;
	for (uint32_t i = 0; i < env.mod_count && i < ENV_MAX_MODULES && !found; i++)
		found = module_has_line(&env.mods[i], kv);
	report(found, "content: a module holds the line expect-env= gives",
	       "no module has the line '%s'", kv);
	report(env.mod_count > 0 && contains(env.mods[0].cmdline, modcmd),
	       "cmdline: the first module's command line contains expect-modcmd=",
	       "'%s' lacks '%s'", env.mod_count ? env.mods[0].cmdline : "", modcmd);
	test_mmap();
}
