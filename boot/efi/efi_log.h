/*
 * The loader's messages: each goes to the UEFI console (ConOut) and to COM1.
 * From the first ExitBootServices call on, ConOut is off limits and only
 * COM1 is written.
 */
#ifndef BOOT_EFI_EFI_LOG_H
#define BOOT_EFI_EFI_LOG_H

#define EFI_LOG_MAX 256

void efi_log_init(void);
void efi_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void efi_log_console_off(void);

#endif
