/*
 * The execution half of the instruction emulator (vmx/emulate.h): performs
 * a decoded instruction on a copy of the vCPU state, with the memory
 * operand through the callbacks, and commits the copy only when every
 * access succeeded. Semantics and flags from the Intel SDM Vol. 2
 * instruction pages and Vol. 1 appendix A (EFLAGS cross-reference).
 */
#include "vmx/emul/emulate.h"

#include "vmx/emul/alu.h"
#include "vmx/emul/decode.h"

#define MASK32 0xFFFFFFFFull

/*
 * Registers. Without REX, byte registers 4-7 are AH, CH, DH, BH (Vol. 1
 * §3.4.1.1, Vol. 2 table 2-2); a 32-bit write zero-extends to 64 bits
 * (done in both modes: legacy mode leaves the upper half undefined), and
 * 8/16-bit writes keep the rest of the register.
 */
static bool is_high_byte(const struct emu_insn *insn, unsigned reg, unsigned size)
{
	return size == 1 && insn->rex == 0 && reg >= 4 && reg < 8;
}

static uint64_t reg_read(const struct emu_cpu *cpu, const struct emu_insn *insn, unsigned reg,
                         unsigned size)
{
	if (is_high_byte(insn, reg, size))
		return (cpu->gpr[reg - 4] >> 8) & 0xFF;
	return cpu->gpr[reg] & emu_size_mask(size);
}

static void reg_write(struct emu_cpu *cpu, const struct emu_insn *insn, unsigned reg, unsigned size,
                      uint64_t value)
{
	uint64_t *r = &cpu->gpr[reg];

	if (is_high_byte(insn, reg, size)) {
		r = &cpu->gpr[reg - 4];
		*r = (*r & ~0xFF00ull) | ((value & 0xFF) << 8);
	} else if (size >= 4) {
		*r = value & emu_size_mask(size);
	} else {
		*r = (*r & ~emu_size_mask(size)) | (value & emu_size_mask(size));
	}
}

/* Everything an instruction handler works with. */
struct exec {
	struct emu_cpu *cpu; /* the working copy */
	const struct emu_ops *ops;
	const struct emu_insn *insn;
	struct emu_result *res;
	int seg;     /* the memory operand (ModRM or moffs forms): its segment ... */
	uint64_t ea; /* ... and offset */
};

#define VEC_SS 12
#define VEC_GP 13

static bool canonical(uint64_t lin)
{
	return (uint64_t)((int64_t)(lin << 16) >> 16) == lin;
}

/* An access of `size` bytes at seg:ea within the segment (SDM Vol. 3A §5.3:
 * expand-up offsets up to the limit; expand-down offsets above it, up to 4 GiB
 * or 64 KiB by the B flag) or, in 64-bit mode, at a canonical address. */
static bool segment_allows(const struct emu_cpu *cpu, int seg, uint64_t ea, unsigned size)
{
	if (!cpu->seg_checks)
		return true;
	if (cpu->mode == EMU_MODE_64)
		return canonical(emu_linear(cpu, seg, ea)) &&
		       canonical(emu_linear(cpu, seg, ea + size - 1));
	if (seg < 0 || seg > EMU_SEG_GS)
		return false;
	uint64_t last = ea + size - 1, limit = cpu->seg_limit[seg];
	if (!(cpu->seg_expand_down & (1u << seg)))
		return last <= limit;
	uint64_t top = seg == EMU_SEG_SS && !cpu->ss_big ? 0xffffull : MASK32;
	return ea > limit && last <= top;
}

static enum emu_status check(struct exec *x, int seg, uint64_t ea, unsigned size, uint64_t *lin)
{
	if (!segment_allows(x->cpu, seg, ea, size)) {
		x->res->fault_vector = seg == EMU_SEG_SS ? VEC_SS : VEC_GP;
		return EMU_FAULT;
	}
	*lin = emu_linear(x->cpu, seg, ea);
	return EMU_OK;
}

/* Memory through the callbacks; values are masked to the access size. */
static enum emu_status mem_read(struct exec *x, int seg, uint64_t ea, unsigned size,
                                uint64_t *value)
{
	uint64_t v = 0, lin;
	enum emu_status st = check(x, seg, ea, size, &lin);

	if (st != EMU_OK)
		return st;
	if (!x->ops->read(x->ops->ctx, lin, size, &v))
		return EMU_ACCESS_FAILED;
	*value = v & emu_size_mask(size);
	return EMU_OK;
}

static enum emu_status mem_write(struct exec *x, int seg, uint64_t ea, unsigned size,
                                 uint64_t value)
{
	uint64_t lin;
	enum emu_status st = check(x, seg, ea, size, &lin);

	if (st != EMU_OK)
		return st;
	if (!x->ops->write(x->ops->ctx, lin, size, value & emu_size_mask(size)))
		return EMU_ACCESS_FAILED;
	return EMU_OK;
}

static void name(struct exec *x, const char *mnemonic)
{
	emu_what_set(x->res, x->insn->lock ? "lock " : "");
	emu_what_append(x->res, x->insn->rep ? "rep " : "");
	emu_what_append(x->res, mnemonic);
}

static enum emu_status refuse(struct exec *x, const char *why)
{
	emu_what_set(x->res, why);
	return EMU_UNSUPPORTED;
}

/* LOCK is #UD except on a read-modify-write of memory (Vol. 2 "LOCK"). */
static enum emu_status check_lock(struct exec *x, bool lockable)
{
	if (x->insn->lock && !lockable)
		return refuse(x, "LOCK prefix not allowed");
	return EMU_OK;
}

/* op r/m, src: memory is the destination (00-31 even columns, 80/81/83). */
static enum emu_status alu_to_mem(struct exec *x, enum alu_op op, uint64_t src)
{
	unsigned size = x->insn->opsize;
	uint64_t a, r;
	enum emu_status st = check_lock(x, op != ALU_CMP);

	if (st != EMU_OK)
		return st;
	name(x, emu_alu_names[op]);
	st = mem_read(x, x->seg, x->ea, size, &a);
	if (st != EMU_OK)
		return st;
	r = emu_alu(op, size, a, src, &x->cpu->rflags);
	if (op == ALU_CMP)
		return EMU_OK;
	return mem_write(x, x->seg, x->ea, size, r);
}

/* op reg, r/m: the register is the destination (02-3B odd pairs). */
static enum emu_status alu_to_reg(struct exec *x, enum alu_op op)
{
	const struct emu_insn *insn = x->insn;
	uint64_t b, r;
	enum emu_status st = check_lock(x, false);

	if (st != EMU_OK)
		return st;
	name(x, emu_alu_names[op]);
	st = mem_read(x, x->seg, x->ea, insn->opsize, &b);
	if (st != EMU_OK)
		return st;
	r = emu_alu(op, insn->opsize, reg_read(x->cpu, insn, insn->reg, insn->opsize), b,
	            &x->cpu->rflags);
	if (op != ALU_CMP)
		reg_write(x->cpu, insn, insn->reg, insn->opsize, r);
	return EMU_OK;
}

static enum emu_status exec_alu_modrm(struct exec *x)
{
	const struct emu_insn *insn = x->insn;
	enum alu_op op = (enum alu_op)(insn->opcode >> 3);

	if (insn->opcode & 2)
		return alu_to_reg(x, op);
	return alu_to_mem(x, op, reg_read(x->cpu, insn, insn->reg, insn->opsize));
}

/* TEST: AND without storing the result. */
static enum emu_status exec_test(struct exec *x, uint64_t src)
{
	uint64_t a;
	enum emu_status st = check_lock(x, false);

	if (st != EMU_OK)
		return st;
	name(x, "test");
	st = mem_read(x, x->seg, x->ea, x->insn->opsize, &a);
	if (st != EMU_OK)
		return st;
	emu_alu(ALU_AND, x->insn->opsize, a, src, &x->cpu->rflags);
	return EMU_OK;
}

/* INC/DEC (FE/FF /0 /1): ADD/SUB 1 that leave CF alone. */
static enum emu_status exec_inc_dec(struct exec *x)
{
	bool dec = emu_modrm_reg(x->insn->modrm) == 1;
	uint64_t cf = x->cpu->rflags & EMU_FLAG_CF;
	uint64_t a, r;
	enum emu_status st;

	name(x, dec ? "dec" : "inc");
	st = mem_read(x, x->seg, x->ea, x->insn->opsize, &a);
	if (st != EMU_OK)
		return st;
	r = emu_alu(dec ? ALU_SUB : ALU_ADD, x->insn->opsize, a, 1, &x->cpu->rflags);
	x->cpu->rflags = (x->cpu->rflags & ~EMU_FLAG_CF) | cf;
	return mem_write(x, x->seg, x->ea, x->insn->opsize, r);
}

/* NOT (no flags) and NEG (flags of 0 - x: CF set unless x is 0), F6/F7 /2 /3. */
static enum emu_status exec_not_neg(struct exec *x)
{
	bool neg = emu_modrm_reg(x->insn->modrm) == 3;
	uint64_t a, r;
	enum emu_status st;

	name(x, neg ? "neg" : "not");
	st = mem_read(x, x->seg, x->ea, x->insn->opsize, &a);
	if (st != EMU_OK)
		return st;
	r = neg ? emu_alu(ALU_SUB, x->insn->opsize, 0, a, &x->cpu->rflags) : ~a;
	return mem_write(x, x->seg, x->ea, x->insn->opsize, r);
}

/* F6/F7: TEST imm (/0), NOT (/2), NEG (/3); the decoder refused the rest. */
static enum emu_status exec_group3(struct exec *x)
{
	if (emu_modrm_reg(x->insn->modrm) == 0)
		return exec_test(x, x->insn->imm);
	return exec_not_neg(x);
}

static enum emu_status exec_store(struct exec *x, uint64_t value)
{
	enum emu_status st = check_lock(x, false);

	if (st != EMU_OK)
		return st;
	name(x, "mov");
	return mem_write(x, x->seg, x->ea, x->insn->opsize, value);
}

/* MOV/MOVZX/MOVSX/MOVSXD reg, mem: read srcsize bytes, extend to opsize. */
static enum emu_status exec_load(struct exec *x, unsigned reg, bool sign, const char *mnemonic)
{
	const struct emu_insn *insn = x->insn;
	uint64_t v;
	enum emu_status st = check_lock(x, false);

	if (st != EMU_OK)
		return st;
	name(x, mnemonic);
	st = mem_read(x, x->seg, x->ea, insn->srcsize, &v);
	if (st != EMU_OK)
		return st;
	if (sign)
		v = emu_sign_extend(v, insn->srcsize);
	reg_write(x->cpu, insn, reg, insn->opsize, v);
	return EMU_OK;
}

/* XCHG mem, reg: locked on hardware whether or not LOCK is given. */
static enum emu_status exec_xchg(struct exec *x)
{
	const struct emu_insn *insn = x->insn;
	uint64_t old;
	enum emu_status st;

	name(x, "xchg");
	st = mem_read(x, x->seg, x->ea, insn->opsize, &old);
	if (st == EMU_OK)
		st = mem_write(x, x->seg, x->ea, insn->opsize,
		               reg_read(x->cpu, insn, insn->reg, insn->opsize));
	if (st == EMU_OK)
		reg_write(x->cpu, insn, insn->reg, insn->opsize, old);
	return st;
}

/*
 * CMPXCHG mem, reg: compare the accumulator with the destination (flags
 * as CMP). Equal: the destination takes reg. Not equal: the accumulator
 * takes the destination, and the destination is written back unchanged,
 * as the processor does (Vol. 2 "CMPXCHG": it always writes).
 */
static enum emu_status exec_cmpxchg(struct exec *x)
{
	const struct emu_insn *insn = x->insn;
	unsigned size = insn->opsize;
	uint64_t dest, acc = reg_read(x->cpu, insn, EMU_RAX, size);
	enum emu_status st;

	name(x, "cmpxchg");
	st = mem_read(x, x->seg, x->ea, size, &dest);
	if (st != EMU_OK)
		return st;
	emu_alu(ALU_CMP, size, acc, dest, &x->cpu->rflags);
	if (acc == dest)
		return mem_write(x, x->seg, x->ea, size, reg_read(x->cpu, insn, insn->reg, size));
	st = mem_write(x, x->seg, x->ea, size, dest);
	if (st == EMU_OK)
		reg_write(x->cpu, insn, EMU_RAX, size, dest);
	return st;
}

/* CMPXCHG8B m64: EDX:EAX against memory; ZF only, other flags unchanged. */
static enum emu_status exec_cmpxchg8b(struct exec *x)
{
	struct emu_cpu *cpu = x->cpu;
	uint64_t expect = (cpu->gpr[EMU_RAX] & MASK32) | (cpu->gpr[EMU_RDX] << 32);
	uint64_t dest;
	enum emu_status st;

	if (x->insn->rex & EMU_REX_W)
		return refuse(x, "cmpxchg16b not emulated");
	name(x, "cmpxchg8b");
	st = mem_read(x, x->seg, x->ea, 8, &dest);
	if (st != EMU_OK)
		return st;
	if (dest == expect) {
		uint64_t src = (cpu->gpr[EMU_RBX] & MASK32) | (cpu->gpr[EMU_RCX] << 32);
		st = mem_write(x, x->seg, x->ea, 8, src);
		if (st == EMU_OK)
			cpu->rflags |= EMU_FLAG_ZF;
		return st;
	}
	st = mem_write(x, x->seg, x->ea, 8, dest);
	if (st != EMU_OK)
		return st;
	cpu->rflags &= ~EMU_FLAG_ZF;
	cpu->gpr[EMU_RAX] = dest & MASK32;
	cpu->gpr[EMU_RDX] = dest >> 32;
	return EMU_OK;
}

/*
 * BT/BTS/BTR/BTC mem, imm8: the bit offset is taken modulo the operand
 * width (Vol. 2 "BT"). CF = the old bit; OF, SF, AF, PF are undefined and
 * left unchanged, ZF is unchanged.
 */
static enum emu_status exec_bt_imm(struct exec *x)
{
	static const char *const names[4] = {"bt", "bts", "btr", "btc"};
	const struct emu_insn *insn = x->insn;
	unsigned sub = emu_modrm_reg(insn->modrm) - 4;
	unsigned size = insn->opsize;
	uint64_t bit = 1ull << (insn->imm & (8 * size - 1));
	uint64_t v, nv;
	enum emu_status st = check_lock(x, sub != 0);

	if (st != EMU_OK)
		return st;
	name(x, names[sub]);
	st = mem_read(x, x->seg, x->ea, size, &v);
	if (st != EMU_OK)
		return st;
	nv = sub == 1 ? (v | bit) : sub == 2 ? (v & ~bit) : (v ^ bit);
	if (sub != 0) {
		st = mem_write(x, x->seg, x->ea, size, nv);
		if (st != EMU_OK)
			return st;
	}
	x->cpu->rflags = (x->cpu->rflags & ~EMU_FLAG_CF) | ((v & bit) ? EMU_FLAG_CF : 0);
	return EMU_OK;
}

/* String instructions: rSI/rDI/rCX sized by the address size (Vol. 1 §7.3.9). */
static uint64_t string_reg(const struct emu_cpu *cpu, const struct emu_insn *insn, unsigned reg)
{
	return cpu->gpr[reg] & emu_size_mask(insn->addrsize);
}

static void string_advance(struct emu_cpu *cpu, const struct emu_insn *insn, unsigned reg)
{
	uint64_t step = (cpu->rflags & EMU_FLAG_DF) ? -(uint64_t)insn->opsize : insn->opsize;

	reg_write(cpu, insn, reg, insn->addrsize, string_reg(cpu, insn, reg) + step);
}

/* One STOS or MOVS iteration; source DS (overridable), destination ES (not). */
static enum emu_status string_once(struct exec *x, bool movs)
{
	struct emu_cpu *cpu = x->cpu;
	const struct emu_insn *insn = x->insn;
	uint64_t v = cpu->gpr[EMU_RAX];
	enum emu_status st;

	if (movs) {
		st = mem_read(x, insn->seg, string_reg(cpu, insn, EMU_RSI), insn->opsize, &v);
		if (st != EMU_OK)
			return st;
	}
	st = mem_write(x, EMU_SEG_ES, string_reg(cpu, insn, EMU_RDI), insn->opsize, v);
	if (st != EMU_OK)
		return st;
	if (movs)
		string_advance(cpu, insn, EMU_RSI);
	string_advance(cpu, insn, EMU_RDI);
	return EMU_OK;
}

/*
 * With REP, at most EMU_REP_BUDGET iterations per call; if rCX is still
 * non-zero the instruction is left unfinished (rip not advanced) and the
 * guest re-executes it, as after an interrupt in the middle of a REP.
 */
static enum emu_status exec_string(struct exec *x, bool movs, bool *finished)
{
	struct emu_cpu *cpu = x->cpu;
	const struct emu_insn *insn = x->insn;
	unsigned budget = EMU_REP_BUDGET;

	name(x, movs ? "movs" : "stos");
	if (!insn->rep)
		return string_once(x, movs);
	while (string_reg(cpu, insn, EMU_RCX) != 0) {
		enum emu_status st;
		if (budget-- == 0) {
			*finished = false;
			return EMU_OK;
		}
		st = string_once(x, movs);
		if (st != EMU_OK)
			return st;
		reg_write(cpu, insn, EMU_RCX, insn->addrsize, string_reg(cpu, insn, EMU_RCX) - 1);
	}
	return EMU_OK;
}

static enum emu_status exec_two_byte(struct exec *x)
{
	const struct emu_insn *insn = x->insn;

	switch (insn->opcode) {
	case 0xB0:
	case 0xB1:
		return exec_cmpxchg(x);
	case 0xB6:
	case 0xB7:
		return exec_load(x, insn->reg, false, "movzx");
	case 0xBE:
	case 0xBF:
		return exec_load(x, insn->reg, true, "movsx");
	case 0xBA:
		return exec_bt_imm(x);
	case 0xC7:
		return exec_cmpxchg8b(x);
	default:
		return refuse(x, "opcode not emulated");
	}
}

static enum emu_status exec_one_byte(struct exec *x, bool *finished)
{
	const struct emu_insn *insn = x->insn;
	uint8_t op = insn->opcode;

	if (op < 0x40)
		return exec_alu_modrm(x);
	switch (op) {
	case 0x63:
		return exec_load(x, insn->reg, true, "movsxd");
	case 0x80:
	case 0x81:
	case 0x83:
		return alu_to_mem(x, (enum alu_op)emu_modrm_reg(insn->modrm), insn->imm);
	case 0x84:
	case 0x85:
		return exec_test(x, reg_read(x->cpu, insn, insn->reg, insn->opsize));
	case 0x86:
	case 0x87:
		return exec_xchg(x);
	case 0x88:
	case 0x89:
		return exec_store(x, reg_read(x->cpu, insn, insn->reg, insn->opsize));
	case 0x8A:
	case 0x8B:
		return exec_load(x, insn->reg, false, "mov");
	case 0xA0:
	case 0xA1:
		return exec_load(x, EMU_RAX, false, "mov");
	case 0xA2:
	case 0xA3:
		return exec_store(x, x->cpu->gpr[EMU_RAX]);
	case 0xA4:
	case 0xA5:
		return exec_string(x, true, finished);
	case 0xAA:
	case 0xAB:
		return exec_string(x, false, finished);
	case 0xC6:
	case 0xC7:
		return exec_store(x, insn->imm);
	case 0xF6:
	case 0xF7:
		return exec_group3(x);
	case 0xFE:
	case 0xFF:
		return exec_inc_dec(x);
	default:
		return refuse(x, "opcode not emulated");
	}
}

static bool is_string(const struct emu_insn *insn)
{
	return !insn->two_byte && (insn->opcode == 0xA4 || insn->opcode == 0xA5 ||
	                           insn->opcode == 0xAA || insn->opcode == 0xAB);
}

enum emu_status emu_step(struct emu_cpu *cpu, const struct emu_ops *ops, struct emu_result *res)
{
	struct emu_insn insn;
	struct emu_cpu next;
	struct exec x = {.cpu = &next, .ops = ops, .insn = &insn, .res = res};
	bool finished = true;
	enum emu_status st;

	__builtin_memset(res, 0, sizeof(*res));
	st = emu_decode(cpu, ops, &insn, res);
	if (st == EMU_OK) {
		res->length = insn.length;
		next = *cpu;
		if (insn.has_mem) {
			x.seg = insn.seg;
			x.ea = emu_operand_ea(cpu, &insn);
		}
		st = insn.two_byte ? exec_two_byte(&x) : exec_one_byte(&x, &finished);
		/* A string instruction keeps the iterations that completed. */
		if (st == EMU_OK || is_string(&insn))
			*cpu = next;
		if (st == EMU_OK && finished) {
			cpu->rip += insn.length;
			if (cpu->mode != EMU_MODE_64)
				cpu->rip &= MASK32;
		}
	}
	res->status = st;
	return st;
}

const char *emu_status_name(enum emu_status status)
{
	switch (status) {
	case EMU_OK:
		return "ok";
	case EMU_UNSUPPORTED:
		return "unsupported";
	case EMU_FETCH_FAILED:
		return "fetch failed";
	case EMU_ACCESS_FAILED:
		return "access failed";
	case EMU_FAULT:
		return "segment fault";
	}
	return "unknown";
}
