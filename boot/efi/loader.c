/*
 * hv.efi: the direct UEFI entry. Prints where it is, checks and places the
 * embedded kernel, loads guest images from its folder, fills the common boot
 * information (boot/bootinfo.h, converting the UEFI memory map with
 * boot/efimap.c, the one converter of that map), leaves the boot services
 * and jumps to the kernel's hv_efi_entry (boot/efi_entry.S). Everything that
 * can fail is checked before ExitBootServices, and a failure is reported on
 * the console and COM1 and returned to the firmware.
 */
#include <efi.h>

#include "arch/x86/cr.h"
#include "boot/bootinfo_build.h"
#include "boot/cmdline.h"
#include "boot/efi/efi_log.h"
#include "boot/efi/elf_image.h"
#include "boot/efi/exit_boot.h"
#include "boot/efi/firmware.h"
#include "boot/efi/guest_files.h"
#include "boot/efi/identity_map.h"
#include "boot/efi/kernel_load.h"
#include "boot/efi/load_options.h"
#include "boot/efi/pages.h"

#define LOW_4G                0x100000000ULL
#define MAP_SLACK_DESCRIPTORS 16 /* the map grows by the allocations that follow */

/* boot/efi/kernel_blob.S and boot/efi/handoff.S */
extern const uint8_t hv_kernel_image[], hv_kernel_image_end[];
extern const uint64_t hv_kernel_efi_entry;
extern const uint8_t efi_handoff[];
extern const uint64_t efi_handoff_size;

typedef void (*handoff_fn)(uint64_t cr3, uint64_t entry, struct boot_info *bi)
    __attribute__((noreturn));

/* One allocation below 4 GiB that the kernel keeps reserved until it runs on
 * its own page tables: our page tables, the hand-off code, the boot_info. */
#define HANDOFF_CODE_PAGE IDMAP_PAGES
#define HANDOFF_BI_PAGE   (IDMAP_PAGES + 1)
#define HANDOFF_PAGES \
	(HANDOFF_BI_PAGE + (sizeof(struct boot_info) + EFI_PAGE_SIZE - 1) / EFI_PAGE_SIZE)

struct handoff {
	uint64_t cr3;
	handoff_fn jump;
	struct boot_info *bi;
};

struct memory_map {
	void *buf;
	uint64_t cap;
};

static EFI_STATUS check_kernel(struct elf_image *img)
{
	char why[BOOT_ERROR_MAX];
	uint64_t cr4;

	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	if (cr4 & CR4_LA57) { /* 5-level paging: Intel SDM Vol. 3A section 4.1.1 */
		efi_log("efi: the firmware runs 5-level paging; the kernel needs 4-level");
		return EFI_UNSUPPORTED;
	}
	if (elf_image_parse(img, hv_kernel_image, (uint64_t)(hv_kernel_image_end - hv_kernel_image),
	                    why, sizeof(why)) < 0 ||
	    elf_kernel_check(img, hv_kernel_efi_entry, LOW_4G, why, sizeof(why)) < 0) {
		efi_log("efi: embedded kernel: %s", why);
		return EFI_LOAD_ERROR;
	}
	return EFI_SUCCESS;
}

static EFI_STATUS prepare_handoff(struct handoff *h)
{
	uint64_t base = PAGES_BELOW_4G;
	/* Code type: firmware maps EfiLoaderData no-execute under some policies. */
	EFI_STATUS st =
	    pages_alloc(AllocateMaxAddress, EfiLoaderCode, HANDOFF_PAGES * EFI_PAGE_SIZE, &base);
	if (EFI_ERROR(st)) {
		efi_log("efi: no memory below 4 GiB for the hand-off (%s)", fw_status_name(st));
		return st;
	}
	uint8_t *area = (uint8_t *)(uintptr_t)base;
	h->cr3 = identity_map_build((uint64_t *)area, base);
	__builtin_memcpy(area + HANDOFF_CODE_PAGE * EFI_PAGE_SIZE, efi_handoff, efi_handoff_size);
	h->jump = (handoff_fn)(uintptr_t)(base + HANDOFF_CODE_PAGE * EFI_PAGE_SIZE);
	h->bi = (struct boot_info *)(area + HANDOFF_BI_PAGE * EFI_PAGE_SIZE);
	bootinfo_init(h->bi, BOOT_PATH_EFI);
	h->bi->loader_info_start = base;
	h->bi->loader_info_end = base + HANDOFF_PAGES * EFI_PAGE_SIZE;
	h->bi->efi_system_table = (uint64_t)(uintptr_t)fw_st;
	return EFI_SUCCESS;
}

static void set_cmdline(const EFI_LOADED_IMAGE *loaded, struct boot_info *bi)
{
	switch (load_options_to_cmdline(bi->cmdline, sizeof(bi->cmdline), loaded->LoadOptions,
	                                loaded->LoadOptionsSize)) {
	case LOAD_OPTIONS_BINARY:
		efi_log("efi: note: load options are not text; no command line");
		break;
	case LOAD_OPTIONS_TRUNCATED:
		efi_log("efi: note: command line cut to %u characters", BOOT_CMDLINE_MAX - 1);
		/* fall through */
	case LOAD_OPTIONS_TEXT:
		efi_log("efi: command line \"%s\"", bi->cmdline);
		break;
	case LOAD_OPTIONS_NONE:
		break;
	}
}

/* A buffer for the final map: today's size plus room for what we allocate next. */
static EFI_STATUS alloc_memory_map(struct memory_map *m)
{
	UINTN size = 0, key, desc_size = 0;
	UINT32 version;
	EFI_STATUS st = fw_bs->GetMemoryMap(&size, NULL, &key, &desc_size, &version);

	if (st != EFI_BUFFER_TOO_SMALL || desc_size == 0) {
		efi_log("efi: GetMemoryMap did not report its size (%s)", fw_status_name(st));
		return EFI_ERROR(st) ? st : EFI_LOAD_ERROR;
	}
	uint64_t addr = 0;
	m->cap = size + MAP_SLACK_DESCRIPTORS * desc_size;
	st = pages_alloc(AllocateAnyPages, EfiLoaderData, m->cap, &addr);
	if (EFI_ERROR(st)) {
		efi_log("efi: no memory for the memory map (%s)", fw_status_name(st));
		return st;
	}
	m->cap = pages_for(m->cap) * EFI_PAGE_SIZE;
	m->buf = (void *)(uintptr_t)addr;
	return EFI_SUCCESS;
}

/*
 * Test hook, option hv.efi.stale_key: after the first map is read, allocate
 * and free a page so that its key is stale, as a firmware timer event might;
 * the smoke boot then sees the retry work on real firmware.
 */
struct fw_ctx {
	int stale_key_once;
};

static void make_map_key_stale(void)
{
	EFI_PHYSICAL_ADDRESS page = 0;
	if (!EFI_ERROR(fw_bs->AllocatePages(AllocateAnyPages, EfiLoaderData, 1, &page)))
		fw_bs->FreePages(page, 1);
}

static uint64_t fw_get_map(void *ctx, uint64_t *size, void *map, uint64_t *key, uint64_t *desc_size)
{
	struct fw_ctx *fw = ctx;
	UINTN n = *size, k = 0, d = 0;
	UINT32 version;
	EFI_STATUS st = fw_bs->GetMemoryMap(&n, map, &k, &d, &version);
	*size = n;
	*key = k;
	*desc_size = d;
	if (fw->stale_key_once) {
		fw->stale_key_once = 0; /* no ExitBootServices call yet: still allowed */
		make_map_key_stale();
	}
	return st;
}

static uint64_t fw_exit(void *ctx, uint64_t key)
{
	(void)ctx;
	efi_log_console_off(); /* from here on, only COM1 is ours */
	return fw_bs->ExitBootServices(fw_image, key);
}

/* Everything up to the last moment boot services are needed. */
static EFI_STATUS prepare(struct handoff *h, struct memory_map *m)
{
	static EFI_GUID loaded_image_guid = LOADED_IMAGE_PROTOCOL;
	EFI_LOADED_IMAGE *loaded;
	struct elf_image kernel;

	EFI_STATUS st = check_kernel(&kernel);
	if (EFI_ERROR(st))
		return st;
	st = fw_bs->HandleProtocol(fw_image, &loaded_image_guid, (void **)&loaded);
	if (EFI_ERROR(st)) {
		efi_log("efi: no LoadedImage protocol on our image (%s)", fw_status_name(st));
		return st;
	}
	st = prepare_handoff(h);
	if (EFI_ERROR(st))
		return st;
	set_cmdline(loaded, h->bi);
	st = kernel_load(&kernel, hv_kernel_image);
	if (EFI_ERROR(st))
		return st;
	st = guest_files_load(loaded, h->bi);
	if (EFI_ERROR(st))
		return st;
	return alloc_memory_map(m);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st);
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	struct handoff h;
	struct memory_map m;
	struct exit_boot_result res;
	struct fw_ctx fw = {0};
	const struct exit_boot_ops ops = {.ctx = &fw, .get_map = fw_get_map, .exit = fw_exit};

	fw_st = st;
	fw_bs = st->BootServices;
	fw_image = image;
	efi_log_init();
	efi_log("efi: hv-x86 loader: loading the kernel");

	EFI_STATUS status = prepare(&h, &m);
	if (EFI_ERROR(status)) {
		pages_free_all();
		efi_log("efi: hv-x86 loader: failed (%s), returning to the firmware",
		        fw_status_name(status));
		return status;
	}
	if (cmdline_has(h.bi->cmdline, "hv.efi.stale_key")) {
		efi_log("efi: test: the first memory-map key will be stale (hv.efi.stale_key)");
		fw.stale_key_once = 1;
	}
	efi_log("efi: exiting boot services; kernel entry 0x%llx",
	        (unsigned long long)hv_kernel_efi_entry);
	if (exit_boot_services(&ops, m.buf, m.cap, h.bi, &res) < 0) {
		if (res.attempts == 0)
			pages_free_all();
		efi_log("efi: %s", res.error);
		efi_log("efi: hv-x86 loader: failed (%s), returning to the firmware",
		        fw_status_name(res.status));
		return res.status;
	}
	efi_log("efi: boot services exited (attempt %u), %u memory regions; starting the kernel",
	        res.attempts, h.bi->region_count);
	h.jump(h.cr3, hv_kernel_efi_entry, h.bi);
}
