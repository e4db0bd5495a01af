/*
 * Arithmetic of the instruction emulator: operand-size masks, sign
 * extension, and the eight ALU operations of opcodes 00-3F / 80-83 with the
 * arithmetic flags they set (CF PF AF ZF SF OF).
 */
#ifndef VMX_EMUL_ALU_H
#define VMX_EMUL_ALU_H

#include <stdint.h>

/* The order of the ModRM reg field in 80-83 /r and of opcode bits 5:3. */
enum alu_op { ALU_ADD, ALU_OR, ALU_ADC, ALU_SBB, ALU_AND, ALU_SUB, ALU_XOR, ALU_CMP };

extern const char *const emu_alu_names[8];

uint64_t emu_size_mask(unsigned size);
uint64_t emu_sign_bit(unsigned size);
uint64_t emu_sign_extend(uint64_t v, unsigned size);

/* One ALU operation on `size`-byte operands; updates the arithmetic flags
 * in *rflags. AND/OR/XOR clear CF and OF; their AF is undefined and set to
 * 0, as the processors we run on do. */
uint64_t emu_alu(enum alu_op op, unsigned size, uint64_t a, uint64_t b, uint64_t *rflags);

#endif
