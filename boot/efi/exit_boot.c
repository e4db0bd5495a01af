/* Memory map and ExitBootServices with retries: see boot/efi/exit_boot.h. */
#include "boot/efi/exit_boot.h"

#include "boot/efimap.h"
#include "boot/msgfmt.h"

static int fail(struct exit_boot_result *res, uint64_t status, const char *what, uint64_t detail)
{
	res->status = status;
	msg_format(res->error, sizeof(res->error), "%s (status 0x%llx)", what,
	           (unsigned long long)detail);
	return -1;
}

/* Reads the map into map and converts it into bi's regions. */
static int read_and_convert(const struct exit_boot_ops *ops, void *map, uint64_t map_cap,
                            struct boot_info *bi, struct exit_boot_result *res, uint64_t *key)
{
	uint64_t size = map_cap, desc_size = 0;
	uint64_t st = ops->get_map(ops->ctx, &size, map, key, &desc_size);

	if (st != EXIT_EFI_SUCCESS)
		return fail(res, st,
		            st == EXIT_EFI_BUFFER_TOO_SMALL
		                ? "GetMemoryMap: the map outgrew its buffer"
		                : "GetMemoryMap failed",
		            st);
	bi->region_count = 0;
	if (bootinfo_add_efi_map(bi, map, size, desc_size) < 0) {
		res->status = EXIT_EFI_LOAD_ERROR;
		msg_format(res->error, sizeof(res->error), "memory map: %s", bi->error);
		return -1;
	}
	return 0;
}

int exit_boot_services(const struct exit_boot_ops *ops, void *map, uint64_t map_cap,
                       struct boot_info *bi, struct exit_boot_result *res)
{
	uint64_t key = 0, st = EXIT_EFI_INVALID_PARAMETER;

	res->status = EXIT_EFI_SUCCESS;
	res->attempts = 0;
	res->error[0] = '\0';
	while (res->attempts < EXIT_BOOT_ATTEMPTS) {
		if (read_and_convert(ops, map, map_cap, bi, res, &key) < 0)
			return -1;
		res->attempts++;
		st = ops->exit(ops->ctx, key);
		if (st == EXIT_EFI_SUCCESS)
			return 0;
		if (st != EXIT_EFI_INVALID_PARAMETER)
			return fail(res, st, "ExitBootServices failed", st);
	}
	res->status = st;
	msg_format(res->error, sizeof(res->error),
	           "ExitBootServices: map key still stale after %u attempts", res->attempts);
	return -1;
}
