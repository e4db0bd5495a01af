/*
 * Software walker of GUEST page tables (Intel SDM Vol. 3A chapter 4).
 *
 * Independent of the pool: it computes, for one linear address and one access, the
 * translation, the accumulated rights, the exact #PF error code and which accessed/dirty
 * bits hardware would set. Guest-physical memory is read through a callback, so the same
 * code runs in the kernel (reading guest RAM through the direct map) and in host tests.
 *
 * Modes: no paging, 32-bit (with 4 MiB pages when CR4.PSE=1), PAE (PDPTE registers loaded
 * at CR3 load, §4.4.1) and 4-level long mode (2 MiB and, when enabled, 1 GiB pages).
 * Not modelled: protection keys, shadow stacks, 5-level paging, PCID, HLAT.
 */
#ifndef POOL_WALK_H
#define POOL_WALK_H

#include <stdbool.h>
#include <stdint.h>

/* Page-fault error code, SDM Vol. 3A §4.7 (Figure 4-12). */
#define PF_ERR_P    (1u << 0) /* 0: not present; 1: protection or reserved bit */
#define PF_ERR_W    (1u << 1) /* the access was a write */
#define PF_ERR_U    (1u << 2) /* the access was in user mode (CPL 3) */
#define PF_ERR_RSVD (1u << 3) /* a reserved bit was set in a paging-structure entry */
#define PF_ERR_I    (1u << 4) /* instruction fetch (only with SMEP, or PAE/4-level + NXE) */

/*
 * Access flags. WRITE, USER and FETCH sit at their error-code positions so that the
 * error code is a mask of the access. AC is EFLAGS.AC for a supervisor data access
 * (it lifts SMAP for explicit accesses, §4.6.1).
 */
#define WALK_ACC_WRITE PF_ERR_W
#define WALK_ACC_USER  PF_ERR_U
#define WALK_ACC_FETCH PF_ERR_I
#define WALK_ACC_AC    (1u << 8)

/* Bits common to guest paging-structure entries of every format (§4.3-§4.5 tables). */
#define GPTE_P   ((uint64_t)1 << 0)
#define GPTE_RW  ((uint64_t)1 << 1)
#define GPTE_US  ((uint64_t)1 << 2)
#define GPTE_PWT ((uint64_t)1 << 3)
#define GPTE_PCD ((uint64_t)1 << 4)
#define GPTE_A   ((uint64_t)1 << 5)
#define GPTE_D   ((uint64_t)1 << 6)
#define GPTE_PS  ((uint64_t)1 << 7)
#define GPTE_G   ((uint64_t)1 << 8)
#define GPTE_XD  ((uint64_t)1 << 63)

/* Bits of the 32-bit 4 MiB PDE holding physical-address bits 39:32 (§4.3, Table 4-4). */
#define GPTE32_PSE_HI_SHIFT 13
#define GPTE32_PSE_HI_MASK  ((uint64_t)0xff << GPTE32_PSE_HI_SHIFT)

#define WALK_PAGE_SHIFT 12
#define WALK_PAGE_SIZE  ((uint64_t)1 << WALK_PAGE_SHIFT)
#define WALK_MAX_LEVELS 4

enum walk_mode {
	WALK_MODE_NONE,  /* CR0.PG = 0: linear = physical */
	WALK_MODE_32BIT, /* CR0.PG = 1, CR4.PAE = 0 */
	WALK_MODE_PAE,   /* CR0.PG = 1, CR4.PAE = 1, EFER.LMA = 0 */
	WALK_MODE_LONG4, /* CR0.PG = 1, CR4.PAE = 1, EFER.LMA = 1 */
};

/* The paging configuration of one vCPU as the walker needs it. */
struct walk_paging {
	enum walk_mode mode;
	uint64_t cr3;
	uint64_t pdpte[4];  /* PAE only: the PDPTE registers (§4.4.1) */
	bool wp;            /* CR0.WP */
	bool pse;           /* CR4.PSE (32-bit paging only) */
	bool nxe;           /* EFER.NXE (PAE and 4-level only) */
	bool smep;          /* CR4.SMEP */
	bool smap;          /* CR4.SMAP */
	bool gbpages;       /* CPUID.80000001H:EDX.Page1GB: PS in a 4-level PDPTE */
	uint8_t maxphyaddr; /* CPUID.80000008H:EAX[7:0], 32..52 */
};

/*
 * Reads one paging-structure entry of `size` bytes (4 or 8) at guest-physical `gpa`.
 * Returns false when `gpa` is not guest RAM.
 */
typedef bool (*walk_read_fn)(void *ctx, uint64_t gpa, unsigned size, uint64_t *value);
/* Writes one entry back (for accessed/dirty updates). Returns false if not guest RAM. */
typedef bool (*walk_write_fn)(void *ctx, uint64_t gpa, unsigned size, uint64_t value);

enum walk_status {
	WALK_OK,            /* translated; rights allow the access */
	WALK_FAULT,         /* the guest's own #PF: error_code is exact, CR2 = the address */
	WALK_TABLE_NOT_RAM, /* a paging structure lies outside guest RAM */
	WALK_NONCANONICAL,  /* 4-level: the address is not canonical (#GP, not #PF) */
};

/* One paging-structure entry used by the walk, top level first. */
struct walk_level {
	uint64_t entry_gpa; /* where the entry lives */
	uint64_t entry;     /* its value as read */
	unsigned size;      /* 4 or 8 bytes */
	uint64_t set_bits;  /* A (and D on the leaf) that hardware sets on success */
};

struct walk_result {
	enum walk_status status;
	uint32_t error_code;    /* WALK_FAULT only */
	uint64_t gpa;           /* WALK_OK: the translated guest-physical address */
	uint64_t page_size;     /* WALK_OK: 4 KiB, 2 MiB, 4 MiB or 1 GiB */
	uint64_t bad_table_gpa; /* WALK_TABLE_NOT_RAM: the table that could not be read */
	bool writable;          /* rights accumulated over all levels (R/W all 1) */
	bool user;              /* U/S all 1: a user-mode address */
	bool exec_disabled;     /* XD set in some level (with NXE) */
	unsigned nr_levels;     /* entries read (PAE: excludes the PDPTE register) */
	struct walk_level level[WALK_MAX_LEVELS];
};

/* Decode CR0, CR4 and EFER (LMA) into a mode; CR0.PG is bit 31 (§2.5). */
enum walk_mode walk_mode_from_regs(uint64_t cr0, uint64_t cr4, uint64_t efer);

/* Physical-address bits 51..12 valid under `maxphyaddr`. */
uint64_t walk_phys_mask(uint8_t maxphyaddr);

/*
 * Load the PAE PDPTE registers from the table CR3 points to (§4.4.1). Returns
 * WALK_OK, WALK_FAULT (a present PDPTE has a reserved bit set: MOV CR3 raises #GP) or
 * WALK_TABLE_NOT_RAM.
 */
enum walk_status walk_load_pdptes(struct walk_paging *p, walk_read_fn read, void *ctx);

/* Walk for one access (WALK_ACC_* flags). Never writes guest memory. */
void walk_translate(const struct walk_paging *p, uint64_t la, uint32_t access, walk_read_fn read,
                    void *ctx, struct walk_result *r);

/*
 * Set the accessed/dirty bits a successful walk calls for (§4.8). Returns false if an
 * entry could not be written back.
 */
bool walk_commit_ad(const struct walk_result *r, walk_write_fn write, void *ctx);

/* The reserved-bit mask of a present entry at `level` (1 = PT ... 4 = PML4), for tests. */
uint64_t walk_reserved_bits(const struct walk_paging *p, unsigned level, uint64_t entry);

#endif
