/* The loader's folder from its device path: see boot/efi/file_path.h. */
#include "boot/efi/file_path.h"

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

/* Appends the path name of one file node; returns the new length or -1. */
static int64_t append_node(uint16_t *dir, size_t cap, size_t len, const uint8_t *node,
                           uint16_t node_len)
{
	const uint8_t *name = node + DEVICE_PATH_HEADER;
	size_t chars = (node_len - DEVICE_PATH_HEADER) / 2;
	int ends_in_slash = len > 0 && dir[len - 1] == '\\';

	if (chars > 0 && ends_in_slash && rd16(name) == '\\') {
		name += 2; /* "\EFI\" + "\BOOT": one backslash between */
		chars--;
	}
	if (chars > 0 && !ends_in_slash && rd16(name) != '\\' && rd16(name) != 0) {
		if (len + 1 >= cap)
			return -1;
		dir[len++] = '\\';
	}
	for (size_t i = 0; i < chars; i++) {
		uint16_t c = rd16(name + 2 * i);
		if (c == 0)
			break;
		if (len + 1 >= cap)
			return -1;
		dir[len++] = c == '/' ? '\\' : c;
	}
	return (int64_t)len;
}

static int set_root(uint16_t *dir, size_t cap, int rc)
{
	if (cap >= 2) {
		dir[0] = '\\';
		dir[1] = 0;
	} else if (cap == 1) {
		dir[0] = 0;
	}
	return rc;
}

/* Cuts the last path component, keeping a leading backslash. */
static void cut_file_name(uint16_t *dir, size_t len)
{
	size_t slash = len;
	while (slash > 0 && dir[slash - 1] != '\\')
		slash--;
	/* slash - 1 is the last backslash; the root keeps it. */
	if (slash <= 1) {
		dir[0] = '\\';
		dir[1] = 0;
		return;
	}
	dir[slash - 1] = 0;
}

int file_path_folder(uint16_t *dir, size_t cap, const void *dp)
{
	const uint8_t *node = dp;
	int64_t len = 0;

	if (cap < 3)
		return set_root(dir, cap, -1);
	for (int n = 0; node && n < DEVICE_PATH_MAX_NODES; n++) {
		uint16_t node_len = rd16(node + 2);
		if (node[0] == DEVICE_PATH_END)
			break;
		if (node_len < DEVICE_PATH_HEADER)
			return set_root(dir, cap, -1);
		if (node[0] == DEVICE_PATH_MEDIA && node[1] == DEVICE_PATH_MEDIA_FILE) {
			len = append_node(dir, cap, (size_t)len, node, node_len);
			if (len < 0)
				return set_root(dir, cap, -1);
		}
		node += node_len;
	}
	if (len == 0)
		return set_root(dir, cap, 0);
	dir[len] = 0;
	cut_file_name(dir, (size_t)len);
	return 0;
}

void file_path_to_ascii(char *dst, size_t cap, const uint16_t *name)
{
	size_t n = 0;
	if (cap == 0)
		return;
	while (name && name[n] && n + 1 < cap) {
		dst[n] = name[n] >= 0x20 && name[n] <= 0x7e ? (char)name[n] : '?';
		n++;
	}
	dst[n] = '\0';
}

int file_path_is_elf(const uint16_t *name)
{
	static const char suffix[] = ".elf";
	size_t len = 0, k = sizeof(suffix) - 1;

	while (name[len])
		len++;
	if (len <= k)
		return 0;
	for (size_t i = 0; i < k; i++) {
		uint16_t c = name[len - k + i];
		if (c >= 'A' && c <= 'Z')
			c = (uint16_t)(c + ('a' - 'A'));
		if (c != suffix[i])
			return 0;
	}
	return 1;
}
