/*
 * The PVH boot ABI's data (Xen's docs/misc/pvh.pandoc and
 * xen/include/public/arch-x86/hvm/start_info.h): the start-of-day structure whose address
 * the kernel gets in EBX, its module list and memory map, and the ELF note that names the
 * 32-bit entry (xen/include/public/elfnote.h). Every field is little endian; addresses and
 * sizes are 64-bit; an address of 0 means "not present".
 */
#ifndef VMX_LOAD_LINUX_PVH_START_INFO_H
#define VMX_LOAD_LINUX_PVH_START_INFO_H

/* struct hvm_start_info, version 1. */
#define HVM_SI_MAGIC          0u  /* 4 */
#define HVM_SI_VERSION        4u  /* 4 */
#define HVM_SI_FLAGS          8u  /* 4: SIF_* (none for an unprivileged guest) */
#define HVM_SI_NR_MODULES     12u /* 4 */
#define HVM_SI_MODLIST_PADDR  16u /* 8 */
#define HVM_SI_CMDLINE_PADDR  24u /* 8 */
#define HVM_SI_RSDP_PADDR     32u /* 8 */
#define HVM_SI_MEMMAP_PADDR   40u /* 8: version 1 and newer */
#define HVM_SI_MEMMAP_ENTRIES 48u /* 4 */
#define HVM_SI_RESERVED       52u /* 4: must be zero */
#define HVM_SI_BYTES          56u

#define HVM_START_MAGIC   0x336ec578u /* "xEn3" with bit 7 of the 'E' set */
#define HVM_START_VERSION 1u

/* struct hvm_modlist_entry. */
#define HVM_MOD_PADDR         0u
#define HVM_MOD_SIZE          8u
#define HVM_MOD_CMDLINE_PADDR 16u
#define HVM_MOD_RESERVED      24u
#define HVM_MOD_BYTES         32u

/* struct hvm_memmap_table_entry; types are the E820 / ACPI address range types. */
#define HVM_MEMMAP_ADDR     0u
#define HVM_MEMMAP_SIZE     8u
#define HVM_MEMMAP_TYPE     16u /* 4 */
#define HVM_MEMMAP_RESERVED 20u /* 4: zero in version 1 */
#define HVM_MEMMAP_BYTES    24u

_Static_assert(HVM_SI_RESERVED + 4 == HVM_SI_BYTES, "hvm_start_info v1 is 56 bytes");
_Static_assert(HVM_MOD_RESERVED + 8 == HVM_MOD_BYTES, "hvm_modlist_entry is 32 bytes");
_Static_assert(HVM_MEMMAP_RESERVED + 4 == HVM_MEMMAP_BYTES, "memmap entries are 24 bytes");

/* The ELF note: owner "Xen", type XEN_ELFNOTE_PHYS32_ENTRY, a 4- or 8-byte address. */
#define PVH_NOTE_NAME         "Xen"
#define PVH_NOTE_NAME_BYTES   4u /* NUL included */
#define PVH_NOTE_PHYS32_ENTRY 18u

#endif
