/*
 * The folder the loader was started from, out of the file-path nodes of its
 * EFI_LOADED_IMAGE_PROTOCOL.FilePath (UEFI 2.10, section 10.3.5.4: media
 * device path type 4, sub-type 4, a NUL-terminated UCS-2 path name; a path
 * may be split over several nodes). Pure C (host tested).
 */
#ifndef BOOT_EFI_FILE_PATH_H
#define BOOT_EFI_FILE_PATH_H

#include <stddef.h>
#include <stdint.h>

#define DEVICE_PATH_MEDIA      0x04
#define DEVICE_PATH_MEDIA_FILE 0x04
#define DEVICE_PATH_END        0x7f
#define DEVICE_PATH_HEADER     4 /* type, sub-type, 16-bit length */
#define DEVICE_PATH_MAX_NODES  64

/*
 * Writes the folder of the file path in the device path dp (NULL allowed)
 * into dir (cap UCS-2 characters, terminated), with a leading backslash and
 * no trailing one except for the root, "\\". Returns 0, or -1 when the path
 * does not fit or the device path is malformed (then dir is the root).
 */
int file_path_folder(uint16_t *dir, size_t cap, const void *dp);

/* Copies a UCS-2 name to ASCII ('?' for anything else), cap bytes, terminated. */
void file_path_to_ascii(char *dst, size_t cap, const uint16_t *name);

/* True when the UCS-2 name ends in ".elf", any case. */
int file_path_is_elf(const uint16_t *name);

#endif
