/*
 * Leaving the firmware: read the memory map, convert it into the boot
 * information, and call ExitBootServices with the map's key; when the key is
 * stale (EFI_INVALID_PARAMETER: the firmware changed the map in between, e.g.
 * from a timer event) read the map again and retry. After a failed
 * ExitBootServices only GetMemoryMap and ExitBootServices may be called
 * (UEFI 2.10, section 7.4, EFI_BOOT_SERVICES.ExitBootServices()), so the map
 * buffer is sized by the caller beforehand and the conversion - the last
 * check that can fail - runs on each map before its key is used.
 *
 * The firmware calls go through ops so that the host tests can play a
 * firmware whose map changes under us. Pure C.
 */
#ifndef BOOT_EFI_EXIT_BOOT_H
#define BOOT_EFI_EXIT_BOOT_H

#include <stdint.h>

#include "boot/bootinfo.h"

#define EXIT_BOOT_ATTEMPTS 4

/* EFI_STATUS values used here (UEFI 2.10, appendix D). */
#define EXIT_EFI_SUCCESS           0ULL
#define EXIT_EFI_ERROR_BIT         (1ULL << 63)
#define EXIT_EFI_LOAD_ERROR        (EXIT_EFI_ERROR_BIT | 1)
#define EXIT_EFI_INVALID_PARAMETER (EXIT_EFI_ERROR_BIT | 2)
#define EXIT_EFI_BUFFER_TOO_SMALL  (EXIT_EFI_ERROR_BIT | 5)

struct exit_boot_ops {
	void *ctx;
	/* GetMemoryMap(): *size is the buffer's size in, the map's size out. */
	uint64_t (*get_map)(void *ctx, uint64_t *size, void *map, uint64_t *key,
	                    uint64_t *desc_size);
	/* ExitBootServices(image, key) */
	uint64_t (*exit)(void *ctx, uint64_t key);
};

struct exit_boot_result {
	uint64_t status;   /* EFI_STATUS for the firmware when it failed */
	uint32_t attempts; /* ExitBootServices calls made (0: boot services intact) */
	char error[BOOT_ERROR_MAX];
};

/*
 * Runs the loop on map (map_cap bytes). On success returns 0 with bi's
 * regions holding the converted final map (any earlier regions are
 * replaced). Otherwise returns -1 with res->status and res->error; when
 * res->attempts > 0 the boot services are (partly) gone: only our own serial
 * port may still be used.
 */
int exit_boot_services(const struct exit_boot_ops *ops, void *map, uint64_t map_cap,
                       struct boot_info *bi, struct exit_boot_result *res);

#endif
