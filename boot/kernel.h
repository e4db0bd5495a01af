#ifndef BOOT_KERNEL_H
#define BOOT_KERNEL_H

#include <stdint.h>

#include "boot/bootinfo.h"

/* Linker-script symbols bounding the loaded image. */
extern char __kernel_start[], __kernel_end[];

/* The common kernel entry, reached from every boot path with its boot
 * information already converted. Never returns. */
__attribute__((noreturn)) void kernel_main(struct boot_info *bi);

#endif
