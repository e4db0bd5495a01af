/*
 * ExitBootServices with retries (boot/efi/exit_boot.c) against a fake
 * firmware whose memory map changes under the loader: the key used must be
 * the latest map's, the regions those of the map the exit succeeded with,
 * and the number of attempts bounded.
 */
#include "boot/bootinfo_build.h"
#include "boot/efi/exit_boot.h"
#include "boot/efimap.h"
#include "tests/unit/harness.h"

#define DESC 48 /* a descriptor size above the version-1 40 bytes, as OVMF uses */

struct fake_fw {
	uint32_t stale_exits;   /* ExitBootServices calls that find the key stale */
	uint64_t exit_error;    /* if set: what the first exit call returns instead */
	uint64_t map_size_need; /* GetMemoryMap wants this many bytes; 0: the map's size */
	uint32_t desc_size;
	uint64_t key; /* current map key: bumped when the map changes */
	uint32_t map_calls, exit_calls;
	uint64_t last_exit_key;
	uint64_t usable_pages; /* grows each time the map changes */
};

static uint64_t fake_get_map(void *ctx, uint64_t *size, void *map, uint64_t *key,
                             uint64_t *desc_size)
{
	struct fake_fw *fw = ctx;
	uint8_t *d = map;
	uint64_t need = fw->map_size_need ? fw->map_size_need : 2ULL * fw->desc_size;
	uint32_t conventional = EFI_CONVENTIONAL_MEMORY, runtime = EFI_RUNTIME_SERVICES_DATA;
	uint64_t start0 = 0x100000, start1 = 0x7000000, pages1 = 16, rt = 1ULL << 63;

	fw->map_calls++;
	*desc_size = fw->desc_size;
	if (*size < need) {
		*size = need;
		return EXIT_EFI_BUFFER_TOO_SMALL;
	}
	memset(map, 0, need);
	memcpy(d + EFI_DESC_TYPE, &conventional, 4);
	memcpy(d + EFI_DESC_PHYSICAL_START, &start0, 8);
	memcpy(d + EFI_DESC_NUMBER_OF_PAGES, &fw->usable_pages, 8);
	d += fw->desc_size;
	memcpy(d + EFI_DESC_TYPE, &runtime, 4);
	memcpy(d + EFI_DESC_PHYSICAL_START, &start1, 8);
	memcpy(d + EFI_DESC_NUMBER_OF_PAGES, &pages1, 8);
	memcpy(d + EFI_DESC_ATTRIBUTE, &rt, 8);
	*size = need;
	*key = fw->key;
	return EXIT_EFI_SUCCESS;
}

static uint64_t fake_exit(void *ctx, uint64_t key)
{
	struct fake_fw *fw = ctx;

	fw->exit_calls++;
	fw->last_exit_key = key;
	if (fw->exit_error && fw->exit_calls == 1)
		return fw->exit_error;
	if (key != fw->key || fw->stale_exits > 0) {
		if (fw->stale_exits > 0)
			fw->stale_exits--;
		/* A timer event allocated memory: the map and its key change. */
		fw->key++;
		fw->usable_pages += 4;
		return EXIT_EFI_INVALID_PARAMETER;
	}
	return EXIT_EFI_SUCCESS;
}

static _Alignas(8) uint8_t map[4096];
static struct boot_info bi;
static struct exit_boot_result res;

static int run(struct fake_fw *fw)
{
	const struct exit_boot_ops ops = {fw, fake_get_map, fake_exit};
	bootinfo_init(&bi, BOOT_PATH_EFI);
	return exit_boot_services(&ops, map, sizeof(map), &bi, &res);
}

static struct fake_fw new_fw(void)
{
	return (struct fake_fw){.desc_size = DESC, .key = 7, .usable_pages = 0x100};
}

TEST(first_try_succeeds)
{
	struct fake_fw fw = new_fw();

	REQUIRE(run(&fw) == 0);
	CHECK_EQ(res.attempts, 1);
	CHECK_EQ(fw.exit_calls, 1);
	CHECK_EQ(fw.last_exit_key, 7);
	REQUIRE(bi.region_count == 2);
	CHECK_EQ(bi.regions[0].base, 0x100000);
	CHECK_EQ(bi.regions[0].length, 0x100 * 4096);
	CHECK_EQ(bi.regions[0].type, MEM_USABLE);
	/* Runtime-services data stays reserved for the firmware. */
	CHECK_EQ(bi.regions[1].type, MEM_RESERVED);
}

TEST(stale_key_retried_with_the_new_map)
{
	struct fake_fw fw = new_fw();
	fw.stale_exits = 2;

	REQUIRE(run(&fw) == 0);
	CHECK_EQ(res.attempts, 3);
	CHECK_EQ(fw.exit_calls, 3);
	CHECK_EQ(fw.map_calls, 3);
	/* The key of the latest map, and that map's regions, not the first one's. */
	CHECK_EQ(fw.last_exit_key, 9);
	REQUIRE(bi.region_count == 2);
	CHECK_EQ(bi.regions[0].length, (0x100 + 8) * 4096);
}

TEST(always_stale_gives_up)
{
	struct fake_fw fw = new_fw();
	fw.stale_exits = 100;

	CHECK(run(&fw) < 0);
	CHECK_EQ(res.attempts, EXIT_BOOT_ATTEMPTS);
	CHECK_EQ(fw.exit_calls, EXIT_BOOT_ATTEMPTS);
	CHECK_EQ(res.status, EXIT_EFI_INVALID_PARAMETER);
	CHECK(strcmp(res.error, "ExitBootServices: map key still stale after 4 attempts") == 0);
}

TEST(other_exit_error_not_retried)
{
	struct fake_fw fw = new_fw();
	fw.exit_error = EXIT_EFI_ERROR_BIT | 7; /* EFI_DEVICE_ERROR */

	CHECK(run(&fw) < 0);
	CHECK_EQ(fw.exit_calls, 1);
	CHECK_EQ(res.attempts, 1);
	CHECK_EQ(res.status, EXIT_EFI_ERROR_BIT | 7);
	CHECK(strstr(res.error, "ExitBootServices failed") != NULL);
}

TEST(map_outgrowing_its_buffer_fails_before_exit)
{
	struct fake_fw fw = new_fw();
	fw.map_size_need = sizeof(map) + DESC;

	CHECK(run(&fw) < 0);
	CHECK_EQ(fw.exit_calls, 0);
	CHECK_EQ(res.attempts, 0);
	CHECK_EQ(res.status, EXIT_EFI_BUFFER_TOO_SMALL);
	CHECK(strstr(res.error, "outgrew its buffer") != NULL);
}

TEST(unconvertible_map_fails_before_exit)
{
	struct fake_fw fw = new_fw();
	fw.desc_size = 24; /* below the 40 bytes of a version-1 descriptor */

	CHECK(run(&fw) < 0);
	CHECK_EQ(fw.exit_calls, 0);
	CHECK_EQ(res.attempts, 0);
	CHECK_EQ(res.status, EXIT_EFI_LOAD_ERROR);
	CHECK(strcmp(res.error, "memory map: efi: descriptor size 24 < 40") == 0);
}
