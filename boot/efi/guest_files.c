/* Guest images from the loader's folder: see boot/efi/guest_files.h. */
#include "boot/efi/guest_files.h"

#include "boot/bootinfo_build.h"
#include "boot/efi/efi_log.h"
#include "boot/efi/elf_image.h"
#include "boot/efi/file_path.h"
#include "boot/efi/firmware.h"
#include "boot/efi/pages.h"

#define FOLDER_CHARS    256
#define NAME_MAX_ASCII  128
#define DIR_ENTRY_BYTES 1024 /* EFI_FILE_INFO with a name of up to ~450 characters */

static EFI_GUID file_system_guid = SIMPLE_FILE_SYSTEM_PROTOCOL;

/* Reads the whole file into pages below 4 GiB; *addr is where it went. */
static EFI_STATUS read_file(EFI_FILE_HANDLE f, uint64_t size, uint64_t *addr, const char *name)
{
	*addr = PAGES_BELOW_4G;
	EFI_STATUS st = pages_alloc(AllocateMaxAddress, EfiLoaderData, size, addr);
	if (EFI_ERROR(st)) {
		efi_log("efi: guest image %s: no memory below 4 GiB for %llu bytes (%s)", name,
		        (unsigned long long)size, fw_status_name(st));
		return st;
	}
	for (uint64_t done = 0; done < size;) {
		UINTN n = size - done;
		st = f->Read(f, &n, (uint8_t *)(uintptr_t)*addr + done);
		if (EFI_ERROR(st) || n == 0) {
			efi_log("efi: guest image %s: read failed after %llu of %llu bytes (%s)",
			        name, (unsigned long long)done, (unsigned long long)size,
			        EFI_ERROR(st) ? fw_status_name(st) : "end of file");
			return EFI_ERROR(st) ? st : EFI_LOAD_ERROR;
		}
		done += n;
	}
	return EFI_SUCCESS;
}

static EFI_STATUS load_guest(EFI_FILE_HANDLE folder, const EFI_FILE_INFO *info,
                             struct boot_info *bi)
{
	char name[NAME_MAX_ASCII], why[BOOT_ERROR_MAX];
	EFI_FILE_HANDLE f;
	struct elf_image img;
	uint64_t addr = 0, size = info->FileSize;

	file_path_to_ascii(name, sizeof(name), info->FileName);
	EFI_STATUS st = folder->Open(folder, &f, (CHAR16 *)info->FileName, EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(st)) {
		efi_log("efi: guest image %s: cannot open (%s)", name, fw_status_name(st));
		return st;
	}
	st = size ? read_file(f, size, &addr, name) : EFI_LOAD_ERROR;
	f->Close(f);
	if (size == 0)
		efi_log("efi: guest image %s: empty file", name);
	if (EFI_ERROR(st))
		return st;
	if (elf_image_parse(&img, (const void *)(uintptr_t)addr, size, why, sizeof(why)) < 0) {
		efi_log("efi: guest image %s: bad ELF: %s", name, why);
		return EFI_LOAD_ERROR;
	}
	if (bootinfo_add_module(bi, addr, addr + size, name, sizeof(name)) < 0) {
		efi_log("efi: guest image %s: %s", name, bi->error);
		return EFI_LOAD_ERROR;
	}
	efi_log("efi: guest image %s: %llu bytes at 0x%llx (ELF-%u)", name,
	        (unsigned long long)size, (unsigned long long)addr, img.elf_class);
	return EFI_SUCCESS;
}

/* Loads every *.elf entry of the open folder; *count says how many. */
static EFI_STATUS load_folder(EFI_FILE_HANDLE folder, struct boot_info *bi, uint32_t *count)
{
	static UINT64 entry[DIR_ENTRY_BYTES / sizeof(UINT64)];
	const EFI_FILE_INFO *info = (const EFI_FILE_INFO *)entry;

	for (;;) {
		UINTN size = sizeof(entry);
		EFI_STATUS st = folder->Read(folder, &size, entry);
		if (EFI_ERROR(st)) {
			efi_log("efi: reading the loader's folder failed (%s)", fw_status_name(st));
			return st;
		}
		if (size == 0)
			return EFI_SUCCESS;
		if ((info->Attribute & EFI_FILE_DIRECTORY) || !file_path_is_elf(info->FileName))
			continue;
		st = load_guest(folder, info, bi);
		if (EFI_ERROR(st))
			return st;
		(*count)++;
	}
}

/* Opens the folder the loader came from; NULL (after a note) when there is none. */
static EFI_FILE_HANDLE open_folder(EFI_LOADED_IMAGE *loaded, char *name, size_t cap)
{
	EFI_FILE_IO_INTERFACE *fs;
	EFI_FILE_HANDLE root, folder;
	CHAR16 path[FOLDER_CHARS];

	file_path_folder(path, FOLDER_CHARS, loaded->FilePath);
	file_path_to_ascii(name, cap, path);
	EFI_STATUS st =
	    fw_bs->HandleProtocol(loaded->DeviceHandle, &file_system_guid, (void **)&fs);
	if (EFI_ERROR(st)) {
		efi_log("efi: note: the loader's device has no file system: no guest images");
		return NULL;
	}
	st = fs->OpenVolume(fs, &root);
	if (EFI_ERROR(st)) {
		efi_log("efi: note: cannot open the loader's volume (%s): no guest images",
		        fw_status_name(st));
		return NULL;
	}
	st = root->Open(root, &folder, path, EFI_FILE_MODE_READ, 0);
	root->Close(root);
	if (EFI_ERROR(st)) {
		efi_log("efi: note: cannot open folder %s (%s): no guest images", name,
		        fw_status_name(st));
		return NULL;
	}
	return folder;
}

EFI_STATUS guest_files_load(EFI_LOADED_IMAGE *loaded, struct boot_info *bi)
{
	char name[FOLDER_CHARS];
	uint32_t count = 0;
	EFI_FILE_HANDLE folder = open_folder(loaded, name, sizeof(name));

	if (!folder)
		return EFI_SUCCESS;
	EFI_STATUS st = load_folder(folder, bi, &count);
	folder->Close(folder);
	if (!EFI_ERROR(st) && count == 0)
		efi_log("efi: note: no guest images (*.elf) in %s", name);
	return st;
}
