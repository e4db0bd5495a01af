#ifndef BOOT_CMDLINE_H
#define BOOT_CMDLINE_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Command lines are space-separated words. One scanner serves the kernel's
 * own options and the guests' module lines.
 */

/* The next word at or after *cursor (its length in *len), advancing *cursor
 * past it; 0 at the end of the line. */
const char *cmdline_next_word(const char **cursor, uint32_t *len);

/* True when the word [w, w + len) is exactly lit. */
bool cmdline_word_is(const char *w, uint32_t len, const char *lit);

/* True when the command line holds word as a whole space-separated word. */
int cmdline_has(const char *cmdline, const char *word);

/* The first word "key=VALUE": VALUE as [*value, *end). False if none. */
bool cmdline_option(const char *cmdline, const char *key, const char **value, const char **end);

#endif
