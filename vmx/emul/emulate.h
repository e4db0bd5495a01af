/*
 * A small x86 instruction emulator for guest accesses the hypervisor does
 * not back with RAM: memory-mapped devices (later the xAPIC page) and any
 * guest-physical address outside guest RAM reached through a shadow-paging
 * #PF exit. Pure logic: the vCPU state comes in a struct, instruction bytes
 * and the emulated memory accesses go through callbacks, so the whole thing
 * runs in host unit tests.
 *
 * Scope: the forms compiled C code uses on device registers and page-table
 * entries, in 32-bit protected mode (CS.D=1) and 64-bit mode:
 *   MOV (88, 89, 8A, 8B, C6 /0, C7 /0, A0-A3 moffs), MOVZX, MOVSX, MOVSXD,
 *   ADD OR ADC SBB AND SUB XOR CMP (00-3B memory forms, 80/81/83),
 *   TEST (84, 85, F6 /0, F7 /0), NOT and NEG (F6/F7 /2 /3),
 *   INC and DEC (FE/FF /0 /1), XCHG (86, 87), CMPXCHG (0F B0/B1),
 *   CMPXCHG8B (0F C7 /1), BT/BTS/BTR/BTC imm8 (0F BA /4-/7),
 *   STOS and MOVS (AA, AB, A4, A5) with or without REP.
 * Prefixes: 66, 67 (64-bit mode only), REX, segment overrides, LOCK on the
 * read-modify-write forms, F3 (REP) on the string instructions.
 * Anything else is EMU_UNSUPPORTED: the caller logs res->bytes and stops
 * the guest rather than guess.
 *
 * Segments: with cpu->seg_checks, every memory operand is checked against
 * its segment's limit (expand-up or expand-down data segments, SDM Vol. 3A
 * §5.3) outside 64-bit mode, and for a canonical linear address in 64-bit
 * mode (§3.3.7.1); a violation ends the instruction with EMU_FAULT and the
 * #GP(0) or #SS(0) to deliver in res. Not modelled: access rights (the
 * instruction got this far, so the CPU accepted them), alignment checks.
 * A callback that fails makes the instruction fail (EMU_ACCESS_FAILED); a
 * callback may record a fault of its own (a #PF) for the caller to deliver.
 */
#ifndef VMX_EMULATE_H
#define VMX_EMULATE_H

#include <stdbool.h>
#include <stdint.h>

enum emu_mode {
	EMU_MODE_32 = 1, /* protected mode, CS.D=1: 32-bit operands and addresses */
	EMU_MODE_64 = 2, /* IA-32e 64-bit mode (CS.L=1) */
};

/* x86 register numbers, as in ModRM/SIB and vmx/vcpu_regs.h. */
#define EMU_RAX 0
#define EMU_RCX 1
#define EMU_RDX 2
#define EMU_RBX 3
#define EMU_RSP 4
#define EMU_RBP 5
#define EMU_RSI 6
#define EMU_RDI 7

/* The arithmetic flags the emulator computes (SDM Vol. 1 §3.4.3.1). */
#define EMU_FLAG_CF     (1ull << 0)
#define EMU_FLAG_PF     (1ull << 2)
#define EMU_FLAG_AF     (1ull << 4)
#define EMU_FLAG_ZF     (1ull << 6)
#define EMU_FLAG_SF     (1ull << 7)
#define EMU_FLAG_DF     (1ull << 10) /* read by the string instructions */
#define EMU_FLAG_OF     (1ull << 11)
#define EMU_FLAGS_ARITH 0x8D5ull /* CF PF AF ZF SF OF */

_Static_assert((EMU_FLAG_CF | EMU_FLAG_PF | EMU_FLAG_AF | EMU_FLAG_ZF | EMU_FLAG_SF |
                EMU_FLAG_OF) == EMU_FLAGS_ARITH,
               "arithmetic flag mask");

/* What the emulator needs from the vCPU. */
struct emu_cpu {
	uint64_t gpr[16]; /* indexed by x86 register number: 0 RAX .. 7 RDI, 8..15 R8..R15 */
	uint64_t rip, rflags;
	int mode; /* enum emu_mode */
	/* Segment bases; in 64-bit mode only FS and GS bases apply (§3.3.7.1). */
	uint64_t cs_base, ds_base, es_base, ss_base, fs_base, gs_base;
	/* Limits (in bytes) by enum emu_seg, and which data segments expand down;
	 * checked only when seg_checks is set. */
	bool seg_checks;
	uint32_t seg_limit[6];
	uint8_t seg_expand_down; /* bit n: segment n */
	bool ss_big;             /* SS.B: an expand-down SS reaches 4 GiB, else 64 KiB */
};

/*
 * Callbacks. All addresses are LINEAR: the caller translates them through
 * the guest's page tables and knows which device or guest-physical page
 * they reach. read/write may be called for any memory operand of the
 * instruction (MOVS reads one address and writes another; a
 * read-modify-write form reads then writes the same address), with size
 * 1, 2, 4 or 8 bytes; the value is in the low `size` bytes. Each returns
 * false if the access cannot be done, and the instruction is then not
 * completed.
 */
struct emu_ops {
	bool (*fetch)(void *ctx, uint64_t linear, uint8_t *buf, unsigned len);
	bool (*read)(void *ctx, uint64_t linear, unsigned size, uint64_t *value);
	bool (*write)(void *ctx, uint64_t linear, unsigned size, uint64_t value);
	void *ctx;
};

enum emu_status {
	EMU_OK = 0,
	EMU_UNSUPPORTED,   /* not an instruction this emulator handles: log and stop */
	EMU_FETCH_FAILED,  /* ops->fetch failed before the instruction was complete */
	EMU_ACCESS_FAILED, /* ops->read or ops->write failed */
	EMU_FAULT,         /* a segment or canonical check failed: deliver res->fault_* */
};

#define EMU_MAX_INSN_LEN 15 /* SDM Vol. 2 §2.3.11: longer is #GP */

struct emu_result {
	enum emu_status status;
	unsigned length;                 /* decoded length; 0 if decoding did not finish */
	uint8_t bytes[EMU_MAX_INSN_LEN]; /* bytes fetched from the instruction start */
	unsigned nbytes;                 /* how many of bytes[] are valid (may exceed length) */
	char what[48];                   /* mnemonic, or why it was refused, for logs */
	uint8_t fault_vector;            /* EMU_FAULT: 13 (#GP) or 12 (#SS), error code 0 */
};

/*
 * Decode the instruction at cs_base + rip and perform it. On EMU_OK the
 * registers, RFLAGS and memory hold the result and rip points past the
 * instruction (a REP string instruction may stop early with rip unchanged
 * and rcx counting the iterations left, as an interrupted REP does on
 * hardware: the guest re-executes it). On any other status the vCPU state
 * is unchanged, except that a REP string instruction keeps the iterations
 * that completed before the failing access.
 */
enum emu_status emu_step(struct emu_cpu *cpu, const struct emu_ops *ops, struct emu_result *res);

/* How many REP iterations one emu_step does at most before returning. */
#define EMU_REP_BUDGET 4096

/* "ok", "unsupported", "fetch failed", "access failed". */
const char *emu_status_name(enum emu_status status);

#endif
