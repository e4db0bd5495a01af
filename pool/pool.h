/*
 * The shadow page pool: the one owner of every shadow page table.
 *
 * This header holds the pool's whole data layout and its public API. The pool
 * never touches hardware: frames, host-physical memory and guest RAM come in
 * through struct pool_env, so the same sources build into the kernel and into
 * host tests. The design follows VirtualBox's PGM pool (README, "The shadow page pool").
 *
 * Objects (all referenced by small indexes, 0 = NIL):
 *  - pool page  (1..max_pages, 14-bit): one 4 KiB shadow table of a given kind,
 *    shadowing the guest structure at gpa under a context key ctx.
 *  - tracking entry (pool/track.h): one 64-bit word per guest frame: host
 *    address, "monitored" flag, generation, and who maps the frame (nobody /
 *    one (page, entry) / an extent chain / overflow).
 *  - extent: {next, 3 x (page, entry)} for frames mapped from several places.
 *  - user record: {next, parent page, entry}: a parent entry pointing at a page.
 *
 * Shadow tables are ALWAYS 4-level long-mode format (SDM Vol. 3A §4.5), whatever
 * the guest paging mode. Only level-1 kinds (PT kinds) hold leaf entries, always
 * 4 KiB mappings; levels 2..4 hold only links to child pool pages (never PS=1).
 *
 * Never write shadow entries directly: use pool_leaf_*() and pool_link()/
 * pool_unlink(), which keep the tracking entries and user records exact. Reading
 * them through pool_page_entries() is fine.
 *
 * Index lifetime: a pool index stays valid until the page is freed (eviction,
 * pool_page_flush, a monitor rule, pool_flush_all). Lock the pages you hold
 * across calls that can allocate or flush (pool_lock); locked pages are never
 * freed, only cleared in place (all entries dropped) and reported as such.
 * pool_flush_all() ends every index and lock at once (the generation changes).
 *
 * Not thread-safe: the caller serialises all calls on one pool.
 */
#ifndef POOL_POOL_H
#define POOL_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- Limits ----------------------------------------------------------- */

#define POOL_PAGE_SIZE         4096u
#define POOL_ENTRIES           512u /* entries per shadow table */
#define POOL_IDX_NIL           0u
#define POOL_MAX_PAGES         16383u /* 14-bit index, 0 = NIL */
#define POOL_DEFAULT_GROW_STEP 512u   /* as the reference */
#define POOL_MAX_EXTENTS       16382u /* 14-bit index, 0 = NIL, 0x3FFF = overflow */
#define POOL_MAX_USERS         65535u /* 16-bit index, 0 = NIL */
#define POOL_EXTENT_REFS       3u     /* references per extent */
#define POOL_EXTENT_CHAIN_MAX  15u    /* extents per chain before overflow */
#define POOL_ROOT_SLOTS        4u     /* fixed root slots, see pool_root_set() */
#define POOL_HOST_ADDR_BITS    48u    /* host addresses must be below 2^48 */
#define POOL_OPEN_MAX          16u    /* entries opened for one stepped write */

/* ---- Errors (negative return values) --------------------------------- */

enum pool_err {
	POOL_OK = 0,
	POOL_ERR_NO_FRAME = -1,   /* frame source failed and nothing was evictable */
	POOL_ERR_NO_USER = -2,    /* no user record free, none could be freed */
	POOL_ERR_ALL_LOCKED = -3, /* pool at its maximum and every page locked */
	POOL_ERR_NOT_RAM = -4,    /* guest frame outside guest RAM: never mapped */
	POOL_ERR_INVAL = -5,      /* bad index, entry, kind, flags or level */
	POOL_ERR_HOST_ADDR = -6,  /* init: host address unaligned, 0 or >= 2^48 */
	POOL_ERR_META = -7,       /* init: metadata area too small / misaligned */
	POOL_ERR_DUP_HOST = -8,   /* init: two guest frames share a host frame */
};

/* ---- Kinds ------------------------------------------------------------ */

/*
 * What a shadow table shadows. The level (1 = PT .. 4 = PML4) is the level of
 * the shadow table in the 4-level shadow hierarchy.
 *
 * 32-bit guests (SDM §4.3): a guest PT (1024 x 4-byte entries, 4 MiB) needs two
 * shadow PTs (512 x 8 bytes, 2 MiB each): _LO shadows guest entries 0..511,
 * _HI entries 512..1023. A guest PD (4 GiB) needs FOUR shadow PDs (1 GiB each):
 * _Qn shadows guest PDEs 256n..256n+255, each guest PDE giving two shadow PDEs
 * (2n and 2n+1 of the quarter). The shadow PML4/PDPT above them shadow nothing
 * of the guest (keyed by the guest PD's gpa, not monitored). A 4 MiB guest page
 * is split into two shadow PTs (_LO = first 2 MiB, gpa = its first frame;
 * _HI = second 2 MiB, gpa = first frame + 2 MiB).
 *
 * PAE guests (SDM §4.4): PML4_FOR_PAE (not monitored) -> PDPT_PAE, which shadows
 * the 4-entry PDPT at gpa = CR3 & ~0x1F (the 32-byte offset is part of gpa and
 * of the cache key; guest entries 4*((gpa & 0xFE0) >> 5) .. +3 of that page map
 * to shadow entries 0..3) -> PD_PAE -> PT_PAE / PT_SPLIT_2M.
 *
 * Long mode (SDM §4.5): PML4_LONG -> PDPT_LONG -> PD_PAE (or PD_SPLIT_1G for a
 * 1 GiB guest page) -> PT_PAE (or PT_SPLIT_2M).
 *
 * Unpaged guests: *_IDENTITY kinds, gpa = first guest address covered.
 *
 * Monitored kinds (their guest page is write-watched): PT_32_*, PT_PAE,
 * PD_32_*, PD_PAE, PDPT_LONG, PDPT_PAE, PML4_LONG. Split, identity and
 * "_FOR_" kinds shadow no guest table and are not monitored.
 */
enum pool_kind {
	POOL_KIND_NONE = 0, /* free page */
	/* level 1 */
	POOL_KIND_PT_32_LO,
	POOL_KIND_PT_32_HI,
	POOL_KIND_PT_PAE, /* PAE and long-mode guest PT */
	POOL_KIND_PT_SPLIT_2M,
	POOL_KIND_PT_SPLIT_4M_LO,
	POOL_KIND_PT_SPLIT_4M_HI,
	POOL_KIND_PT_IDENTITY,
	/* level 2 */
	POOL_KIND_PD_32_Q0,
	POOL_KIND_PD_32_Q1,
	POOL_KIND_PD_32_Q2,
	POOL_KIND_PD_32_Q3,
	POOL_KIND_PD_PAE, /* PAE and long-mode guest PD */
	POOL_KIND_PD_SPLIT_1G,
	POOL_KIND_PD_IDENTITY,
	/* level 3 */
	POOL_KIND_PDPT_LONG,
	POOL_KIND_PDPT_PAE,
	POOL_KIND_PDPT_FOR_32,
	POOL_KIND_PDPT_IDENTITY,
	/* level 4 */
	POOL_KIND_PML4_LONG,
	POOL_KIND_PML4_FOR_PAE,
	POOL_KIND_PML4_FOR_32,
	POOL_KIND_PML4_IDENTITY,
	POOL_KIND_COUNT
};

/* Shadow level of a kind: 1..4, 0 for POOL_KIND_NONE or out of range. */
unsigned pool_kind_level(enum pool_kind kind);
/* Whether the kind shadows a guest paging structure (its guest page is monitored). */
bool pool_kind_monitored(enum pool_kind kind);
/* Short stable name, e.g. "PT_PAE". */
const char *pool_kind_name(enum pool_kind kind);

/* ---- Shadow entry layout (4-level long mode, SDM Vol. 3A §4.5) --------- */

#define POOL_PTE_P         ((uint64_t)1 << 0)
#define POOL_PTE_RW        ((uint64_t)1 << 1)
#define POOL_PTE_US        ((uint64_t)1 << 2)
#define POOL_PTE_PWT       ((uint64_t)1 << 3)
#define POOL_PTE_PCD       ((uint64_t)1 << 4)
#define POOL_PTE_A         ((uint64_t)1 << 5)
#define POOL_PTE_D         ((uint64_t)1 << 6)
#define POOL_PTE_PS        ((uint64_t)1 << 7) /* PAT in a PTE */
#define POOL_PTE_G         ((uint64_t)1 << 8)
#define POOL_PTE_NX        ((uint64_t)1 << 63)
#define POOL_PTE_ADDR_MASK 0x000FFFFFFFFFF000ull /* bits 12..51 */

/* Flags a leaf may carry: everything outside the address field. P required. */
#define POOL_LEAF_FLAGS_MASK (~POOL_PTE_ADDR_MASK)

/*
 * A link (non-leaf entry) is just child host address | flags: valid both in
 * 4-level format and in PAE format (where bits 62:52 of PDEs/PDPTEs are
 * reserved, SDM Vol. 3A Tables 4-8, 4-10). The child's pool index is found from
 * its host address (pool_entry_child()). Caller link flags may use only
 * POOL_LINK_FLAGS_MASK (P, RW, US, PWT, PCD, A, NX); P required. For a PAE
 * PDPTE only P, PWT and PCD are legal: pass just those.
 */
#define POOL_LINK_FLAGS_MASK (0x3Full | POOL_PTE_NX)

static inline uint64_t pool_link_make(uint64_t child_hpa, uint64_t flags)
{
	return (child_hpa & POOL_PTE_ADDR_MASK) | (flags & POOL_LINK_FLAGS_MASK);
}

static inline bool pool_pte_present(uint64_t entry)
{
	return (entry & POOL_PTE_P) != 0;
}

static inline uint64_t pool_pte_addr(uint64_t entry)
{
	return entry & POOL_PTE_ADDR_MASK;
}

/* ---- Environment and configuration ----------------------------------- */

struct pool_env {
	void *ctx; /* passed to every callback */
	/* One 4 KiB-aligned host frame, 0 on failure. */
	uint64_t (*frame_alloc)(void *ctx);
	void (*frame_free)(void *ctx, uint64_t hpa);
	/* Host-physical to a pointer usable by this code (kernel: direct map). */
	void *(*phys_to_ptr)(void *ctx, uint64_t hpa);
	/*
	 * Guest RAM: guest_frames tracking entries, one per guest frame number.
	 * On pool_init each must hold just the host address of the frame backing
	 * that guest frame (4 KiB aligned, nonzero, below 2^48, all distinct);
	 * from then on the pool owns the words (pool/track.h). Frames need not be
	 * contiguous. The array stays owned by the caller's memory.
	 */
	uint64_t *track;
	uint64_t guest_frames;
};

struct pool_config {
	uint32_t max_pages;      /* 0: 64 + guest_frames / 64, capped at 16383 */
	uint32_t grow_step;      /* 0: 512; frames taken per growth */
	uint32_t users;          /* 0: 2 * max_pages (capped at 65535) */
	uint32_t extents;        /* 0: 2 * max_pages (capped at 16382) */
	uint16_t write_limit;    /* 0: 64 writes to one shadowed page while it gains no
	                          * entry (nothing is used through it) -> flush it */
	uint16_t zero_run_limit; /* 0: 16 zero writes at sequential offsets -> flush */
	uint16_t fork_limit;     /* 0: 16 consecutive write-protect-only writes before the
	                          * fork rule weighs a flush (pool/write.c) */
	uint16_t reserved0;
};

/* ---- Data layout ------------------------------------------------------ */

/* enum pool_flush_cause: why a pool page was freed (stats). */
enum pool_flush_cause {
	POOL_FLUSH_EXPLICIT = 0, /* pool_page_flush() by the caller */
	POOL_FLUSH_EVICT,        /* LRU eviction (pool full, or user records) */
	POOL_FLUSH_MONITOR,      /* a monitor rule fired */
	POOL_FLUSH_CAUSES
};

/* Monitor rules (which pattern made a guest write flush a shadow page). */
enum pool_rule {
	POOL_RULE_WRITES = 0, /* too many writes to the page while nothing is filled in it */
	POOL_RULE_ZERO_FILL,  /* zeros written at sequential offsets: page being cleared */
	POOL_RULE_REUSE,      /* value/shape not a plausible entry: page reused as data */
	POOL_RULE_FORK,       /* writes that only clear R/W, when they seem to cover most
	                       * of the page's present entries: fork write-protect */
	POOL_RULES
};

/* Per pool page flags (struct pool_page.flags). */
#define POOL_PAGE_F_MONITORED 0x01u /* on the monitor hash (kind is monitored) */
#define POOL_PAGE_F_OVERFLOW  0x02u /* on the overflow list (ovf_refs > 0) */

struct pool_page {
	uint64_t hpa;       /* host frame; 0 if this slot was never grown */
	uint64_t gpa;       /* guest address shadowed (see enum pool_kind) */
	uint32_t ctx;       /* context key from the shadow layer */
	uint16_t kind;      /* enum pool_kind; NONE = free */
	uint16_t present;   /* present entries */
	uint16_t lock;      /* lock count; locked pages are never freed */
	uint16_t flags;     /* POOL_PAGE_F_* */
	uint16_t hash_next; /* cache hash chain; free list link when free */
	uint16_t mon_next;  /* monitor hash chain */
	uint16_t age_prev;  /* LRU list, toward most recently used */
	uint16_t age_next;  /* LRU list, toward least recently used */
	uint16_t ovf_prev;  /* overflow list */
	uint16_t ovf_next;
	uint16_t ovf_refs;       /* present leaves here mapping overflowed frames */
	uint16_t users;          /* head of the user record list */
	uint16_t mod_count;      /* monitored writes since the page last gained an entry */
	uint16_t zero_run;       /* zero writes at sequential offsets */
	uint16_t wp_run;         /* consecutive write-protect-only writes */
	uint16_t last_write_end; /* page offset just after the last monitored write */
	uint32_t reserved0;
};

struct pool_user {
	uint16_t next;   /* next user of the same page, or free list link */
	uint16_t parent; /* pool index of the parent table */
	uint16_t entry;  /* entry index in the parent (0..511) */
	uint16_t used;   /* 1 while on a page's user list, 0 when free */
};

struct pool_extent {
	uint16_t next;                   /* next extent of the chain / free list */
	uint16_t page[POOL_EXTENT_REFS]; /* 0 = empty slot */
	uint16_t entry[POOL_EXTENT_REFS];
	uint16_t used; /* 1 while in a chain, 0 when free */
};
_Static_assert(sizeof(struct pool_extent) == 16, "extent is 16 bytes");
_Static_assert(sizeof(struct pool_user) == 8, "user record is 8 bytes");

struct pool_stats {
	uint32_t pages_high;   /* high watermark of pages in use */
	uint32_t chain_high;   /* cache hash chain length high watermark */
	uint32_t extents_high; /* high watermark of extents in use */
	uint32_t users_high;   /* high watermark of user records in use */
	uint64_t allocs;       /* pool_alloc calls */
	uint64_t alloc_failures;
	uint64_t hits, misses;
	uint64_t kind_mismatches; /* chain entries with the same gfn, other kind/ctx */
	uint64_t grows;           /* frames taken from the frame source */
	uint64_t frame_failures;  /* frame source returned 0 */
	uint64_t evictions;
	uint64_t user_evictions; /* evictions done to free a user record */
	uint64_t user_failures;  /* POOL_ERR_NO_USER */
	uint64_t frees[POOL_FLUSH_CAUSES];
	uint64_t locked_clears; /* locked pages cleared in place instead of freed */
	uint64_t flush_gfn;     /* pool_flush_gfn calls */
	uint64_t flush_all;
	uint64_t extent_failures; /* no free extent: reference went to overflow */
	uint64_t chain_full;      /* chain at 15 extents: reference went to overflow */
	uint64_t overflows;       /* frames switched to overflow */
	uint64_t slow_scans;      /* slow path runs (overflowed frame flushed/protected) */
	uint64_t slow_pages;      /* pool pages examined by slow paths, in total */
	uint64_t slow_pages_last; /* pool pages examined by the last slow path */
	uint64_t write_protects;  /* leaf entries made read-only on monitor start */
	uint64_t monitored_writes;
	uint64_t write_clears; /* shadow entries cleared by monitored writes */
	uint64_t rules[POOL_RULES];
};

/* A shadow entry given R/W for one stepped guest instruction, and its value
 * before (see pool_open_entry()). */
struct pool_open {
	uint16_t page;
	uint16_t entry;
	uint64_t old;
};

struct pool {
	struct pool_env env;
	struct pool_config cfg; /* defaults resolved */

	/* Pool pages: pages[0] unused. Slots 1..grown hold a frame. Slots at or
	 * above cursor are free by generation (flush_all resets cursor to 1);
	 * below it, free pages sit on the free list. */
	struct pool_page *pages;
	uint32_t grown;
	uint32_t cursor;
	uint32_t free_head;
	uint32_t used;

	uint16_t age_head; /* most recently used */
	uint16_t age_tail; /* least recently used: evicted first */
	uint16_t ovf_head; /* pages holding references to overflowed frames */
	uint16_t roots[POOL_ROOT_SLOTS];

	/* Cache hash over (gfn, kind, ctx); monitor hash over gfn. */
	uint16_t *cache_heads;
	uint16_t *mon_heads;
	uint32_t cache_mask;
	uint32_t mon_mask;

	/* User records and extents: free list below cursor, free beyond it. */
	struct pool_user *users;
	uint32_t nusers, user_cursor, user_free, users_used;
	struct pool_extent *extents;
	uint32_t nextents, extent_cursor, extent_free, extents_used;

	/* Reverse map host frame -> guest frame: open addressing on hpa >> 12,
	 * holding gfn + 1 (0 empty). 4 bytes x (power of two >= 2 x guest_frames). */
	uint32_t *rmap;
	uint64_t rmap_mask;

	uint32_t generation; /* bumped by pool_flush_all */
	struct pool_stats stats;

	/* Entries opened for a stepped write (their pages locked meanwhile). */
	struct pool_open open[POOL_OPEN_MAX];
	uint32_t nopen;

	/* Pool frame -> pool index: open addressing on hpa >> 12, filled as the
	 * pool grows (frames stay until pool_destroy). 2 x pow2 >= 2 x max pages. */
	uint16_t *phash;
	uint32_t phash_mask;
};

/* ---- Lifecycle -------------------------------------------------------- */

/* Bytes of metadata pool_init needs for this config and guest size (8-aligned). */
size_t pool_meta_size(const struct pool_config *cfg, uint64_t guest_frames);
/*
 * Set up the pool: cfg may be NULL (all defaults). meta: pool_meta_size()
 * bytes, 8-byte aligned, owned by the caller until pool_destroy. Validates the
 * tracking array (POOL_ERR_HOST_ADDR, POOL_ERR_DUP_HOST). Takes no frame yet.
 */
int pool_init(struct pool *p, const struct pool_config *cfg, const struct pool_env *env, void *meta,
              size_t meta_size);
/* Give every frame back to the frame source. The pool is unusable afterwards. */
void pool_destroy(struct pool *p);

/* ---- Pages ------------------------------------------------------------ */

/*
 * Find or make the shadow table (kind, gpa, ctx). gpa must be 4 KiB aligned
 * except for POOL_KIND_PDPT_PAE (32-byte aligned). With parent != 0, also link
 * it: parent entry `entry` := child | P | RW | US | A (permissions are enforced
 * at the leaves; upper-level permissions belong in ctx), replacing whatever
 * that entry held. The parent's level must be the child's level + 1. On a
 * cache hit the existing page is returned (already zeroed or filled); on a
 * miss the new page is zeroed and, for a monitored kind, its guest page starts
 * being monitored (existing leaf mappings of it are made read-only).
 * Never evicts `parent`. Returns POOL_OK and *out, or a POOL_ERR_*.
 * *created (may be NULL) tells whether the page is new (must be filled).
 */
int pool_alloc(struct pool *p, enum pool_kind kind, uint64_t gpa, uint32_t ctx, uint16_t parent,
               uint32_t entry, uint16_t *out, bool *created);
/* pool_alloc with explicit link flags (POOL_LINK_FLAGS_MASK, P required),
 * e.g. POOL_PTE_P alone for a PAE-format PDPTE. */
int pool_alloc_linked(struct pool *p, enum pool_kind kind, uint64_t gpa, uint32_t ctx,
                      uint16_t parent, uint32_t entry, uint64_t link_flags, uint16_t *out,
                      bool *created);
/* Cache lookup without side effects: the index, or 0. */
uint16_t pool_lookup(const struct pool *p, enum pool_kind kind, uint64_t gpa, uint32_t ctx);

void pool_lock(struct pool *p, uint16_t idx);
void pool_unlock(struct pool *p, uint16_t idx);
/* Mark recently used (moves to the head of the LRU list). */
void pool_touch(struct pool *p, uint16_t idx);

/* Fixed root slots: slot holds a locked page (the shadow root of the current
 * or a recent guest CR3). Setting locks the new page and unlocks the old one;
 * idx 0 empties the slot. Slots are emptied by pool_flush_all. */
int pool_root_set(struct pool *p, unsigned slot, uint16_t idx);
uint16_t pool_root_get(const struct pool *p, unsigned slot);
/* The page in `slot` if it is a live, locked page of `kind` (what may become the
 * real CR3), else 0. */
uint16_t pool_root_check(const struct pool *p, unsigned slot, enum pool_kind kind);

bool pool_page_in_use(const struct pool *p, uint16_t idx);
uint64_t *pool_page_entries(const struct pool *p, uint16_t idx); /* 512 entries */
uint64_t pool_page_hpa(const struct pool *p, uint16_t idx);
enum pool_kind pool_page_kind(const struct pool *p, uint16_t idx);
uint64_t pool_page_gpa(const struct pool *p, uint16_t idx);
uint64_t pool_page_gfn(const struct pool *p, uint16_t idx);
uint32_t pool_page_ctx(const struct pool *p, uint16_t idx);
unsigned pool_page_present(const struct pool *p, uint16_t idx);

/* ---- Entries ---------------------------------------------------------- */

/*
 * Leaf (level-1 page only): entry := host address of guest frame gfn | flags,
 * and record the reference in the tracking entry. flags: POOL_LEAF_FLAGS_MASK
 * bits, P required. If the frame is monitored (a guest page table), RW is
 * stripped so that guest writes to it trap. A present entry is replaced (its
 * old reference dropped). Returns POOL_OK, POOL_ERR_NOT_RAM (gfn outside guest
 * RAM: nothing written) or POOL_ERR_INVAL.
 */
int pool_leaf_set(struct pool *p, uint16_t idx, uint32_t entry, uint64_t gfn, uint64_t flags);
/* Change the flags of a present leaf, same frame, same reference (RW still
 * stripped on monitored frames). POOL_ERR_INVAL if not a present leaf. */
int pool_leaf_update(struct pool *p, uint16_t idx, uint32_t entry, uint64_t flags);
/* Guest frame mapped by a present leaf entry, or UINT64_MAX. */
uint64_t pool_leaf_gfn(const struct pool *p, uint16_t idx, uint32_t entry);

/* Link: parent entry := child (flags: POOL_LINK_FLAGS_MASK, P required) and add
 * the user record. Replaces what the entry held; re-linking the same child
 * only updates the flags. POOL_ERR_NO_USER if no user record could be found. */
int pool_link(struct pool *p, uint16_t parent, uint32_t entry, uint16_t child, uint64_t flags);
/* Pool index of the child a present link entry points at, or 0. */
uint16_t pool_entry_child(const struct pool *p, uint64_t entry);
/* Clear any entry (leaf: drop the reference; link: drop the user record). */
void pool_entry_clear(struct pool *p, uint16_t idx, uint32_t entry);

/* ---- Flushes ---------------------------------------------------------- */

/* Clear every shadow leaf mapping guest frame gfn. Returns entries cleared. */
unsigned pool_flush_gfn(struct pool *p, uint64_t gfn);
/* Free one pool page: drop its entries' references and child links, clear the
 * parent entries pointing at it, stop monitoring, back to the free list. A
 * locked page is only cleared in place. Returns true if it was freed. */
bool pool_page_flush(struct pool *p, uint16_t idx);
/* Forget every shadow: O(hash buckets). All indexes and locks become invalid,
 * root slots empty, the generation changes; the caller must rebuild roots. */
void pool_flush_all(struct pool *p);
uint32_t pool_generation(const struct pool *p);
/* Forget every shadow of guest frame gfn (the guest no longer uses it as a page
 * table, e.g. it pushed an exception frame onto it): unlocked shadow pages are
 * freed, locked ones (roots, opened) only cleared in place and still monitored.
 * Returns true when gfn is no longer monitored afterwards. */
bool pool_unshadow_gfn(struct pool *p, uint64_t gfn);

/* ---- Monitoring ------------------------------------------------------- */

bool pool_gfn_monitored(const struct pool *p, uint64_t gfn);
/* Iterate the shadows of a monitored guest frame: first, then next(prev). 0 ends. */
uint16_t pool_monitor_first(const struct pool *p, uint64_t gfn);
uint16_t pool_monitor_next(const struct pool *p, uint16_t prev);

/* pool_guest_write() result bits. */
#define POOL_GW_MONITORED 0x1u /* gpa is in a monitored guest page table */
#define POOL_GW_CLEARED   0x2u /* present shadow entries changed: flush the TLB */
#define POOL_GW_FLUSHED   0x4u /* a rule fired; a shadow page was flushed */
#define POOL_GW_LOCKED_FLUSHED                             \
	0x8u /* a locked page (e.g. a root) was cleared in \
	      * place: the caller must resync it */

/*
 * The guest wrote size (1..8) bytes of value at gpa, already emulated. Bytes
 * beyond the end of gpa's page are ignored (split page-crossing writes). Clears
 * the shadow entries covering the guest entries touched, in every shadow of
 * the page, or flushes a shadow when a rule fires. Returns POOL_GW_* bits.
 */
unsigned pool_guest_write(struct pool *p, uint64_t gpa, unsigned size, uint64_t value);

/* ---- Stepped writes --------------------------------------------------- */

/*
 * A guest write the shadow keeps read-only may be single-stepped on shadow
 * entries opened for that one instruction. pool_open_entry() gives the present
 * entry (idx, entry), which lacks R/W, R/W (a leaf or a link), locks its page
 * and records it (opening it again re-sets R/W if a fill took it away);
 * pool_close_entries() takes R/W away again from every recorded entry that
 * still maps what it mapped, and unlocks. The records
 * are the pool's: an entry cleared meanwhile is forgotten, and pool_flush_all()
 * forgets them all, so no caller ever holds a pool index across a flush.
 * Returns POOL_OK, POOL_ERR_INVAL (not a present entry) or POOL_ERR_ALL_LOCKED
 * (POOL_OPEN_MAX entries already open). Opening an open entry again is a no-op.
 */
int pool_open_entry(struct pool *p, uint16_t idx, uint32_t entry);
void pool_close_entries(struct pool *p);
static inline unsigned pool_open_count(const struct pool *p)
{
	return p->nopen;
}

/* ---- Guest RAM -------------------------------------------------------- */

/* Host address backing guest frame gfn, 0 if outside guest RAM. */
uint64_t pool_gfn_hpa(const struct pool *p, uint64_t gfn);
/* Pointer to guest-physical gpa (valid to the end of its page), or 0 outside RAM. */
void *pool_ram_ptr(const struct pool *p, uint64_t gpa);
/* Copy between guest RAM and a buffer, page by page; false if any byte is outside RAM
 * (nothing is copied then). */
bool pool_ram_read(const struct pool *p, uint64_t gpa, void *dst, uint64_t len);
bool pool_ram_write(const struct pool *p, uint64_t gpa, const void *src, uint64_t len);
/* Guest frame backed by host address hpa (any offset), or UINT64_MAX. */
uint64_t pool_hpa_gfn(const struct pool *p, uint64_t hpa);

/* ---- Audit and statistics --------------------------------------------- */

/* Check every invariant. 0, or -1 with the first violation in words in buf. */
int pool_audit(const struct pool *p, char *buf, size_t size);

const struct pool_stats *pool_get_stats(const struct pool *p);
/* One line "pool: stats ..." then detail lines, each via print. */
void pool_stats_print(const struct pool *p, int (*print)(const char *fmt, ...));

#endif
