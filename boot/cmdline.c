#include "boot/cmdline.h"

static int word_matches(const char *p, const char *word)
{
	while (*word && *p == *word) {
		p++;
		word++;
	}
	return *word == '\0' && (*p == '\0' || *p == ' ');
}

int cmdline_has(const char *cmdline, const char *word)
{
	const char *p = cmdline;
	while (*p) {
		while (*p == ' ')
			p++;
		if (*p && word_matches(p, word))
			return 1;
		while (*p && *p != ' ')
			p++;
	}
	return 0;
}
