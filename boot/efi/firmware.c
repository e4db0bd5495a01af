/* The firmware handles of this run and status names: see boot/efi/firmware.h. */
#include "boot/efi/firmware.h"

EFI_SYSTEM_TABLE *fw_st;
EFI_BOOT_SERVICES *fw_bs;
EFI_HANDLE fw_image;

const char *fw_status_name(EFI_STATUS st)
{
	switch (st) {
	case EFI_SUCCESS:
		return "EFI_SUCCESS";
	case EFI_LOAD_ERROR:
		return "EFI_LOAD_ERROR";
	case EFI_INVALID_PARAMETER:
		return "EFI_INVALID_PARAMETER";
	case EFI_UNSUPPORTED:
		return "EFI_UNSUPPORTED";
	case EFI_BUFFER_TOO_SMALL:
		return "EFI_BUFFER_TOO_SMALL";
	case EFI_DEVICE_ERROR:
		return "EFI_DEVICE_ERROR";
	case EFI_OUT_OF_RESOURCES:
		return "EFI_OUT_OF_RESOURCES";
	case EFI_NOT_FOUND:
		return "EFI_NOT_FOUND";
	case EFI_ACCESS_DENIED:
		return "EFI_ACCESS_DENIED";
	default:
		return "error";
	}
}
