/* LoadOptions to the kernel command line: see boot/efi/load_options.h. */
#include "boot/efi/load_options.h"

static uint16_t char_at(const void *options, uint64_t i)
{
	const uint8_t *p = (const uint8_t *)options + 2 * i;
	return (uint16_t)(p[0] | (p[1] << 8));
}

/* Characters up to the first NUL; -1 when a control character says "binary". */
static int64_t text_length(const void *options, uint64_t chars)
{
	for (uint64_t i = 0; i < chars; i++) {
		uint16_t c = char_at(options, i);
		if (c == 0)
			return (int64_t)i;
		if (c < 0x20 && c != '\t')
			return -1;
	}
	return (int64_t)chars;
}

static int is_space(uint16_t c)
{
	return c == ' ' || c == '\t';
}

static int lower(uint16_t c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* True when the word [start, end) ends in ".efi", any case. */
static int is_efi_name(const void *options, uint64_t start, uint64_t end)
{
	static const char suffix[] = ".efi";
	if (end - start < sizeof(suffix) - 1)
		return 0;
	for (uint64_t i = 0; i < sizeof(suffix) - 1; i++)
		if (lower(char_at(options, end - 4 + i)) != suffix[i])
			return 0;
	return 1;
}

static uint64_t skip_spaces(const void *options, uint64_t i, uint64_t len)
{
	while (i < len && is_space(char_at(options, i)))
		i++;
	return i;
}

enum load_options_result load_options_to_cmdline(char *dst, size_t cap, const void *options,
                                                 uint64_t size)
{
	int64_t text = options ? text_length(options, size / 2) : 0;
	uint64_t len = text > 0 ? (uint64_t)text : 0, start, n = 0;

	if (cap == 0)
		return LOAD_OPTIONS_NONE;
	dst[0] = '\0';
	if (text < 0)
		return LOAD_OPTIONS_BINARY;
	while (len > 0 && is_space(char_at(options, len - 1)))
		len--;
	start = skip_spaces(options, 0, len);
	uint64_t word_end = start;
	while (word_end < len && !is_space(char_at(options, word_end)))
		word_end++;
	if (is_efi_name(options, start, word_end))
		start = skip_spaces(options, word_end, len);
	for (uint64_t i = start; i < len; i++) {
		if (n + 1 >= cap) {
			dst[n] = '\0';
			return LOAD_OPTIONS_TRUNCATED;
		}
		uint16_t c = char_at(options, i);
		dst[n++] = c > 0x7e ? '?' : (char)c;
	}
	dst[n] = '\0';
	return n ? LOAD_OPTIONS_TEXT : LOAD_OPTIONS_NONE;
}
