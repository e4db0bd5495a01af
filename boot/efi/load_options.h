/*
 * The kernel command line from the loaded image's LoadOptions (UEFI 2.10,
 * section 9.1, EFI_LOADED_IMAGE_PROTOCOL): UCS-2 text when the UEFI shell
 * starts us ("hv.efi hv.fault=pf", the image name first), often nothing or
 * binary "optional data" when a boot entry does. Pure C (host tested).
 */
#ifndef BOOT_EFI_LOAD_OPTIONS_H
#define BOOT_EFI_LOAD_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

enum load_options_result {
	LOAD_OPTIONS_NONE = 0, /* empty: no command line */
	LOAD_OPTIONS_TEXT,     /* converted into dst */
	LOAD_OPTIONS_BINARY,   /* not text (control characters): ignored */
	LOAD_OPTIONS_TRUNCATED /* text, cut to cap - 1 characters */
};

/*
 * Converts size bytes of UCS-2 options (stopping at a NUL) into an ASCII
 * command line in dst (cap bytes, always terminated): characters above 0x7e
 * become '?', a first word ending in ".efi" (the shell's argv[0]) and the
 * spaces around words at both ends are dropped.
 */
enum load_options_result load_options_to_cmdline(char *dst, size_t cap, const void *options,
                                                 uint64_t size);

#endif
