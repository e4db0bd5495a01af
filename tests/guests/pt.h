/* Page-table trees for 32-bit, PAE and 4-level paging, built by the guest itself. */
#ifndef GUESTS_PT_H
#define GUESTS_PT_H

#include <stdbool.h>
#include <stdint.h>

/* Paging-structure entry bits (SDM Vol. 3A §4.3 Table 4-4..4-6, §4.4, §4.5). */
#define PTE_P            (1ull << 0)
#define PTE_W            (1ull << 1)
#define PTE_U            (1ull << 2)
#define PTE_PWT          (1ull << 3)
#define PTE_PCD          (1ull << 4)
#define PTE_A            (1ull << 5)
#define PTE_D            (1ull << 6)
#define PTE_PS           (1ull << 7) /* in a PDE or PDPTE: maps a large page */
#define PTE_G            (1ull << 8)
#define PTE_NX           (1ull << 63)
/* Bit 13 of a 2 MiB PDE / bit 21 of a 4 MiB PDE: always reserved (SDM §4.3, §4.4.2). */
#define PDE2M_RSVD_BIT13 (1ull << 13)
#define PDE4M_RSVD_BIT21 (1ull << 21)

#define PTE_RW_USER (PTE_P | PTE_W | PTE_U)

enum pg_mode {
	PG_MODE_32,   /* 32-bit paging, CR4.PSE for 4 MiB pages (SDM §4.3) */
	PG_MODE_PAE,  /* PAE paging (SDM §4.4) */
	PG_MODE_LONG, /* 4-level paging (SDM §4.5) */
};

void pt_set_mode(enum pg_mode mode);
enum pg_mode pt_mode(void);
const char *pt_mode_name(void);
/* Levels: 1 = PTE, 2 = PDE, 3 = PDPTE, 4 = PML4E. */
int pt_levels(void);
unsigned pt_shift(int level);
/* Bytes mapped by one entry at LEVEL (4 KiB, 2 or 4 MiB, 1 GiB, ...). */
uint64_t pt_page_size(int level);
/* Address bits of an entry (bits 12..MAXPHYADDR-1). */
uint64_t pt_addr_mask(void);

/* A new tree identity-mapping guest RAM with large pages, user-accessible and writable
 * (the ring-3 probe code and stack live there). Returns its CR3 value. */
uintptr_t pt_new_root(void);
/* Guest-physical (identity-mapped) address of the entry for VA at LEVEL; the tables
 * above it are created with P|W|U when CREATE, else 0 is returned if one is missing. */
uintptr_t pt_entry(uintptr_t root, uint64_t va, int level, bool create);
uint64_t pt_get(uintptr_t entry);
void pt_set(uintptr_t entry, uint64_t val);
/* Maps the 4 KiB page VA to PA with FLAGS (including PTE_P) and invalidates VA. */
void pt_map(uintptr_t root, uint64_t va, uint64_t pa, uint64_t flags);
/* Large page at LEVEL (2 or 3): PTE_PS is added to FLAGS. */
void pt_map_large(uintptr_t root, uint64_t va, uint64_t pa, uint64_t flags, int level);
/* Flags of non-leaf entries created by pt_entry (a PAE PDPTE takes only P). */
uint64_t pt_table_flags(int level);

/* Turns on paging in the current mode with ROOT (CR0.WP=1; EFER.NXE when CPUID has NX
 * and the mode has it). In long mode, paging is already on: this only loads ROOT. */
void paging_enable(uintptr_t root);
uintptr_t pt_current_root(void);
void set_wp(bool on);
void set_nxe(bool on);

#endif
