#include "boot/cmdline.h"

const char *cmdline_next_word(const char **cursor, uint32_t *len)
{
	const char *p = *cursor;
	while (*p == ' ')
		p++;
	const char *w = p;
	while (*p && *p != ' ')
		p++;
	*cursor = p;
	*len = (uint32_t)(p - w);
	return *len ? w : 0;
}

bool cmdline_word_is(const char *w, uint32_t len, const char *lit)
{
	uint32_t i = 0;
	for (; i < len && lit[i] && w[i] == lit[i]; i++)
		;
	return i == len && !lit[i];
}

int cmdline_has(const char *cmdline, const char *word)
{
	const char *cursor = cmdline, *w;
	uint32_t len;
	while ((w = cmdline_next_word(&cursor, &len)))
		if (cmdline_word_is(w, len, word))
			return 1;
	return 0;
}

bool cmdline_option(const char *cmdline, const char *key, const char **value, const char **end)
{
	const char *cursor = cmdline, *w;
	uint32_t len, klen = 0;
	while (key[klen])
		klen++;
	while ((w = cmdline_next_word(&cursor, &len))) {
		if (len > klen && cmdline_word_is(w, klen, key) && w[klen] == '=') {
			*value = w + klen + 1;
			*end = w + len;
			return true;
		}
	}
	return false;
}
