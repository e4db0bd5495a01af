#ifndef BOOT_CMDLINE_H
#define BOOT_CMDLINE_H

/* True when the command line holds word as a whole space-separated word. */
int cmdline_has(const char *cmdline, const char *word);

#endif
