/* LoadOptions to the kernel command line (boot/efi/load_options.c). */
#include "boot/efi/load_options.h"
#include "tests/unit/harness.h"

static uint16_t opt[300];
static char out[64];

/* Lays an ASCII string out as UCS-2; returns its size in bytes with the NUL. */
static uint64_t ucs2(const char *s)
{
	uint64_t n = 0;
	memset(opt, 0xaa, sizeof(opt));
	while (s[n]) {
		opt[n] = (uint8_t)s[n];
		n++;
	}
	opt[n] = 0;
	return 2 * (n + 1);
}

TEST(shell_image_name_dropped)
{
	CHECK_EQ(load_options_to_cmdline(out, sizeof(out), opt, ucs2("hv.efi hv.fault=pf")),
	         LOAD_OPTIONS_TEXT);
	CHECK(strcmp(out, "hv.fault=pf") == 0);
	CHECK_EQ(
	    load_options_to_cmdline(out, sizeof(out), opt, ucs2("  FS0:\\EFI\\HV.EFI   a=1  b  ")),
	    LOAD_OPTIONS_TEXT);
	CHECK(strcmp(out, "a=1  b") == 0);
	/* Only the image name is the shell's: a later .efi word stays. */
	CHECK_EQ(load_options_to_cmdline(out, sizeof(out), opt, ucs2("x=1 other.efi")),
	         LOAD_OPTIONS_TEXT);
	CHECK(strcmp(out, "x=1 other.efi") == 0);
	CHECK_EQ(load_options_to_cmdline(out, sizeof(out), opt, ucs2("hv.efi")), LOAD_OPTIONS_NONE);
	CHECK(strcmp(out, "") == 0);
	/* A first word without ".efi" at its end is no image name. */
	CHECK_EQ(load_options_to_cmdline(out, sizeof(out), opt, ucs2("efi a")), LOAD_OPTIONS_TEXT);
	CHECK(strcmp(out, "efi a") == 0);
}

TEST(empty_and_binary_options)
{
	strcpy(out, "junk");
	CHECK_EQ(load_options_to_cmdline(out, sizeof(out), NULL, 0), LOAD_OPTIONS_NONE);
	CHECK(strcmp(out, "") == 0);
	CHECK_EQ(load_options_to_cmdline(out, sizeof(out), opt, ucs2("   ")), LOAD_OPTIONS_NONE);
	/* A boot entry's optional data: binary, not text. */
	ucs2("ab");
	opt[1] = 0x0102;
	opt[0] = 0x0001;
	strcpy(out, "junk");
	CHECK_EQ(load_options_to_cmdline(out, sizeof(out), opt, 6), LOAD_OPTIONS_BINARY);
	CHECK(strcmp(out, "") == 0);
}

TEST(size_bounds_the_text)
{
	/* No NUL inside size: stop at size; an odd last byte is ignored. */
	ucs2("a=1 b=2");
	CHECK_EQ(load_options_to_cmdline(out, sizeof(out), opt, 7), LOAD_OPTIONS_TEXT);
	CHECK(strcmp(out, "a=1") == 0);
	/* A NUL ends the text even when size says more (the rest is 0xaaaa). */
	uint64_t size = ucs2("a=1");
	CHECK_EQ(load_options_to_cmdline(out, sizeof(out), opt, size + 20), LOAD_OPTIONS_TEXT);
	CHECK(strcmp(out, "a=1") == 0);
}

TEST(non_ascii_and_truncation)
{
	ucs2("a=xyz");
	opt[2] = 0x00e9; /* e acute */
	opt[3] = 0x4e2d;
	CHECK_EQ(load_options_to_cmdline(out, sizeof(out), opt, 12), LOAD_OPTIONS_TEXT);
	CHECK(strcmp(out, "a=??z") == 0);

	char longer[200];
	memset(longer, 'k', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	CHECK_EQ(load_options_to_cmdline(out, sizeof(out), opt, ucs2(longer)),
	         LOAD_OPTIONS_TRUNCATED);
	CHECK_EQ(strlen(out), sizeof(out) - 1);
	CHECK_EQ(load_options_to_cmdline(out, 1, opt, ucs2("abc")), LOAD_OPTIONS_TRUNCATED);
	CHECK(strcmp(out, "") == 0);
}
