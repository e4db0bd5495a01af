/*
 * Guest images beside the loader: every "*.elf" file in the folder the
 * loader was started from becomes a boot module (its command line: the file
 * name), read through the loaded image's device (SimpleFileSystem protocol,
 * UEFI 2.10 section 13.4). No file system or no such file is only a note; a
 * file that cannot be read or is not a whole ELF image is an error.
 */
#ifndef BOOT_EFI_GUEST_FILES_H
#define BOOT_EFI_GUEST_FILES_H

#include <efi.h>

#include "boot/bootinfo.h"

EFI_STATUS guest_files_load(EFI_LOADED_IMAGE *loaded, struct boot_info *bi);

#endif
