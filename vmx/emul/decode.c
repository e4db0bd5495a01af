/*
 * Instruction decoding for the emulator: prefixes, opcode, ModRM/SIB,
 * displacement, immediate (Intel SDM Vol. 2 chapter 2). Only the opcodes
 * in shape_of() are decoded; anything else is refused before its operands
 * are read, so the decoder never needs the length of an instruction it
 * does not emulate.
 */
#include "vmx/emul/decode.h"

#define PAGE_SIZE_4K 0x1000ull
#define MASK32       0xFFFFFFFFull

/* What an opcode's encoding carries after the opcode byte. */
#define SH_MODRM  (1u << 0) /* a ModRM byte with a memory operand */
#define SH_BYTE   (1u << 1) /* 8-bit operation */
#define SH_IMM8   (1u << 2) /* 8-bit immediate */
#define SH_IMMZ   (1u << 3) /* 16/32-bit immediate (32 sign-extended for 64-bit ops) */
#define SH_MOFFS  (1u << 4) /* an address-sized memory offset, no ModRM */
#define SH_STRING (1u << 5) /* string instruction: REP allowed, no ModRM */
#define SH_ONLY64 (1u << 6) /* valid only in 64-bit mode (MOVSXD) */

/* ALU opcodes 00-3B: rows of 8, the first four columns take ModRM (appendix A.3). */
static bool is_alu_modrm(uint8_t op)
{
	return op < 0x40 && (op & 7) < 4;
}

static unsigned shape_one_byte(uint8_t op)
{
	if (is_alu_modrm(op))
		return SH_MODRM | ((op & 1) ? 0 : SH_BYTE);
	switch (op) {
	case 0x63:
		return SH_MODRM | SH_ONLY64;
	case 0x80:
		return SH_MODRM | SH_BYTE | SH_IMM8;
	case 0x81:
		return SH_MODRM | SH_IMMZ;
	case 0x83:
		return SH_MODRM | SH_IMM8;
	case 0x84:
	case 0x86:
	case 0x88:
	case 0x8A:
		return SH_MODRM | SH_BYTE;
	case 0x85:
	case 0x87:
	case 0x89:
	case 0x8B:
		return SH_MODRM;
	case 0xA0:
	case 0xA2:
		return SH_MOFFS | SH_BYTE;
	case 0xA1:
	case 0xA3:
		return SH_MOFFS;
	case 0xA4:
	case 0xAA:
		return SH_STRING | SH_BYTE;
	case 0xA5:
	case 0xAB:
		return SH_STRING;
	case 0xC6:
	case 0xF6:
		return SH_MODRM | SH_BYTE | SH_IMM8;
	case 0xC7:
	case 0xF7:
		return SH_MODRM | SH_IMMZ;
	case 0xFE:
		return SH_MODRM | SH_BYTE;
	case 0xFF:
		return SH_MODRM;
	default:
		return 0;
	}
}

static unsigned shape_two_byte(uint8_t op)
{
	switch (op) {
	case 0xB0:
		return SH_MODRM | SH_BYTE;
	case 0xB1:
	case 0xB6:
	case 0xB7:
	case 0xBE:
	case 0xBF:
	case 0xC7:
		return SH_MODRM;
	case 0xBA:
		return SH_MODRM | SH_IMM8;
	default:
		return 0;
	}
}

/*
 * Group opcodes whose ModRM.reg selects the operation (appendix A.4): only
 * these members are emulated. F6/F7 /1 is an undocumented TEST alias, /4-/7
 * are MUL/IMUL/DIV/IDIV; FF /2-/6 are CALL/JMP/PUSH.
 */
static bool group_member_ok(const struct emu_insn *insn)
{
	unsigned sub = emu_modrm_reg(insn->modrm);

	if (insn->two_byte) {
		if (insn->opcode == 0xBA)
			return sub >= 4; /* BT, BTS, BTR, BTC */
		if (insn->opcode == 0xC7)
			return sub == 1; /* CMPXCHG8B */
		return true;
	}
	switch (insn->opcode) {
	case 0xC6:
	case 0xC7: /* MOV */
		return sub == 0;
	case 0xF6:
	case 0xF7: /* TEST, NOT, NEG */
		return sub == 0 || sub == 2 || sub == 3;
	case 0xFE:
	case 0xFF: /* INC, DEC */
		return sub <= 1;
	default:
		return true;
	}
}

/* Reading instruction bytes, at most EMU_MAX_INSN_LEN of them. */
struct fetcher {
	const struct emu_ops *ops;
	uint64_t start; /* linear address of the first byte */
	bool wrap32;    /* linear addresses wrap at 4 GiB outside 64-bit mode */
	struct emu_result *res;
	unsigned pos; /* next byte to hand out */
};

static uint64_t fetch_linear(const struct fetcher *f, unsigned pos)
{
	uint64_t lin = f->start + pos;
	return f->wrap32 ? (lin & MASK32) : lin;
}

/*
 * Make res->bytes[pos] valid. Bytes are fetched in chunks up to the end of
 * the page (one guest walk for most instructions), falling back to one
 * byte when the chunk fails, so an instruction that ends just before an
 * unmapped page still decodes.
 */
static enum emu_status fill(struct fetcher *f, unsigned pos)
{
	struct emu_result *res = f->res;
	uint64_t lin;
	unsigned len;

	if (pos < res->nbytes)
		return EMU_OK;
	lin = fetch_linear(f, res->nbytes);
	len = (unsigned)(PAGE_SIZE_4K - (lin & (PAGE_SIZE_4K - 1)));
	if (len > EMU_MAX_INSN_LEN - res->nbytes)
		len = EMU_MAX_INSN_LEN - res->nbytes;
	if (!f->ops->fetch(f->ops->ctx, lin, &res->bytes[res->nbytes], len)) {
		len = 1;
		if (!f->ops->fetch(f->ops->ctx, lin, &res->bytes[res->nbytes], len)) {
			emu_what_set(res, "instruction fetch failed");
			return EMU_FETCH_FAILED;
		}
	}
	res->nbytes += len;
	return EMU_OK;
}

static enum emu_status next_byte(struct fetcher *f, uint8_t *out)
{
	enum emu_status st;

	if (f->pos >= EMU_MAX_INSN_LEN) {
		emu_what_set(f->res, "longer than 15 bytes");
		return EMU_UNSUPPORTED;
	}
	st = fill(f, f->pos);
	if (st != EMU_OK)
		return st;
	*out = f->res->bytes[f->pos++];
	return EMU_OK;
}

/* Little-endian, `n` bytes, sign-extended to 64 bits when `sign`. */
static enum emu_status next_le(struct fetcher *f, unsigned n, bool sign, uint64_t *out)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++) {
		uint8_t b;
		enum emu_status st = next_byte(f, &b);
		if (st != EMU_OK)
			return st;
		v |= (uint64_t)b << (8 * i);
	}
	if (sign && n < 8 && (v >> (8 * n - 1)) & 1)
		v |= ~0ull << (8 * n);
	*out = v;
	return EMU_OK;
}

static int seg_of_prefix(uint8_t b)
{
	switch (b) {
	case 0x26:
		return EMU_SEG_ES;
	case 0x2E:
		return EMU_SEG_CS;
	case 0x36:
		return EMU_SEG_SS;
	case 0x3E:
		return EMU_SEG_DS;
	case 0x64:
		return EMU_SEG_FS;
	case 0x65:
		return EMU_SEG_GS;
	default:
		return -1;
	}
}

/* Record one legacy prefix; false if `b` is not one. */
static bool take_legacy_prefix(struct emu_insn *insn, uint8_t b)
{
	int seg = seg_of_prefix(b);

	if (seg >= 0)
		insn->seg_override = seg;
	else if (b == 0x66)
		insn->opsize_prefix = true;
	else if (b == 0x67)
		insn->addrsize_prefix = true;
	else if (b == 0xF0)
		insn->lock = true;
	else if (b == 0xF3)
		insn->rep = true;
	else if (b == 0xF2)
		insn->repne = true;
	else
		return false;
	return true;
}

/*
 * Prefixes, then the opcode byte(s). A REX prefix counts only when it is
 * the last prefix before the opcode (§2.2.1); 40-4F are INC/DEC outside
 * 64-bit mode and so are opcodes there.
 */
static enum emu_status decode_prefixes_opcode(struct fetcher *f, bool mode64, struct emu_insn *insn)
{
	uint8_t b;
	enum emu_status st;

	for (;;) {
		st = next_byte(f, &b);
		if (st != EMU_OK)
			return st;
		if (mode64 && (b & 0xF0) == 0x40) {
			insn->rex = b;
			continue;
		}
		if (!take_legacy_prefix(insn, b))
			break;
		insn->rex = 0;
	}
	if (b == 0x0F) {
		insn->two_byte = true;
		st = next_byte(f, &b);
		if (st != EMU_OK)
			return st;
	}
	insn->opcode = b;
	return EMU_OK;
}

static void what_opcode(struct emu_result *res, const struct emu_insn *insn)
{
	emu_what_set(res, "opcode not emulated:");
	if (insn->two_byte)
		emu_what_append_hex8(res, 0x0F);
	emu_what_append_hex8(res, insn->opcode);
}

/* Operand and address sizes (§2.2.1.2 table 2-4, §3.6 of Vol. 1). */
static enum emu_status decide_sizes(bool mode64, unsigned shape, struct emu_insn *insn,
                                    struct emu_result *res)
{
	if (shape & SH_BYTE)
		insn->opsize = 1;
	else if (mode64 && (insn->rex & EMU_REX_W))
		insn->opsize = 8;
	else if (insn->opsize_prefix)
		insn->opsize = 2;
	else
		insn->opsize = 4;

	if (mode64) {
		insn->addrsize = insn->addrsize_prefix ? 4 : 8;
	} else if (insn->addrsize_prefix) {
		emu_what_set(res, "16-bit addressing");
		return EMU_UNSUPPORTED;
	} else {
		insn->addrsize = 4;
	}
	return EMU_OK;
}

/*
 * The SIB byte (§2.1.5 table 2-3): index 100 without REX.X means no index;
 * base 101 with mod 00 means no base and a disp32 (also with REX.B).
 */
static enum emu_status decode_sib(struct fetcher *f, struct emu_insn *insn, unsigned mod,
                                  bool *disp32)
{
	uint8_t sib;
	unsigned index, base;
	enum emu_status st = next_byte(f, &sib);

	if (st != EMU_OK)
		return st;
	index = emu_sib_index(sib) | ((insn->rex & EMU_REX_X) ? 8 : 0);
	base = emu_sib_base(sib) | ((insn->rex & EMU_REX_B) ? 8 : 0);
	insn->scale = 1u << emu_sib_scale(sib);
	insn->index = index == 4 ? EMU_NO_REG : (int)index;
	if (emu_sib_base(sib) == 5 && mod == 0) {
		insn->base = EMU_NO_REG;
		*disp32 = true;
	} else {
		insn->base = (int)base;
	}
	return EMU_OK;
}

/* ModRM with a memory operand, SIB and displacement (§2.1.5, §2.2.1.6 for RIP-relative). */
static enum emu_status decode_modrm(struct fetcher *f, bool mode64, struct emu_insn *insn,
                                    struct emu_result *res)
{
	enum emu_status st = next_byte(f, &insn->modrm);
	unsigned mod, rm;
	bool disp32 = false;
	uint64_t disp = 0;

	if (st != EMU_OK)
		return st;
	mod = emu_modrm_mod(insn->modrm);
	rm = emu_modrm_rm(insn->modrm);
	insn->has_modrm = true;
	insn->reg = emu_modrm_reg(insn->modrm) | ((insn->rex & EMU_REX_R) ? 8 : 0);
	if (mod == 3) {
		emu_what_set(res, "register operand, not a memory access");
		return EMU_UNSUPPORTED;
	}
	insn->has_mem = true;
	insn->base = EMU_NO_REG;
	insn->index = EMU_NO_REG;
	insn->scale = 1;
	if (rm == 4) {
		st = decode_sib(f, insn, mod, &disp32);
		if (st != EMU_OK)
			return st;
	} else if (rm == 5 && mod == 0) {
		insn->rip_relative = mode64; /* disp32 alone outside 64-bit mode */
		disp32 = true;
	} else {
		insn->base = (int)(rm | ((insn->rex & EMU_REX_B) ? 8 : 0));
	}
	if (mod == 1)
		st = next_le(f, 1, true, &disp);
	else if (mod == 2 || disp32)
		st = next_le(f, 4, true, &disp);
	insn->disp = (int64_t)disp;
	return st;
}

/* The default segment: SS for rSP/rBP-based addresses, DS otherwise (Vol. 1 §3.7.4). */
static int default_seg(const struct emu_insn *insn)
{
	if (insn->seg_override != EMU_SEG_NONE)
		return insn->seg_override;
	if (insn->base == 4 || insn->base == 5)
		return EMU_SEG_SS;
	return EMU_SEG_DS;
}

/* Checks after the opcode is known: prefixes that the instruction does not allow. */
static enum emu_status check_prefixes(bool mode64, unsigned shape, const struct emu_insn *insn,
                                      struct emu_result *res)
{
	if ((shape & SH_ONLY64) && !mode64) {
		what_opcode(res, insn); /* 63 is ARPL outside 64-bit mode */
		return EMU_UNSUPPORTED;
	}
	if (insn->repne || (insn->rep && !(shape & SH_STRING))) {
		emu_what_set(res, "REP/REPNE prefix not emulated here");
		return EMU_UNSUPPORTED;
	}
	if (insn->lock && !(shape & SH_MODRM)) {
		emu_what_set(res, "LOCK prefix not allowed");
		return EMU_UNSUPPORTED;
	}
	return EMU_OK;
}

static enum emu_status decode_immediate(struct fetcher *f, unsigned shape, struct emu_insn *insn)
{
	if (shape & SH_IMM8)
		return next_le(f, 1, true, &insn->imm);
	if (shape & SH_IMMZ)
		return next_le(f, insn->opsize == 2 ? 2 : 4, true, &insn->imm);
	if (shape & SH_MOFFS)
		return next_le(f, insn->addrsize, false, &insn->imm);
	return EMU_OK;
}

static void decide_srcsize(struct emu_insn *insn)
{
	insn->srcsize = insn->opsize;
	if (!insn->two_byte && insn->opcode == 0x63)
		insn->srcsize = insn->opsize < 4 ? insn->opsize : 4; /* MOVSXD r16 reads 16 bits */
	else if (insn->two_byte && (insn->opcode == 0xB6 || insn->opcode == 0xBE))
		insn->srcsize = 1;
	else if (insn->two_byte && (insn->opcode == 0xB7 || insn->opcode == 0xBF))
		insn->srcsize = 2;
}

static enum emu_status decode_operands(struct fetcher *f, bool mode64, unsigned shape,
                                       struct emu_insn *insn, struct emu_result *res)
{
	enum emu_status st;

	if (shape & SH_MODRM) {
		st = decode_modrm(f, mode64, insn, res);
		if (st != EMU_OK)
			return st;
		if (!group_member_ok(insn)) {
			what_opcode(res, insn);
			emu_what_append(res, " /");
			emu_what_append_hex8(res, (uint8_t)emu_modrm_reg(insn->modrm));
			return EMU_UNSUPPORTED;
		}
	}
	if (shape & SH_MOFFS)
		insn->has_mem = true;
	/* Of group F6/F7 only TEST (/0) has an immediate. */
	if (!insn->two_byte && (insn->opcode & 0xFE) == 0xF6 && emu_modrm_reg(insn->modrm) != 0)
		shape &= ~(SH_IMM8 | SH_IMMZ);
	st = decode_immediate(f, shape, insn);
	if (st != EMU_OK)
		return st;
	insn->seg = default_seg(insn);
	decide_srcsize(insn);
	return EMU_OK;
}

enum emu_status emu_decode(const struct emu_cpu *cpu, const struct emu_ops *ops,
                           struct emu_insn *insn, struct emu_result *res)
{
	bool mode64 = cpu->mode == EMU_MODE_64;
	/* CS base is treated as 0 in 64-bit mode (Vol. 3A §3.4.4). */
	struct fetcher f = {
	    .ops = ops,
	    .start = mode64 ? cpu->rip : cpu->cs_base + cpu->rip,
	    .wrap32 = !mode64,
	    .res = res,
	};
	unsigned shape;
	enum emu_status st;

	__builtin_memset(insn, 0, sizeof(*insn));
	insn->seg_override = EMU_SEG_NONE;
	insn->base = EMU_NO_REG;
	insn->index = EMU_NO_REG;
	if (cpu->mode != EMU_MODE_32 && !mode64) {
		emu_what_set(res, "CPU mode not emulated");
		return EMU_UNSUPPORTED;
	}
	st = decode_prefixes_opcode(&f, mode64, insn);
	if (st != EMU_OK)
		return st;
	shape = insn->two_byte ? shape_two_byte(insn->opcode) : shape_one_byte(insn->opcode);
	if (shape == 0) {
		what_opcode(res, insn);
		return EMU_UNSUPPORTED;
	}
	st = check_prefixes(mode64, shape, insn, res);
	if (st == EMU_OK)
		st = decide_sizes(mode64, shape, insn, res);
	if (st == EMU_OK)
		st = decode_operands(&f, mode64, shape, insn, res);
	if (st != EMU_OK)
		return st;
	insn->length = f.pos;
	return EMU_OK;
}

static uint64_t seg_base(const struct emu_cpu *cpu, int seg)
{
	switch (seg) {
	case EMU_SEG_FS:
		return cpu->fs_base;
	case EMU_SEG_GS:
		return cpu->gs_base;
	default:
		break;
	}
	if (cpu->mode == EMU_MODE_64)
		return 0; /* ES, CS, SS, DS bases are ignored in 64-bit mode (Vol. 1 §3.3.7.1) */
	switch (seg) {
	case EMU_SEG_ES:
		return cpu->es_base;
	case EMU_SEG_CS:
		return cpu->cs_base;
	case EMU_SEG_SS:
		return cpu->ss_base;
	default:
		return cpu->ds_base;
	}
}

uint64_t emu_linear(const struct emu_cpu *cpu, int seg, uint64_t ea)
{
	uint64_t lin = seg_base(cpu, seg) + ea;

	return cpu->mode == EMU_MODE_64 ? lin : (lin & MASK32);
}

uint64_t emu_operand_ea(const struct emu_cpu *cpu, const struct emu_insn *insn)
{
	uint64_t ea;

	if (!insn->has_modrm) {
		ea = insn->imm; /* moffs */
	} else if (insn->rip_relative) {
		/* Relative to the next instruction (Vol. 2 §2.2.1.6). */
		ea = cpu->rip + insn->length + (uint64_t)insn->disp;
	} else {
		ea = (uint64_t)insn->disp;
		if (insn->base != EMU_NO_REG)
			ea += cpu->gpr[insn->base];
		if (insn->index != EMU_NO_REG)
			ea += cpu->gpr[insn->index] * insn->scale;
	}
	if (insn->addrsize == 4)
		ea &= MASK32;
	return ea;
}

uint64_t emu_operand_linear(const struct emu_cpu *cpu, const struct emu_insn *insn)
{
	return emu_linear(cpu, insn->seg, emu_operand_ea(cpu, insn));
}

void emu_what_set(struct emu_result *res, const char *s)
{
	res->what[0] = '\0';
	emu_what_append(res, s);
}

void emu_what_append(struct emu_result *res, const char *s)
{
	unsigned n = 0;

	while (n < sizeof(res->what) - 1 && res->what[n])
		n++;
	while (n < sizeof(res->what) - 1 && *s)
		res->what[n++] = *s++;
	res->what[n] = '\0';
}

void emu_what_append_hex8(struct emu_result *res, uint8_t byte)
{
	static const char digits[] = "0123456789abcdef";
	char s[4] = {' ', digits[byte >> 4], digits[byte & 15], '\0'};

	emu_what_append(res, s);
}
