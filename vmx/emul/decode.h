/*
 * The decoder half of the instruction emulator (vmx/emulate.h): turns the
 * bytes at CS:RIP into a struct emu_insn, for the opcodes the emulator
 * supports and nothing else. Encoding facts from the Intel SDM Vol. 2
 * chapter 2 ("Instruction Format") and appendix A (opcode map).
 */
#ifndef VMX_DECODE_H
#define VMX_DECODE_H

#include <stdbool.h>
#include <stdint.h>

#include "vmx/emul/emulate.h"

/* Segment registers, numbered as in the Sreg encoding (SDM Vol. 2 §3.1.1.3). */
enum emu_seg {
	EMU_SEG_ES = 0,
	EMU_SEG_CS = 1,
	EMU_SEG_SS = 2,
	EMU_SEG_DS = 3,
	EMU_SEG_FS = 4,
	EMU_SEG_GS = 5,
	EMU_SEG_NONE = 6, /* no segment-override prefix */
};

/* REX prefix bits (§2.2.1.2). */
#define EMU_REX_B (1u << 0) /* extends ModRM.rm, SIB.base */
#define EMU_REX_X (1u << 1) /* extends SIB.index */
#define EMU_REX_R (1u << 2) /* extends ModRM.reg */
#define EMU_REX_W (1u << 3) /* 64-bit operand size */

/* ModRM and SIB fields (§2.1.5). */
static inline unsigned emu_modrm_mod(uint8_t modrm)
{
	return modrm >> 6;
}

static inline unsigned emu_modrm_reg(uint8_t modrm)
{
	return (modrm >> 3) & 7;
}

static inline unsigned emu_modrm_rm(uint8_t modrm)
{
	return modrm & 7;
}

#define emu_sib_scale emu_modrm_mod
#define emu_sib_index emu_modrm_reg
#define emu_sib_base  emu_modrm_rm

#define EMU_NO_REG (-1)

/* One decoded instruction. */
struct emu_insn {
	/* Prefixes. */
	uint8_t rex;          /* the REX byte in effect, 0 if none */
	bool opsize_prefix;   /* 66 */
	bool addrsize_prefix; /* 67 */
	bool lock;            /* F0 */
	bool rep;             /* F3 */
	bool repne;           /* F2: never emulated */
	int seg_override;     /* enum emu_seg */

	/* Opcode: `opcode` is the byte after 0F when two_byte. */
	bool two_byte;
	uint8_t opcode;

	/* ModRM, with reg extended by REX.R; mod is never 3 (refused). */
	bool has_modrm;
	uint8_t modrm;
	unsigned reg;

	/* The memory operand: seg:[base + index * scale + disp] or [rip + disp]. */
	bool has_mem;
	int base;  /* register number or EMU_NO_REG */
	int index; /* register number or EMU_NO_REG */
	unsigned scale;
	int64_t disp;
	bool rip_relative;
	int seg; /* enum emu_seg: the override, or DS/SS by default (§3.7.4) */

	unsigned opsize;   /* 1, 2, 4 or 8: the operation's size */
	unsigned srcsize;  /* MOVZX/MOVSX/MOVSXD: the memory operand's size */
	unsigned addrsize; /* 4 or 8 */
	uint64_t imm;      /* immediate (sign-extended to 64 bits) or moffs */
	unsigned length;
};

/*
 * Fetch and decode the instruction at cpu->cs_base + cpu->rip. Fills
 * res->bytes/nbytes with what was fetched; on EMU_UNSUPPORTED sets
 * res->what to the reason. Returns EMU_OK, EMU_UNSUPPORTED or
 * EMU_FETCH_FAILED.
 */
enum emu_status emu_decode(const struct emu_cpu *cpu, const struct emu_ops *ops,
                           struct emu_insn *insn, struct emu_result *res);

/* The effective address (offset in its segment) of insn's memory operand (after
 * decoding, with cpu->rip unchanged), and its linear address. */
uint64_t emu_operand_ea(const struct emu_cpu *cpu, const struct emu_insn *insn);
uint64_t emu_operand_linear(const struct emu_cpu *cpu, const struct emu_insn *insn);

/* The linear address of segment `seg` at effective address `ea` (already sized). */
uint64_t emu_linear(const struct emu_cpu *cpu, int seg, uint64_t ea);

/* res->what helpers: bounded copies, always NUL-terminated. */
void emu_what_set(struct emu_result *res, const char *s);
void emu_what_append(struct emu_result *res, const char *s);
void emu_what_append_hex8(struct emu_result *res, uint8_t byte);

#endif
