/*
 * The firmware as the EFI loader sees it: the system table and boot services
 * of this run (set once in efi_main), and the status names for messages.
 */
#ifndef BOOT_EFI_FIRMWARE_H
#define BOOT_EFI_FIRMWARE_H

#include <efi.h>

extern EFI_SYSTEM_TABLE *fw_st;
extern EFI_BOOT_SERVICES *fw_bs;
extern EFI_HANDLE fw_image;

/* "EFI_NOT_FOUND" and so on; "EFI_STATUS 0x..." is not needed: unknown ones are "error". */
const char *fw_status_name(EFI_STATUS st);

#endif
