/*
 * A simulated long-mode guest OS for the benchmark traces (tests/bench/trace_*.c): its
 * own frame allocator, page tables it writes THROUGH ITS OWN MAPPINGS (a kernel direct
 * map), processes, CR3 switches, copy-on-write faults it handles itself. Every guest
 * memory access goes through sim_access() (tests/unit/shadow_model/sim.c), i.e. through
 * the shadow tables like hardware, so a write to a monitored guest page table traps into
 * shadow_sync() and is emulated, exactly as it would under VT-x.
 *
 * Besides the shadow faults (#PF exits that reached shadow_sync), the driver counts a
 * LOWER BOUND on the #PF exits any exact shadow-paging implementation needs for the same
 * guest behaviour. It is computed from the guest's actions alone (a reference walk of
 * the guest tables before every access), never from the pool's state; see guest.c for
 * the precise definition and why it is a lower bound.
 *
 * Guest layout:
 *  - guest-physical frame 0 is unused; frames 1, 2 hold the kernel PDPT and PD.
 *  - kernel direct map: linear GUEST_DM + gpa maps all guest RAM with 2 MiB pages
 *    (supervisor, writable, dirty, global), through PML4 entry 256 of every address
 *    space, which points at the one shared kernel PDPT (as Linux shares its kernel half).
 *  - user memory of a process: linear GUEST_USER_BASE.., one PT (PML4[0] -> PDPT[0] ->
 *    PD[2] -> PT).
 */
#ifndef TESTS_BENCH_GUEST_H
#define TESTS_BENCH_GUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "tests/unit/shadow_model/sim.h"

#define GUEST_DM                0xFFFF800000000000ull /* PML4 entry 256: the kernel direct map */
#define GUEST_USER_BASE         0x400000ull           /* PML4 0, PDPT 0, PD 2, PT entry 0 */
#define GUEST_USER_PD_INDEX     2u
#define GUEST_KERNEL_PML4_INDEX 256u
#define GUEST_MAX_TABLE_FRAMES  256u
#define GUEST_WRITE_LOG         1024u

/* Flags of the entries the guest writes (SDM Vol. 3A §4.5, Tables 4-15..4-19). */
#define GUEST_LINK      (GPTE_P | GPTE_RW | GPTE_US | GPTE_A)
#define GUEST_KLINK     (GPTE_P | GPTE_RW | GPTE_A)
#define GUEST_USER_RW   (GPTE_P | GPTE_RW | GPTE_US | GPTE_A | GPTE_D)
#define GUEST_USER_RO   (GPTE_P | GPTE_US | GPTE_A)
#define GUEST_ADDR_MASK 0x000FFFFFFFFFF000ull

struct guest_config {
	uint64_t ram_frames;
	uint32_t pool_max_pages;
	bool naive; /* baseline policy: pool_flush_all() before every CR3 load */
};

/*
 * Lower-bound components (see guest.c). Each successful access adds at most one, in
 * this order of precedence: fills, dirty, witnesses. guest_faults adds one per access
 * the guest's own tables refuse.
 */
struct guest_bound {
	uint64_t guest_faults; /* G: the guest's own #PFs (every #PF exits) */
	uint64_t fills;        /* F: path uses an entry not read since last written */
	uint64_t dirty;        /* D: write through a leaf with D = 0 */
	uint64_t witnesses;    /* C: table writes that must be caught, or paid for by a
	                        * refault of an entry live across them */
};

struct guest_counts {
	uint64_t accesses;  /* guest memory accesses (sim_access calls) */
	uint64_t faults;    /* #PF exits that reached shadow_sync() */
	uint64_t emulated;  /* of which: writes to monitored tables, emulated */
	uint64_t reflected; /* of which: reflected to the guest */
	uint64_t cr3_loads;
	uint64_t table_writes;   /* guest writes to its paging structures */
	uint64_t monitor_starts; /* a guest table frame became monitored (polled) */
	/* the other faults, by what the lower bound says of the access */
	uint64_t fills_charged;    /* in accesses the bound charges (F, D or C) */
	uint64_t refills_user;     /* in user accesses it does not charge: refills of
	                            * translations the pool dropped though the guest did not
	                            * change them */
	uint64_t refills_kernel;   /* in kernel accesses it does not charge (e.g. the write
	                            * that makes a table frame writable again after its
	                            * monitoring stopped) */
	uint64_t root_zero_faults; /* faults while zeroing a table frame that is still a
	                            * locked shadow root (see trace_fork.c) */
};

struct guest {
	struct sim s;
	struct guest_config cfg;
	struct guest_bound lb;
	struct guest_counts n;
	uint64_t kernel_pdpt, kernel_pd, zero_page;
	/* frame allocator: LIFO stack, as a per-CPU hot-page list hands back the frame
	 * freed last; per-frame reference counts for shared (COW) pages */
	uint32_t *free_stack;
	uint64_t nfree;
	uint16_t *refcount;
	/* lower-bound state; times count events (an access reads at t, writes at t + 1) */
	uint64_t now;
	uint32_t *last_read;  /* per 8-byte guest word: time of the last completed access
	                       * that read it as a paging entry since it was last written;
	                       * 0 = fresh (written since, or never read) */
	uint8_t *large_live;  /* bit per frame: its 4 KiB piece of a large leaf was read */
	uint16_t *table_slot; /* per frame: 1 + index in tables[], 0 = not a table */
	/* per table: times of guest writes to it not yet matched (sorted, oldest dropped
	 * when full: dropping only lowers the bound) */
	uint32_t writes[GUEST_MAX_TABLE_FRAMES][GUEST_WRITE_LOG];
	unsigned nwrites[GUEST_MAX_TABLE_FRAMES];
	/* frames ever used as paging structures, polled for monitor starts */
	uint32_t tables[GUEST_MAX_TABLE_FRAMES];
	uint8_t table_monitored[GUEST_MAX_TABLE_FRAMES];
	unsigned ntables;
};

/* Build the kernel tables (before paging: plain memory writes) and the pool. */
void guest_init(struct guest *g, const struct guest_config *cfg, uint32_t seed);
void guest_destroy(struct guest *g);

uint64_t guest_alloc_frame(struct guest *g);
void guest_free_frame(struct guest *g, uint64_t gpa);
/* A fresh page-table frame, zeroed by the guest through its direct map (clear_page). */
uint64_t guest_alloc_table(struct guest *g);
/* Before paging is on: a table frame the boot code fills with plain writes. */
uint64_t guest_boot_table(struct guest *g);
/* A PML4 for a new address space with the shared kernel entry, written at boot. */
uint64_t guest_boot_pml4(struct guest *g);

/* Paging on (long mode) with CR3 = cr3. */
void guest_start(struct guest *g, uint64_t cr3);
/* MOV to CR3 (the naive policy flushes the whole pool first). */
void guest_switch(struct guest *g, uint64_t cr3);

/*
 * One access as the CPU does it, with the lower-bound accounting. acc: WALK_ACC_*.
 * Returns true if it completed, false if the guest's own #PF was reflected.
 */
bool guest_access(struct guest *g, uint64_t la, uint32_t acc, uint64_t value);
/* Kernel-mode access to guest-physical memory through the direct map. */
uint64_t guest_kread(struct guest *g, uint64_t gpa);
void guest_kwrite(struct guest *g, uint64_t gpa, uint64_t value);
/* A write to a paging-structure entry (counted as a table write). */
void guest_write_entry(struct guest *g, uint64_t gpa, uint64_t value);

uint64_t guest_lower_bound(const struct guest *g);
/* pool_audit, abort with the message on a violation. */
void guest_audit(struct guest *g, const char *where);

#endif
