/*
 * Shadow paging on top of the pool: one vCPU's paging context, the #PF sync path, CR3
 * loads, INVLPG and control-register writes. No hardware access: the caller moves the
 * results into the VMCS / real CR3 and injects faults.
 *
 * Hardware format of the shadow: a long-mode guest
 * runs on real 4-level paging, root = a PML4 pool page; every other guest (unpaged,
 * 32-bit, PAE) runs on real PAE paging, root = a PDPT-level pool page whose entries 0..3
 * hold only P and the address (PAE PDPTE format, SDM Vol. 3A Table 4-8) and whose frame
 * lies below 4 GiB.
 *
 * Exactness invariant: every present shadow entry agrees with the CURRENT guest tables
 * (guest page tables are write-protected in the shadow, and every emulated write to them
 * goes through shadow_guest_write(), which clears the covered shadow entries). So the
 * shadow never holds a translation the guest's memory no longer allows, which is stricter
 * than a TLB; INVLPG and CR3 loads therefore never have stale state to drop, and global
 * pages need no special case. Accessed/dirty bits are exact: a shadow leaf is filled only
 * on an access that sets A in every guest entry used, and is writable only once the guest
 * leaf is dirty (the first write faults and sets D).
 *
 * Permissions: in 4-level format each shadow link copies R/W, U/S, XD of its guest entry
 * and the hardware accumulates them; in PAE format the guest has no rights above the PD
 * level, so the shadow PD/PT entries carry them. The real CR0.WP is 1: a supervisor write
 * the guest allows only because its CR0.WP = 0 is returned as SHADOW_EMULATE.
 * PAT/PCD/PWT of the guest are not propagated (host memory is write-back).
 *
 * One vCPU per pool: the pool's root slots are used as current + 3 previous roots.
 */
#ifndef POOL_SHADOW_H
#define POOL_SHADOW_H

#include <stdbool.h>
#include <stdint.h>

#include "pool/pool.h"
#include "pool/shadow/walk.h"

enum shadow_hw {
	SHADOW_HW_PAE,  /* real CR0.PG=1, CR4.PAE=1, EFER.LMA=0: root is a PDPT */
	SHADOW_HW_LONG, /* real 4-level paging: root is a PML4 */
};

enum shadow_result {
	SHADOW_FIXED,     /* shadow filled (or already right): resume the guest */
	SHADOW_REFLECT,   /* the guest's own #PF: inject error_code with CR2 = cr2 */
	SHADOW_EMULATE,   /* allowed, but emulate the access at gpa (guest page-table write,
	                   * or supervisor write under guest CR0.WP = 0); A/D already set */
	SHADOW_NOT_RAM,   /* the page or one of the guest's tables is outside guest RAM:
	                   * never mapped; the caller decides (MMIO emulation or shutdown) */
	SHADOW_GP,        /* #GP(0): non-canonical address, or bad PAE PDPTEs at CR3 load */
	SHADOW_NO_MEMORY, /* the pool could not provide a table (caller may flush all) */
};

struct shadow_fault {
	enum shadow_result result;
	uint32_t error_code; /* SHADOW_REFLECT */
	uint64_t cr2;        /* SHADOW_REFLECT */
	uint64_t gpa;        /* SHADOW_EMULATE / SHADOW_NOT_RAM: guest-physical address */
};

struct shadow_stats {
	uint64_t syncs, fixed, reflected, emulated, not_ram, gp, no_memory;
	uint64_t dirty_faults; /* write faults that only set a guest D bit */
	uint64_t cr3_loads, root_recent_hits, root_builds;
	uint64_t roots_dropped; /* recent roots freed after a monitor rule cleared them */
	uint64_t invlpgs, reg_writes, guest_writes;
	uint64_t steps_opened; /* walks opened for a stepped write */
};

/* Key of a shadow root in the pool cache. */
struct shadow_root_key {
	uint16_t kind;
	uint32_t ctx;
	uint64_t gpa;
};

struct shadow_vcpu {
	struct pool *pool;
	struct walk_paging paging; /* the guest's paging, as the walker needs it */
	uint64_t cr0, cr4, efer;
	enum shadow_hw hw;
	/* Real CR4.SMEP/SMAP to run the guest with: the guest's, except with guest paging
	 * off, where no protection applies but the identity shadow is all user pages. */
	bool hw_smep, hw_smap;
	/* 1 GiB pages exist for the guest (its CPUID says so): without them a PS
	 * bit in a PDPTE is reserved (SDM Vol. 3A §4.5). true after shadow_init. */
	bool gbpages;
	uint32_t ctx;        /* cache context: settings that change how tables read */
	uint32_t generation; /* pool generation the root slots belong to */
	struct shadow_root_key slot_key[POOL_ROOT_SLOTS]; /* slot 0 = current root */
	struct shadow_stats stats;
};

/* Start with paging off (CR0 = CR4 = EFER = 0, CR3 = 0). */
void shadow_init(struct shadow_vcpu *v, struct pool *pool, uint8_t maxphyaddr);

/*
 * The guest wrote CR0, CR4 or EFER (any of them; pass all three). Recomputes the mode and
 * the cache context (CR4.PSE and EFER.NXE change how guest tables read, so they select
 * other shadows; CR0.WP, CR4.SMEP/SMAP need no shadow change since the hardware applies
 * them to the shadow; CR4.PGE needs none since no shadow entry is global) and reloads
 * the root. Returns SHADOW_FIXED, SHADOW_GP (PAE PDPTEs invalid), SHADOW_NOT_RAM or
 * SHADOW_NO_MEMORY.
 */
enum shadow_result shadow_set_regs(struct shadow_vcpu *v, uint64_t cr0, uint64_t cr4,
                                   uint64_t efer);

/* MOV to CR3. Same results as shadow_set_regs. */
enum shadow_result shadow_load_cr3(struct shadow_vcpu *v, uint64_t cr3);

/*
 * Host address for the real CR3 before a VM entry (reloads the root if a pool flush-all
 * dropped it). 0 if no root could be made.
 */
uint64_t shadow_root_hpa(struct shadow_vcpu *v);

/*
 * A #PF hit the guest at linear address la; access = the hardware error code's W, U, I
 * bits (WALK_ACC_*), plus WALK_ACC_AC if the guest's EFLAGS.AC was set.
 */
void shadow_sync(struct shadow_vcpu *v, uint64_t la, uint32_t access, struct shadow_fault *f);

/* INVLPG la: drop the shadow leaf for that address (if any). */
void shadow_invlpg(struct shadow_vcpu *v, uint64_t la);

/*
 * The caller emulated a guest write of size bytes (value) at gpa, to a monitored guest
 * page table (after SHADOW_EMULATE). Returns the POOL_GW_* bits. POOL_GW_LOCKED_FLUSHED
 * needs nothing from the caller beyond the TLB flush that POOL_GW_CLEARED asks for: a
 * recent root cleared by a rule is freed here (its frame stops being monitored), the
 * current root refills on the next faults.
 */
unsigned shadow_guest_write(struct shadow_vcpu *v, uint64_t gpa, unsigned size, uint64_t value);

/*
 * A guest write the shadow keeps read-only (SHADOW_EMULATE: a write to one of
 * the guest's page tables, or a supervisor write allowed by guest CR0.WP = 0)
 * may be single-stepped: shadow_step_open() gives every shadow entry on la's
 * walk R/W (filling the walk read-only first if needed), through the pool,
 * which keeps the records; shadow_step_close() restores them. A pool flush in
 * between ends the opened entries with everything else, so closing is always
 * safe. The caller then reports what the instruction wrote with
 * shadow_guest_write(). Returns SHADOW_FIXED, or why the walk could not be
 * opened (SHADOW_NO_MEMORY when the entries to open exceed POOL_OPEN_MAX).
 */
enum shadow_result shadow_step_open(struct shadow_vcpu *v, uint64_t la, uint32_t access);
void shadow_step_close(struct shadow_vcpu *v);

/*
 * The guest uses guest frame gfn as something else than a page table (it
 * pushed an event frame onto it): drop every shadow of it, recent roots
 * included, so that writes to it stop trapping. False if it is still
 * shadowed afterwards (it is the current root's table).
 */
bool shadow_forget_table(struct shadow_vcpu *v, uint64_t gfn);

/* Guest-physical memory through the pool's guest RAM (the walker's callbacks). */
bool shadow_read_guest(void *pool, uint64_t gpa, unsigned size, uint64_t *value);
bool shadow_write_guest(void *pool, uint64_t gpa, unsigned size, uint64_t value);

#endif
