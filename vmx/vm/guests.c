/*
 * Which guests to run, from the boot modules or the built-in images, and
 * each one's command line, RAM size and modules.
 */
#include "vmx/vm/guests.h"
#include "arch/x86/printf.h"
#include "boot/cmdline.h"
#include "mm/directmap.h"
#include "vmx/vm/images.h"

#define MIB (1024ull * 1024ull)

/* The value of "key=<decimal>" among the words of s, or 0. */
static uint64_t number_option(const char *s, const char *key)
{
	const char *d, *end;
	uint64_t v = 0;
	if (!cmdline_option(s, key, &d, &end))
		return 0;
	for (; d < end && *d >= '0' && *d <= '9'; d++)
		v = v * 10 + (uint64_t)(*d - '0');
	return v;
}

/* The value of "key=<hex>" among the words of s (0x prefix optional). */
static bool hex_option(const char *s, const char *key, uint32_t *value)
{
	const char *d, *end;
	uint32_t v = 0;
	if (!cmdline_option(s, key, &d, &end))
		return false;
	if (d + 1 < end && d[0] == '0' && (d[1] == 'x' || d[1] == 'X'))
		d += 2;
	for (; d < end; d++) {
		char c = *d;
		uint32_t digit = c >= '0' && c <= '9'   ? (uint32_t)(c - '0')
		                 : c >= 'a' && c <= 'f' ? (uint32_t)(c - 'a' + 10)
		                 : c >= 'A' && c <= 'F' ? (uint32_t)(c - 'A' + 10)
		                                        : 16;
		if (digit == 16)
			return false;
		v = v * 16 + digit;
	}
	*value = v;
	return true;
}

/*
 * Split a module string "[/path/FILE] ARGS": the guest's name (the word
 * `hv.name=NAME`, or the file's base name when the first word is the file: a
 * path, as some loaders pass it, or first_is_file) and ARGS without the words
 * the hypervisor consumes. Returns whether ARGS holds `hv.module`.
 */
/* Words the hypervisor takes from a module line (all others reach the guest,
 * hv.mode= of our Linux init included). */
static bool hypervisor_word(const char *w, uint32_t len)
{
	static const char *const options[] = {
	    "hv.ram=", "hv.eax=", "hv.timeout=", "hv.console=", "hv.apic="};
	for (unsigned i = 0; i < sizeof(options) / sizeof(options[0]); i++) {
		uint32_t n = 0;
		while (options[i][n])
			n++;
		if (len > n && cmdline_word_is(w, n, options[i]))
			return true;
	}
	return false;
}

static int split_module_string(const char *s, int first_is_file, char *name, uint32_t name_cap,
                               char *args, uint32_t args_cap)
{
	uint32_t n = 0, a = 0;
	int attach = 0;
	name[0] = '\0';
	const char *cursor = s, *w;
	uint32_t len;
	while ((w = cmdline_next_word(&cursor, &len))) {
		const char *p = w + len;
		if (w == s && (first_is_file || *w == '/')) { /* the file: keep its base name */
			const char *base = w;
			for (const char *q = w; q < p; q++)
				if (*q == '/')
					base = q + 1;
			for (n = 0; base + n < p && n + 1 < name_cap; n++)
				name[n] = base[n];
			name[n] = '\0';
			continue;
		}
		if (cmdline_word_is(w, len, "hv.module")) {
			attach = 1;
			continue;
		}
		if (hypervisor_word(w, len))
			continue;
		if (len > 8 && cmdline_word_is(w, 8, "hv.name=")) {
			for (n = 0; n + 8 < len && n + 1 < name_cap; n++)
				name[n] = w[8 + n];
			name[n] = '\0';
			continue;
		}
		for (uint32_t i = 0; i < len && a + 2 < args_cap; i++)
			args[a++] = w[i];
		if (a + 1 < args_cap)
			args[a++] = ' ';
	}
	args[a && args[a - 1] == ' ' ? a - 1 : a] = '\0';
	return attach;
}

static void copy_str(char *dst, uint32_t cap, const char *src)
{
	uint32_t i = 0;
	for (; src[i] && i + 1 < cap; i++)
		dst[i] = src[i];
	dst[i] = '\0';
}

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static void attach_module(struct guest_spec *g, const struct boot_module *m, const char *args)
{
	if (g->module_count == GUEST_MODULES_MAX) {
		printf("vmx: guest %s: more than %u modules, the rest dropped\n", g->name,
		       GUEST_MODULES_MAX);
		return;
	}
	uint32_t i = g->module_count++;
	copy_str(g->module_cmdlines[i], GUEST_MODULE_CMDLINE_MAX, args);
	g->modules[i] = (struct mbload_module){
	    .data = phys_to_virt(m->start),
	    .size = m->end - m->start,
	    .cmdline = g->module_cmdlines[i],
	};
}

/* hv.timeout=<s> on the module line, else hv.guest_timeout=<s> for all, else the
 * default; hv.console=raw and hv.apic=off on the module line. */
static void set_run_options(struct guest_spec *g, const char *module_line, const char *hv_line)
{
	const char *v, *end;
	uint64_t all = number_option(hv_line, "hv.guest_timeout");
	uint64_t own = number_option(module_line, "hv.timeout");

	g->timeout_s = own ? own : all ? all : GUEST_TIMEOUT_DEFAULT_S;
	g->console_raw = cmdline_option(module_line, "hv.console", &v, &end) && end - v == 3 &&
	                 v[0] == 'r' && v[1] == 'a' && v[2] == 'w';
	g->apic_off = cmdline_option(module_line, "hv.apic", &v, &end) && end - v == 3 &&
	              v[0] == 'o' && v[1] == 'f' && v[2] == 'f';
}

static uint32_t from_modules(const struct boot_info *bi, struct guest_spec *out, uint32_t cap)
{
	uint64_t default_mib = number_option(bi->cmdline, "hv.guest_ram");
	uint32_t n = 0;
	char name[GUEST_NAME_MAX], args[BOOT_CMDLINE_MAX];

	for (uint32_t i = 0; i < bi->module_count; i++) {
		const struct boot_module *m = &bi->modules[i];
		/* GRUB puts the module's path first; our EFI loader gives the file name. */
		int attach = split_module_string(m->cmdline, bi->path == BOOT_PATH_EFI, name,
		                                 sizeof(name), args, sizeof(args));
		if (attach) {
			if (n)
				attach_module(&out[n - 1], m, args);
			else
				printf(
				    "vmx: module %u (%s) marked hv.module has no guest before it\n",
				    i, m->cmdline);
			continue;
		}
		if (n == cap) {
			printf("vmx: more than %u guest modules, the rest ignored\n", cap);
			break;
		}
		struct guest_spec *g = &out[n++];
		uint64_t mib = number_option(m->cmdline, "hv.ram");
		*g = (struct guest_spec){
		    .image = phys_to_virt(m->start),
		    .size = m->end - m->start,
		    .ram_bytes = (mib           ? mib
		                  : default_mib ? default_mib
		                                : GUEST_RAM_DEFAULT_MIB) *
		                 MIB,
		};
		if (name[0])
			copy_str(g->name, sizeof(g->name), name);
		else
			snprintf(g->name, sizeof(g->name), "module%u", i);
		copy_str(g->cmdline, sizeof(g->cmdline), args);
		g->force_eax = hex_option(m->cmdline, "hv.eax", &g->eax);
		set_run_options(g, m->cmdline, bi->cmdline);
	}
	return n;
}

static uint32_t from_builtin(struct guest_spec *out, uint32_t cap)
{
	uint32_t n = 0;
	for (uint64_t i = 0; i < guest_image_count && n < cap; i++, n++) {
		const struct guest_image *img = &guest_images[i];
		out[n] = (struct guest_spec){
		    .image = img->start,
		    .size = (uint64_t)(img->end - img->start),
		    .ram_bytes = GUEST_RAM_BUILTIN_MIB * MIB,
		    .timeout_s = GUEST_TIMEOUT_DEFAULT_S,
		};
		copy_str(out[n].name, sizeof(out[n].name), img->name);
	}
	return n;
}

/* hv.guest=<name>: keep only that guest. */
static uint32_t select_named(const char *cmdline, struct guest_spec *g, uint32_t n)
{
	char want[GUEST_NAME_MAX];
	const char *v, *end;
	uint32_t len = 0;

	if (!cmdline_option(cmdline, "hv.guest", &v, &end))
		return n;
	for (; v + len < end && len + 1 < sizeof(want); len++)
		want[len] = v[len];
	want[len] = '\0';
	for (uint32_t i = 0; i < n; i++) {
		if (!streq(g[i].name, want))
			continue;
		g[0] = g[i];
		for (uint32_t k = 0; k < g[0].module_count; k++)
			g[0].modules[k].cmdline = g[0].module_cmdlines[k];
		return 1;
	}
	printf("vmx: hv.guest=%s: no such guest\n", want);
	return 0;
}

uint32_t guest_list_build(const struct boot_info *bi, struct guest_spec *out, uint32_t cap)
{
	uint32_t n = bi->module_count ? from_modules(bi, out, cap) : from_builtin(out, cap);
	return select_named(bi->cmdline, out, n);
}
