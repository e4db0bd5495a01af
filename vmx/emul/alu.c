/*
 * The emulator's arithmetic (vmx/emul/alu.h): operand sizes and the
 * arithmetic flags, from the Intel SDM Vol. 2 instruction pages and Vol. 1
 * appendix A (EFLAGS cross-reference).
 */
#include "vmx/emul/alu.h"

#include "vmx/emul/emulate.h"

const char *const emu_alu_names[8] = {"add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"};

uint64_t emu_size_mask(unsigned size)
{
	return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

uint64_t emu_sign_bit(unsigned size)
{
	return 1ull << (8 * size - 1);
}

uint64_t emu_sign_extend(uint64_t v, unsigned size)
{
	v &= emu_size_mask(size);
	return (v & emu_sign_bit(size)) ? (v | ~emu_size_mask(size)) : v;
}

/* Flags. PF: even parity of the low byte of the result. */
static uint64_t parity_flag(uint64_t r)
{
	uint8_t b = (uint8_t)r;

	b ^= b >> 4;
	b ^= b >> 2;
	b ^= b >> 1;
	return (b & 1) ? 0 : EMU_FLAG_PF;
}

static uint64_t result_flags(uint64_t r, unsigned size)
{
	uint64_t f = parity_flag(r);

	if ((r & emu_size_mask(size)) == 0)
		f |= EMU_FLAG_ZF;
	if (r & emu_sign_bit(size))
		f |= EMU_FLAG_SF;
	return f;
}

static uint64_t set_arith_flags(uint64_t rflags, uint64_t flags)
{
	return (rflags & ~EMU_FLAGS_ARITH) | flags;
}

/*
 * a + b + carry: the carry out of each bit is maj(a, b, carry-in), which
 * equals (a & b) | ((a | b) & ~r). CF is the carry out of the top bit, AF
 * the carry out of bit 3, OF set when both inputs have the same sign and
 * the result the other.
 */
static uint64_t add_flags(uint64_t a, uint64_t b, uint64_t r, unsigned size)
{
	uint64_t carries = (a & b) | ((a | b) & ~r);
	uint64_t f = result_flags(r, size);

	if (carries & emu_sign_bit(size))
		f |= EMU_FLAG_CF;
	if ((a ^ b ^ r) & 0x10)
		f |= EMU_FLAG_AF;
	if ((a ^ r) & (b ^ r) & emu_sign_bit(size))
		f |= EMU_FLAG_OF;
	return f;
}

/* a - b - borrow: the borrow out of each bit is (~a & b) | ((~a | b) & r). */
static uint64_t sub_flags(uint64_t a, uint64_t b, uint64_t r, unsigned size)
{
	uint64_t borrows = (~a & b) | ((~a | b) & r);
	uint64_t f = result_flags(r, size);

	if (borrows & emu_sign_bit(size))
		f |= EMU_FLAG_CF;
	if ((a ^ b ^ r) & 0x10)
		f |= EMU_FLAG_AF;
	if ((a ^ b) & (a ^ r) & emu_sign_bit(size))
		f |= EMU_FLAG_OF;
	return f;
}

/*
 * One ALU operation on `size`-byte operands; updates the arithmetic flags
 * in *rflags. AND/OR/XOR clear CF and OF; their AF is undefined and set
 * to 0, as the processors we run on do.
 */
uint64_t emu_alu(enum alu_op op, unsigned size, uint64_t a, uint64_t b, uint64_t *rflags)
{
	uint64_t m = emu_size_mask(size);
	uint64_t carry = (*rflags & EMU_FLAG_CF) ? 1 : 0;
	uint64_t r, f;

	a &= m;
	b &= m;
	switch (op) {
	case ALU_ADD:
	case ALU_ADC:
		r = (a + b + (op == ALU_ADC ? carry : 0)) & m;
		f = add_flags(a, b, r, size);
		break;
	case ALU_SUB:
	case ALU_SBB:
	case ALU_CMP:
		r = (a - b - (op == ALU_SBB ? carry : 0)) & m;
		f = sub_flags(a, b, r, size);
		break;
	case ALU_AND:
		r = a & b;
		f = result_flags(r, size);
		break;
	case ALU_OR:
		r = a | b;
		f = result_flags(r, size);
		break;
	default: /* ALU_XOR */
		r = a ^ b;
		f = result_flags(r, size);
		break;
	}
	*rflags = set_arith_flags(*rflags, f);
	return r;
}
