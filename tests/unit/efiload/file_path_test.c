/* The loader's folder from its device path, and file names (boot/efi/file_path.c). */
#include "boot/efi/file_path.h"
#include "tests/unit/harness.h"

static _Alignas(8) uint8_t dp[1024];
static uint64_t dp_len;
static uint16_t dir[64];
static char ascii[64];

static void node(uint8_t type, uint8_t sub, const void *data, uint16_t data_len)
{
	uint16_t len = (uint16_t)(DEVICE_PATH_HEADER + data_len);
	dp[dp_len] = type;
	dp[dp_len + 1] = sub;
	memcpy(dp + dp_len + 2, &len, 2);
	if (data_len)
		memcpy(dp + dp_len + DEVICE_PATH_HEADER, data, data_len);
	dp_len += len;
}

static void file_node(const char *path)
{
	uint16_t name[128];
	size_t n = strlen(path);
	for (size_t i = 0; i <= n; i++)
		name[i] = (uint8_t)path[i];
	node(DEVICE_PATH_MEDIA, DEVICE_PATH_MEDIA_FILE, name, (uint16_t)(2 * (n + 1)));
}

static void start(void)
{
	static const uint8_t hd[38] = {1};
	dp_len = 0;
	memset(dp, 0, sizeof(dp));
	node(DEVICE_PATH_MEDIA, 1, hd, sizeof(hd)); /* a hard-drive node before the file */
}

static const char *folder(void)
{
	node(DEVICE_PATH_END, 0xff, NULL, 0);
	memset(dir, 0xaa, sizeof(dir));
	CHECK(file_path_folder(dir, 64, dp) == 0);
	file_path_to_ascii(ascii, sizeof(ascii), dir);
	return ascii;
}

TEST(removable_media_path)
{
	start();
	file_node("\\EFI\\BOOT\\BOOTX64.EFI");
	CHECK(strcmp(folder(), "\\EFI\\BOOT") == 0);
}

TEST(root_and_split_nodes)
{
	start();
	file_node("\\hv.efi");
	CHECK(strcmp(folder(), "\\") == 0);
	start();
	file_node("hv.efi");
	CHECK(strcmp(folder(), "\\") == 0);
	start();
	file_node("\\EFI");
	file_node("hv\\hv.efi");
	CHECK(strcmp(folder(), "\\EFI\\hv") == 0);
	start();
	file_node("\\EFI\\");
	file_node("\\x/y.efi");
	CHECK(strcmp(folder(), "\\EFI\\x") == 0);
	start();
	CHECK(strcmp(folder(), "\\") == 0);
	CHECK(file_path_folder(dir, 64, NULL) == 0);
	CHECK(dir[0] == '\\' && dir[1] == 0);
}

TEST(malformed_or_long_paths_give_root)
{
	start();
	dp[2] = 2; /* node length below the header */
	dp[3] = 0;
	CHECK(file_path_folder(dir, 64, dp) < 0);
	CHECK(dir[0] == '\\' && dir[1] == 0);

	char longpath[100];
	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[0] = '\\';
	longpath[sizeof(longpath) - 1] = '\0';
	start();
	file_node(longpath);
	node(DEVICE_PATH_END, 0xff, NULL, 0);
	CHECK(file_path_folder(dir, 64, dp) < 0);
	CHECK(dir[0] == '\\' && dir[1] == 0);
}

TEST(elf_names)
{
	const uint16_t a[] = {'g', '.', 'e', 'l', 'f', 0};
	const uint16_t b[] = {'G', '.', 'E', 'L', 'F', 0};
	const uint16_t c[] = {'.', 'e', 'l', 'f', 0};
	const uint16_t d[] = {'g', '.', 'e', 'l', 'f', '6', '4', 0};
	const uint16_t e[] = {'h', 'v', '.', 'e', 'f', 'i', 0};
	CHECK(file_path_is_elf(a));
	CHECK(file_path_is_elf(b));
	CHECK(!file_path_is_elf(c));
	CHECK(!file_path_is_elf(d));
	CHECK(!file_path_is_elf(e));
	const uint16_t odd[] = {'x', 0x00e9, 0x0007, 'y', 0};
	file_path_to_ascii(ascii, sizeof(ascii), odd);
	CHECK(strcmp(ascii, "x??y") == 0);
	file_path_to_ascii(ascii, 3, a);
	CHECK(strcmp(ascii, "g.") == 0);
}
