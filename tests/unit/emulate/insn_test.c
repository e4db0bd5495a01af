/*
 * Each supported instruction with its operand sizes: the access it makes
 * at (%rbx) = 0x4013, the register it changes (partial-register rules,
 * zero and sign extension), and the exact flags. Expected flags are worked
 * out by hand here; flags_test.c checks the same ALU against the host CPU.
 */
#include "tests/unit/harness.h"

#include "tests/unit/emulate/case.h"

#define A 0x4013 /* (%rbx) */

/* clang-format off */
static const struct emu_case stores[] = {
	{M64, "movb %al, (%rbx)", {0x88, 0x03}, 2, .in = {IN(RAX, 0x11223344)},
	 .acc = {W(A, 1, 0x44)},
	 .what = "mov"},
	/* without REX, byte registers 4-7 are AH CH DH BH */
	{M64, "movb %ah, (%rbx)", {0x88, 0x23}, 2, .in = {IN(RAX, 0x11223344)},
	 .acc = {W(A, 1, 0x33)}},
	{M64, "movb %ch, (%rbx)", {0x88, 0x2b}, 2, .acc = {W(A, 1, 0x20)}},
	{M64, "movb %dh, (%rbx)", {0x88, 0x33}, 2, .acc = {W(A, 1, 0x30)}},
	/* with REX they are SPL BPL SIL DIL */
	{M64, "movb %sil, (%rbx)", {0x40, 0x88, 0x33}, 3, .acc = {W(A, 1, 0x16)}},
	{M64, "movb %bpl, (%rbx)", {0x40, 0x88, 0x2b}, 3, .acc = {W(A, 1, 0x15)}},
	{M64, "movb %r9b, (%rbx)", {0x44, 0x88, 0x0b}, 3, .acc = {W(A, 1, 0x19)}},
	{M64, "movw %ax, (%rbx)", {0x66, 0x89, 0x03}, 3, .in = {IN(RAX, 0x11223344)},
	 .acc = {W(A, 2, 0x3344)}},
	{M64, "movl %eax, (%rbx)", {0x89, 0x03}, 2, .in = {IN(RAX, 0x1122334455667788ull)},
	 .acc = {W(A, 4, 0x55667788)}},
	{M64, "movq %rax, (%rbx)", {0x48, 0x89, 0x03}, 3, .in = {IN(RAX, 0x1122334455667788ull)},
	 .acc = {W(A, 8, 0x1122334455667788ull)}},
	{M64, "movq %r15, (%rbx)", {0x4c, 0x89, 0x3b}, 3, .acc = {W(A, 8, 0x1001f)}},
	{M64, "movw %r10w, (%rbx)", {0x66, 0x44, 0x89, 0x13}, 4, .acc = {W(A, 2, 0xb01a)}},
	/* flags are not touched */
	{M64, "movl %eax, (%rbx)", {0x89, 0x03}, 2, .flags_in = CF | ZF | OF,
	 .acc = {W(A, 4, 0x1010)}},
	/* a REX prefix followed by a legacy prefix is ignored: this is a 16-bit store */
	{M64, ".byte 0x48, 0x66, 0x89, 0x03", {0x48, 0x66, 0x89, 0x03}, 4,
	 .acc = {W(A, 2, 0x1010)}},
	/* immediates */
	{M64, "movb $0x5a, (%rbx)", {0xc6, 0x03, 0x5a}, 3, .acc = {W(A, 1, 0x5a)}},
	{M64, "movw $0x1234, (%rbx)", {0x66, 0xc7, 0x03, 0x34, 0x12}, 5, .acc = {W(A, 2, 0x1234)}},
	{M64, "movl $0x89abcdef, (%rbx)", {0xc7, 0x03, 0xef, 0xcd, 0xab, 0x89}, 6,
	 .acc = {W(A, 4, 0x89abcdef)}},
	{M64, "movq $-1, (%rbx)", {0x48, 0xc7, 0x03, 0xff, 0xff, 0xff, 0xff}, 7,
	 .acc = {W(A, 8, ~0ull)}},
	{M64, "movq $0x7fffffff, (%rbx)", {0x48, 0xc7, 0x03, 0xff, 0xff, 0xff, 0x7f}, 7,
	 .acc = {W(A, 8, 0x7fffffff)}},
	{M64, "movq $-0x80000000, (%rbx)", {0x48, 0xc7, 0x03, 0x00, 0x00, 0x00, 0x80}, 7,
	 .acc = {W(A, 8, 0xffffffff80000000ull)}},
	{M64, "movw $-2, 0x10(%rbx,%rsi,2)", {0x66, 0xc7, 0x44, 0x73, 0x10, 0xfe, 0xff}, 7,
	 .acc = {W(0x1204f, 2, 0xfffe)}},
	{M32, "movw %cx, (%ebx)", {0x66, 0x89, 0x0b}, 3, .acc = {W(A, 2, 0x2011)}},
	{M32, "movb %ah, (%ebx)", {0x88, 0x23}, 2, .in = {IN(RAX, 0x1234)}, .acc = {W(A, 1, 0x12)}},
	{M32, "movl $0xfffffffe, (%ebx)", {0xc7, 0x03, 0xfe, 0xff, 0xff, 0xff}, 6,
	 .acc = {W(A, 4, 0xfffffffe)}},
	{M32, "movw $0x8001, (%ebx)", {0x66, 0xc7, 0x03, 0x01, 0x80}, 5, .acc = {W(A, 2, 0x8001)}},
	{M32, "movb $0x80, 0x10(%ebx,%esi)", {0xc6, 0x44, 0x33, 0x10, 0x80}, 5,
	 .acc = {W(0xb039, 1, 0x80)}},
};
/* clang-format on */

/* clang-format off */
static const struct emu_case loads[] = {
	/* 8/16-bit writes merge, 32-bit writes zero-extend */
	{M64, "movb (%rbx), %al", {0x8a, 0x03}, 2, .in = {IN(RAX, 0x1122334455667788ull)},
	 .mem = 0xab,
	 .acc = {R(A, 1)}, .out = {OUT(RAX, 0x11223344556677abull)}},
	{M64, "movb (%rbx), %ah", {0x8a, 0x23}, 2, .in = {IN(RAX, 0x1122334455667788ull)},
	 .mem = 0xab,
	 .acc = {R(A, 1)}, .out = {OUT(RAX, 0x112233445566ab88ull)}},
	/* BH is written after RBX was used for the address */
	{M64, "movb (%rbx), %bh", {0x8a, 0x3b}, 2, .mem = 0xab, .acc = {R(A, 1)},
	 .out = {OUT(RBX, 0xab13)}},
	{M64, "movb (%rbx), %ch", {0x8a, 0x2b}, 2, .mem = 0xab, .acc = {R(A, 1)},
	 .out = {OUT(RCX, 0xab11)}},
	{M64, "movb (%rbx), %dil", {0x40, 0x8a, 0x3b}, 3, .mem = 0xab, .acc = {R(A, 1)},
	 .out = {OUT(RDI, 0x80ab)}},
	{M64, "movb (%rbx), %r10b", {0x44, 0x8a, 0x13}, 3, .mem = 0xab, .acc = {R(A, 1)},
	 .out = {OUT(R10, 0xb0ab)}},
	/* the fake returns garbage above the access size: it must be dropped */
	{M64, "movw (%rbx), %ax", {0x66, 0x8b, 0x03}, 3, .in = {IN(RAX, 0x1122334455667788ull)},
	 .mem = 0xffffabcd, .acc = {R(A, 2)}, .out = {OUT(RAX, 0x112233445566abcdull)}},
	{M64, "movl (%rbx), %eax", {0x8b, 0x03}, 2, .in = {IN(RAX, ~0ull)}, .mem = 0x89abcdef,
	 .acc = {R(A, 4)}, .out = {OUT(RAX, 0x89abcdef)}},
	{M64, "movq (%rbx), %rax", {0x48, 0x8b, 0x03}, 3, .mem = 0x8877665544332211ull,
	 .acc = {R(A, 8)},
	 .out = {OUT(RAX, 0x8877665544332211ull)}},
	{M64, "movl (%rbx), %r10d", {0x44, 0x8b, 0x13}, 3, .in = {IN(R10, ~0ull)},
	 .mem = 0x1234abcdffull,
	 .acc = {R(A, 4)}, .out = {OUT(R10, 0x34abcdff)}},
	{M64, "movq (%rbx), %r14", {0x4c, 0x8b, 0x33}, 3, .mem = 0xfedcba9876543210ull,
	 .acc = {R(A, 8)},
	 .out = {OUT(R14, 0xfedcba9876543210ull)}},
	{M64, "movw (%rbx), %r11w", {0x66, 0x44, 0x8b, 0x1b}, 4, .mem = 0x8000, .acc = {R(A, 2)},
	 .out = {OUT(R11, 0x8000)}},
	{M32, "movl (%ebx), %eax", {0x8b, 0x03}, 2, .in = {IN(RAX, 0xffffffff00000000ull)},
	 .mem = 0x12345678, .acc = {R(A, 4)}, .out = {OUT(RAX, 0x12345678)}},
	{M32, "movb (%ebx), %dh", {0x8a, 0x33}, 2, .mem = 0x77, .acc = {R(A, 1)},
	 .out = {OUT(RDX, 0x7712)}},
	{M32, "movw (%ebx), %si", {0x66, 0x8b, 0x33}, 3, .mem = 0xbeef, .acc = {R(A, 2)},
	 .out = {OUT(RSI, 0xbeef)}},
};
/* clang-format on */

/* clang-format off */
static const struct emu_case extends[] = {
	{M64, "movzbl (%rbx), %eax", {0x0f, 0xb6, 0x03}, 3, .in = {IN(RAX, ~0ull)}, .mem = 0x80,
	 .acc = {R(A, 1)}, .out = {OUT(RAX, 0x80)}, .what = "movzx"},
	{M64, "movzbw (%rbx), %ax", {0x66, 0x0f, 0xb6, 0x03}, 4, .in = {IN(RAX, ~0ull)},
	 .mem = 0x80,
	 .acc = {R(A, 1)}, .out = {OUT(RAX, 0xffffffffffff0080ull)}},
	{M64, "movzwl (%rbx), %eax", {0x0f, 0xb7, 0x03}, 3, .in = {IN(RAX, ~0ull)},
	 .mem = 0xffff8001,
	 .acc = {R(A, 2)}, .out = {OUT(RAX, 0x8001)}},
	{M64, "movzbq (%rbx), %r8", {0x4c, 0x0f, 0xb6, 0x03}, 4, .mem = 0xff, .acc = {R(A, 1)},
	 .out = {OUT(R8, 0xff)}},
	{M64, "movzwq (%rbx), %rax", {0x48, 0x0f, 0xb7, 0x03}, 4, .mem = 0xbeef, .acc = {R(A, 2)},
	 .out = {OUT(RAX, 0xbeef)}},
	{M64, "movsbl (%rbx), %eax", {0x0f, 0xbe, 0x03}, 3, .in = {IN(RAX, ~0ull)}, .mem = 0x80,
	 .acc = {R(A, 1)}, .out = {OUT(RAX, 0xffffff80)}, .what = "movsx"},
	{M64, "movsbl (%rbx), %eax", {0x0f, 0xbe, 0x03}, 3, .mem = 0x7f, .acc = {R(A, 1)},
	 .out = {OUT(RAX, 0x7f)}},
	{M64, "movsbw (%rbx), %ax", {0x66, 0x0f, 0xbe, 0x03}, 4,
	 .in = {IN(RAX, 0x1122334455667788ull)}, .mem = 0x80,
	 .acc = {R(A, 1)}, .out = {OUT(RAX, 0x112233445566ff80ull)}},
	{M64, "movsbq (%rbx), %rax", {0x48, 0x0f, 0xbe, 0x03}, 4, .mem = 0x80, .acc = {R(A, 1)},
	 .out = {OUT(RAX, 0xffffffffffffff80ull)}},
	{M64, "movswl (%rbx), %ecx", {0x0f, 0xbf, 0x0b}, 3, .in = {IN(RCX, ~0ull)}, .mem = 0x8000,
	 .acc = {R(A, 2)}, .out = {OUT(RCX, 0xffff8000)}},
	{M64, "movswq (%rbx), %rcx", {0x48, 0x0f, 0xbf, 0x0b}, 4, .mem = 0x7fff, .acc = {R(A, 2)},
	 .out = {OUT(RCX, 0x7fff)}},
	{M64, "movswq (%rbx), %r12", {0x4c, 0x0f, 0xbf, 0x23}, 4, .mem = 0xfffe, .acc = {R(A, 2)},
	 .out = {OUT(R12, 0xfffffffffffffffeull)}},
	{M64, "movslq (%rbx), %rax", {0x48, 0x63, 0x03}, 3, .mem = 0x80000000, .acc = {R(A, 4)},
	 .out = {OUT(RAX, 0xffffffff80000000ull)}, .what = "movsxd"},
	{M64, "movslq (%rbx), %r11", {0x4c, 0x63, 0x1b}, 3, .mem = 0x12345678, .acc = {R(A, 4)},
	 .out = {OUT(R11, 0x12345678)}},
	{M64, "movzbl (%rbx), %ebx", {0x0f, 0xb6, 0x1b}, 3, .mem = 0x42, .acc = {R(A, 1)},
	 .out = {OUT(RBX, 0x42)}},
	{M32, "movzbl (%ebx), %ecx", {0x0f, 0xb6, 0x0b}, 3, .mem = 0xfe, .acc = {R(A, 1)},
	 .out = {OUT(RCX, 0xfe)}},
	{M32, "movsbl (%ebx), %ecx", {0x0f, 0xbe, 0x0b}, 3, .mem = 0xfe, .acc = {R(A, 1)},
	 .out = {OUT(RCX, 0xfffffffe)}},
	{M32, "movswl (%ebx), %edi", {0x0f, 0xbf, 0x3b}, 3, .mem = 0x8000, .acc = {R(A, 2)},
	 .out = {OUT(RDI, 0xffff8000)}},
	{M32, "movzwl (%ebx), %edi", {0x0f, 0xb7, 0x3b}, 3, .mem = 0x8000, .acc = {R(A, 2)},
	 .out = {OUT(RDI, 0x8000)}},
};
/* clang-format on */

/* clang-format off */
static const struct emu_case alu[] = {
	{M64, "addl %eax, (%rbx)", {0x01, 0x03}, 2, .in = {IN(RAX, 1)}, .mem = 0xffffffff,
	 .acc = {R(A, 4), W(A, 4, 0)}, FL(CF | PF | AF | ZF), .what = "add"},
	{M64, "addb $1, (%rbx)", {0x80, 0x03, 0x01}, 3, .mem = 0x7f,
	 .acc = {R(A, 1), W(A, 1, 0x80)},
	 FL(OF | SF | AF)},
	{M64, "addq $-1, (%rbx)", {0x48, 0x83, 0x03, 0xff}, 4, .mem = 1,
	 .acc = {R(A, 8), W(A, 8, 0)},
	 FL(CF | PF | AF | ZF)},
	{M64, "addl $0x12345678, (%rbx)", {0x81, 0x03, 0x78, 0x56, 0x34, 0x12}, 6, .mem = 0,
	 .flags_in = CF | ZF,
	 .acc = {R(A, 4), W(A, 4, 0x12345678)}, FL(PF)},
	{M64, "addw $0x1234, (%rbx)", {0x66, 0x81, 0x03, 0x34, 0x12}, 5, .mem = 0xffff0000,
	 .acc = {R(A, 2), W(A, 2, 0x1234)}, FL(0)},
	{M64, "addl (%rbx), %eax", {0x03, 0x03}, 2, .in = {IN(RAX, 0xffffffff00000001ull)},
	 .mem = 0x7fffffff, .acc = {R(A, 4)}, .out = {OUT(RAX, 0x80000000)},
	 FL(OF | SF | AF | PF)},
	{M64, "addb (%rbx), %ah", {0x02, 0x23}, 2, .in = {IN(RAX, 0x1234)}, .mem = 0xf0,
	 .acc = {R(A, 1)}, .out = {OUT(RAX, 0x0234)}, FL(CF)},
	{M64, "addq %r11, 0x10(%rbx)", {0x4c, 0x01, 0x5b, 0x10}, 4,
	 .in = {IN(R11, 0x8000000000000000ull)},
	 .mem = 0x8000000000000000ull, .acc = {R(A + 0x10, 8), W(A + 0x10, 8, 0)},
	 FL(CF | OF | ZF | PF)},
	{M64, "orb %al, (%rbx)", {0x08, 0x03}, 2, .in = {IN(RAX, 0x0f)}, .mem = 0xf0,
	 .acc = {R(A, 1), W(A, 1, 0xff)}, FL(SF | PF), .what = "or"},
	{M64, "orl (%rbx), %eax", {0x0b, 0x03}, 2, .in = {IN(RAX, 0xffffffff00001010ull)},
	 .mem = 0x80000000, .acc = {R(A, 4)}, .out = {OUT(RAX, 0x80001010)}, FL(SF)},
	{M64, "orw $0x8000, (%rbx)", {0x66, 0x81, 0x0b, 0x00, 0x80}, 5, .mem = 1,
	 .flags_in = CF | OF | AF,
	 .acc = {R(A, 2), W(A, 2, 0x8001)}, FL(SF)},
	{M64, "adcl %eax, (%rbx)", {0x11, 0x03}, 2, .in = {IN(RAX, 0)}, .flags_in = CF,
	 .mem = 0xffffffff, .acc = {R(A, 4), W(A, 4, 0)}, FL(CF | ZF | PF | AF),
	 .what = "adc"},
	{M64, "adcb $0x7f, (%rbx)", {0x80, 0x13, 0x7f}, 3, .flags_in = CF, .mem = 0,
	 .acc = {R(A, 1), W(A, 1, 0x80)}, FL(OF | SF | AF)},
	{M64, "adcl $0, (%rbx)", {0x83, 0x13, 0x00}, 3, .mem = 5,
	 .acc = {R(A, 4), W(A, 4, 5)}, FL(PF)},
	{M64, "sbbl $0, (%rbx)", {0x83, 0x1b, 0x00}, 3, .flags_in = CF, .mem = 0,
	 .acc = {R(A, 4), W(A, 4, 0xffffffff)}, FL(CF | SF | PF | AF), .what = "sbb"},
	{M64, "sbbq (%rbx), %rax", {0x48, 0x1b, 0x03}, 3, .in = {IN(RAX, 5)}, .flags_in = CF,
	 .mem = 5,
	 .acc = {R(A, 8)}, .out = {OUT(RAX, ~0ull)}, FL(CF | SF | PF | AF)},
	{M64, "andl $-16, (%rbx)", {0x83, 0x23, 0xf0}, 3, .mem = 0x12345678,
	 .flags_in = CF | OF | AF,
	 .acc = {R(A, 4), W(A, 4, 0x12345670)}, FL(0), .what = "and"},
	{M64, "andb (%rbx), %cl", {0x22, 0x0b}, 2, .mem = 0x01, .acc = {R(A, 1)},
	 .out = {OUT(RCX, 0x2001)}, FL(0)},
	{M64, "andq %rax, (%rbx)", {0x48, 0x21, 0x03}, 3, .in = {IN(RAX, 0x8000000000000000ull)},
	 .mem = ~0ull,
	 .acc = {R(A, 8), W(A, 8, 0x8000000000000000ull)}, FL(SF | PF)},
	{M64, "andl $0xff00ff00, (%rbx)", {0x81, 0x23, 0x00, 0xff, 0x00, 0xff}, 6,
	 .mem = 0x00ff00ff,
	 .acc = {R(A, 4), W(A, 4, 0)}, FL(ZF | PF)},
	{M64, "subl %eax, (%rbx)", {0x29, 0x03}, 2, .mem = 0x1010, .acc = {R(A, 4), W(A, 4, 0)},
	 FL(ZF | PF), .what = "sub"},
	{M64, "subq (%rbx), %rax", {0x48, 0x2b, 0x03}, 3, .in = {IN(RAX, 0)}, .mem = 1,
	 .acc = {R(A, 8)},
	 .out = {OUT(RAX, ~0ull)}, FL(CF | SF | PF | AF)},
	{M64, "subb %ah, (%rbx)", {0x28, 0x23}, 2, .in = {IN(RAX, 0x0100)}, .mem = 0x80,
	 .acc = {R(A, 1), W(A, 1, 0x7f)}, FL(OF | AF)},
	{M64, "subw $1, (%rbx)", {0x66, 0x83, 0x2b, 0x01}, 4, .mem = 0,
	 .acc = {R(A, 2), W(A, 2, 0xffff)},
	 FL(CF | SF | PF | AF)},
	{M64, "subl $0x80000000, (%rbx)", {0x81, 0x2b, 0x00, 0x00, 0x00, 0x80}, 6, .mem = 0,
	 .acc = {R(A, 4), W(A, 4, 0x80000000)}, FL(CF | SF | OF | PF)},
	{M64, "xorl %eax, (%rbx)", {0x31, 0x03}, 2, .mem = 0x1010, .acc = {R(A, 4), W(A, 4, 0)},
	 FL(ZF | PF), .what = "xor"},
	{M64, "xorq $-1, (%rbx)", {0x48, 0x83, 0x33, 0xff}, 4, .mem = 0,
	 .acc = {R(A, 8), W(A, 8, ~0ull)},
	 FL(SF | PF)},
	{M64, "xorb $0x80, 0x10(%rbx)", {0x80, 0x73, 0x10, 0x80}, 4, .mem = 0x80,
	 .acc = {R(A + 0x10, 1), W(A + 0x10, 1, 0)}, FL(ZF | PF)},
	{M64, "xorw (%rbx), %r9w", {0x66, 0x44, 0x33, 0x0b}, 4, .mem = 0xa019, .acc = {R(A, 2)},
	 .out = {OUT(R9, 0)}, FL(ZF | PF)},
	/* CMP reads and never writes */
	{M64, "cmpl $5, (%rbx)", {0x83, 0x3b, 0x05}, 3, .mem = 3,
	 .acc = {R(A, 4)}, FL(CF | SF | AF),
	 .what = "cmp"},
	{M64, "cmpb (%rbx), %al", {0x3a, 0x03}, 2, .mem = 0x10, .acc = {R(A, 1)}, FL(ZF | PF)},
	{M64, "cmpq %rax, (%rbx)", {0x48, 0x39, 0x03}, 3, .in = {IN(RAX, 1)},
	 .mem = 0x8000000000000000ull,
	 .acc = {R(A, 8)}, FL(OF | AF | PF)},
	{M64, "cmpw $0x1234, (%rbx)", {0x66, 0x81, 0x3b, 0x34, 0x12}, 5, .mem = 0x1234,
	 .acc = {R(A, 2)}, FL(ZF | PF)},
	{M64, "cmpl (%rbx), %ecx", {0x3b, 0x0b}, 2, .mem = 0x2012, .acc = {R(A, 4)},
	 FL(CF | SF | PF | AF)},
	/* LOCK on the read-modify-write forms */
	{M64, "lock addl %eax, (%rbx)", {0xf0, 0x01, 0x03}, 3, .in = {IN(RAX, 1)}, .mem = 1,
	 .acc = {R(A, 4), W(A, 4, 2)}, FL(0), .what = "lock add"},
	{M64, "lock orq $1, (%rbx)", {0xf0, 0x48, 0x83, 0x0b, 0x01}, 5, .mem = 0x100,
	 .acc = {R(A, 8), W(A, 8, 0x101)},
	 FL(0), .what = "lock or"},
	{M64, "lock andb $0xfe, %fs:(%rbx)", {0x64, 0xf0, 0x80, 0x23, 0xfe}, 5, .fs = 0x100000,
	 .mem = 0x3,
	 .acc = {R(0x104013, 1), W(0x104013, 1, 0x2)}, FL(0)},
	/* 32-bit mode */
	{M32, "addl %ecx, (%ebx)", {0x01, 0x0b}, 2, .in = {IN(RCX, 0x7fffffff)}, .mem = 1,
	 .acc = {R(A, 4), W(A, 4, 0x80000000)}, FL(OF | SF | AF | PF)},
	{M32, "subl (%ebx), %eax", {0x2b, 0x03}, 2, .mem = 0x10, .acc = {R(A, 4)},
	 .out = {OUT(RAX, 0x1000)}, FL(PF)},
	{M32, "orw $0x101, (%ebx)", {0x66, 0x81, 0x0b, 0x01, 0x01}, 5, .mem = 0x1010,
	 .acc = {R(A, 2), W(A, 2, 0x1111)},
	 FL(PF)},
	{M32, "xorb %bh, (%ebx)", {0x30, 0x3b}, 2, .mem = 0x40, .acc = {R(A, 1), W(A, 1, 0)},
	 FL(ZF | PF)},
	{M32, "lock sbbl $1, (%ebx)", {0xf0, 0x83, 0x1b, 0x01}, 4, .mem = 1, .flags_in = CF,
	 .acc = {R(A, 4), W(A, 4, 0xffffffff)}, FL(CF | SF | PF | AF)},
};
/* clang-format on */

/* clang-format off */
static const struct emu_case tests[] = {
	{M64, "testb $0x80, (%rbx)", {0xf6, 0x03, 0x80}, 3, .mem = 0x80, .acc = {R(A, 1)}, FL(SF),
	 .what = "test"},
	{M64, "testl $1, (%rbx)", {0xf7, 0x03, 0x01, 0x00, 0x00, 0x00}, 6, .mem = 2,
	 .acc = {R(A, 4)}, FL(ZF | PF)},
	{M64, "testw $0x8000, (%rbx)", {0x66, 0xf7, 0x03, 0x00, 0x80}, 5, .mem = 0x8000,
	 .acc = {R(A, 2)}, FL(SF | PF)},
	{M64, "testq $-1, (%rbx)", {0x48, 0xf7, 0x03, 0xff, 0xff, 0xff, 0xff}, 7,
	 .mem = 0x8000000000000000ull, .acc = {R(A, 8)},
	 FL(SF | PF)},
	{M64, "testl %eax, (%rbx)", {0x85, 0x03}, 2, .in = {IN(RAX, 0xf0)}, .mem = 0x0f,
	 .flags_in = CF | OF, .acc = {R(A, 4)}, FL(ZF | PF)},
	{M64, "testb %ah, (%rbx)", {0x84, 0x23}, 2, .in = {IN(RAX, 0x8000)}, .mem = 0xff,
	 .acc = {R(A, 1)}, FL(SF)},
	{M64, "testq %r8, (%rbx)", {0x4c, 0x85, 0x03}, 3, .mem = 0x18, .acc = {R(A, 8)}, FL(PF)},
	{M32, "testl $0x40000000, (%ebx)", {0xf7, 0x03, 0x00, 0x00, 0x00, 0x40}, 6,
	 .mem = 0x40000000, .acc = {R(A, 4)},
	 FL(PF)},
};
/* clang-format on */

/* clang-format off */
static const struct emu_case unary[] = {
	{M64, "incb (%rbx)", {0xfe, 0x03}, 2, .mem = 0x7f, .flags_in = CF,
	 .acc = {R(A, 1), W(A, 1, 0x80)},
	 FL(CF | OF | SF | AF), .what = "inc"},
	{M64, "incw (%rbx)", {0x66, 0xff, 0x03}, 3, .mem = 0xffff, .acc = {R(A, 2), W(A, 2, 0)},
	 FL(ZF | PF | AF)},
	{M64, "incl 8(%rbx)", {0xff, 0x43, 0x08}, 3, .mem = 0x10,
	 .acc = {R(A + 8, 4), W(A + 8, 4, 0x11)}, FL(PF)},
	{M64, "lock incq (%rbx)", {0xf0, 0x48, 0xff, 0x03}, 4, .mem = 0x7fffffffffffffffull,
	 .acc = {R(A, 8), W(A, 8, 0x8000000000000000ull)}, FL(OF | SF | AF | PF),
	 .what = "lock inc"},
	{M64, "decb (%rbx)", {0xfe, 0x0b}, 2, .mem = 0x80, .acc = {R(A, 1), W(A, 1, 0x7f)},
	 FL(OF | AF),
	 .what = "dec"},
	{M64, "lock decl (%rbx)", {0xf0, 0xff, 0x0b}, 3, .mem = 1, .flags_in = CF,
	 .acc = {R(A, 4), W(A, 4, 0)}, FL(CF | ZF | PF)},
	{M64, "decq (%rbx)", {0x48, 0xff, 0x0b}, 3, .mem = 0, .acc = {R(A, 8), W(A, 8, ~0ull)},
	 FL(SF | PF | AF)},
	{M64, "notb (%rbx)", {0xf6, 0x13}, 2, .mem = 0x0f, .flags_in = CF | ZF,
	 .acc = {R(A, 1), W(A, 1, 0xf0)}, .what = "not"},
	{M64, "lock notq (%rbx)", {0xf0, 0x48, 0xf7, 0x13}, 4, .mem = 0,
	 .acc = {R(A, 8), W(A, 8, ~0ull)}},
	{M64, "notw 2(%rbx)", {0x66, 0xf7, 0x53, 0x02}, 4, .mem = 0x1234,
	 .acc = {R(A + 2, 2), W(A + 2, 2, 0xedcb)}},
	{M64, "negl (%rbx)", {0xf7, 0x1b}, 2, .mem = 1, .acc = {R(A, 4), W(A, 4, 0xffffffff)},
	 FL(CF | SF | PF | AF), .what = "neg"},
	{M64, "negb (%rbx)", {0xf6, 0x1b}, 2, .mem = 0, .flags_in = CF,
	 .acc = {R(A, 1), W(A, 1, 0)},
	 FL(ZF | PF)},
	{M64, "lock negw (%rbx)", {0x66, 0xf0, 0xf7, 0x1b}, 4, .mem = 0x8000,
	 .acc = {R(A, 2), W(A, 2, 0x8000)},
	 FL(CF | OF | SF | PF)},
	{M32, "incl (%ebx)", {0xff, 0x03}, 2, .mem = 0xffffffff, .acc = {R(A, 4), W(A, 4, 0)},
	 FL(ZF | PF | AF)},
	{M32, "negl (%ebx)", {0xf7, 0x1b}, 2, .mem = 0x80000000,
	 .acc = {R(A, 4), W(A, 4, 0x80000000)},
	 FL(CF | OF | SF | PF)},
};
/* clang-format on */

/* clang-format off */
static const struct emu_case xchgs[] = {
	{M64, "xchgl %eax, (%rbx)", {0x87, 0x03}, 2, .in = {IN(RAX, 0x1122334455667788ull)},
	 .mem = 0xdeadbeef, .acc = {R(A, 4), W(A, 4, 0x55667788)},
	 .out = {OUT(RAX, 0xdeadbeef)}, .what = "xchg"},
	{M64, "xchgb %ah, (%rbx)", {0x86, 0x23}, 2, .in = {IN(RAX, 0x1234)}, .mem = 0xab,
	 .acc = {R(A, 1), W(A, 1, 0x12)}, .out = {OUT(RAX, 0xab34)}},
	{M64, "xchgq %r8, (%rbx)", {0x4c, 0x87, 0x03}, 3, .mem = 0x1122334455667788ull,
	 .acc = {R(A, 8), W(A, 8, 0x9018)}, .out = {OUT(R8, 0x1122334455667788ull)}},
	{M64, "xchgw %ax, (%rbx)", {0x66, 0x87, 0x03}, 3, .in = {IN(RAX, 0x1122334455667788ull)},
	 .mem = 0xaaaa,
	 .acc = {R(A, 2), W(A, 2, 0x7788)}, .out = {OUT(RAX, 0x112233445566aaaaull)}},
	{M64, "lock xchgl %ecx, (%rbx)", {0xf0, 0x87, 0x0b}, 3, .mem = 1,
	 .acc = {R(A, 4), W(A, 4, 0x2011)},
	 .out = {OUT(RCX, 1)}, .what = "lock xchg"},
	{M32, "xchgl %esi, (%ebx)", {0x87, 0x33}, 2, .mem = 0x99, .acc = {R(A, 4), W(A, 4, 0x7016)},
	 .out = {OUT(RSI, 0x99)}},
};
/* clang-format on */

/* clang-format off */
static const struct emu_case cmpxchgs[] = {
	/* equal: memory takes the source, the accumulator is unchanged */
	{M64, "lock cmpxchgl %ecx, (%rbx)", {0xf0, 0x0f, 0xb1, 0x0b}, 4, .in = {IN(RAX, 0x1234)},
	 .mem = 0x1234,
	 .acc = {R(A, 4), W(A, 4, 0x2011)}, FL(ZF | PF), .what = "lock cmpxchg"},
	/* not equal: the accumulator takes memory, memory is written back unchanged */
	{M64, "cmpxchgl %ecx, (%rbx)", {0x0f, 0xb1, 0x0b}, 3,
	 .in = {IN(RAX, 0xffffffff00000001ull)},
	 .mem = 2, .acc = {R(A, 4), W(A, 4, 2)}, .out = {OUT(RAX, 2)},
	 FL(CF | SF | PF | AF)},
	{M64, "cmpxchgb %cl, (%rbx)", {0x0f, 0xb0, 0x0b}, 3, .in = {IN(RAX, 0x1234)}, .mem = 0x34,
	 .acc = {R(A, 1), W(A, 1, 0x11)}, FL(ZF | PF)},
	{M64, "cmpxchgb %cl, (%rbx)", {0x0f, 0xb0, 0x0b}, 3, .in = {IN(RAX, 0x1234)}, .mem = 0x35,
	 .acc = {R(A, 1), W(A, 1, 0x35)}, .out = {OUT(RAX, 0x1235)}, FL(CF | SF | PF | AF)},
	{M64, "cmpxchgq %rcx, (%rbx)", {0x48, 0x0f, 0xb1, 0x0b}, 4,
	 .in = {IN(RAX, 0x1122334455667788ull)},
	 .mem = 0x1122334455667788ull, .acc = {R(A, 8), W(A, 8, 0x2011)}, FL(ZF | PF)},
	{M64, "cmpxchgw %cx, (%rbx)", {0x66, 0x0f, 0xb1, 0x0b}, 4,
	 .in = {IN(RAX, 0x1122334455667788ull)},
	 .mem = 0x7789, .acc = {R(A, 2), W(A, 2, 0x7789)},
	 .out = {OUT(RAX, 0x1122334455667789ull)}, FL(CF | SF | PF | AF)},
	{M64, "lock cmpxchgq %r9, 8(%rbx)", {0xf0, 0x4c, 0x0f, 0xb1, 0x4b, 0x08}, 6,
	 .in = {IN(RAX, 0)}, .mem = 0,
	 .acc = {R(A + 8, 8), W(A + 8, 8, 0xa019)}, FL(ZF | PF)},
	{M32, "lock cmpxchgl %edx, (%ebx)", {0xf0, 0x0f, 0xb1, 0x13}, 4, .in = {IN(RAX, 5)},
	 .mem = 5,
	 .acc = {R(A, 4), W(A, 4, 0x3012)}, FL(ZF | PF)},
	/* CMPXCHG8B: EDX:EAX against m64; only ZF changes */
	{M64, "lock cmpxchg8b (%rbx)", {0xf0, 0x0f, 0xc7, 0x0b}, 4,
	 .in = {IN(RAX, 0x11111111), IN(RDX, 0x22222222)},
	 .mem = 0x2222222211111111ull, .flags_in = CF,
	 .acc = {R(A, 8), W(A, 8, 0x0000201100004013ull)}, FL(CF | ZF),
	 .what = "lock cmpxchg8b"},
	{M64, "cmpxchg8b (%rbx)", {0x0f, 0xc7, 0x0b}, 3,
	 .in = {IN(RAX, 0xffffffff00000001ull), IN(RDX, 0xffffffff00000002ull)},
	 .mem = 0x8877665544332211ull, .flags_in = ZF | CF,
	 .acc = {R(A, 8), W(A, 8, 0x8877665544332211ull)},
	 .out = {OUT(RAX, 0x44332211), OUT(RDX, 0x88776655)}, FL(CF)},
	{M32, "lock cmpxchg8b (%esi)", {0xf0, 0x0f, 0xc7, 0x0e}, 4,
	 .in = {IN(RAX, 0x1), IN(RDX, 0x2), IN(RBX, 0x3), IN(RCX, 0x4)},
	 .mem = 0x0000000200000001ull, .acc = {R(0x7016, 8), W(0x7016, 8, 0x0000000400000003ull)},
	 FL(ZF)},
};
/* clang-format on */

/* clang-format off */
static const struct emu_case bits[] = {
	{M64, "btl $3, (%rbx)", {0x0f, 0xba, 0x23, 0x03}, 4, .mem = 8, .flags_in = ZF | SF | PF,
	 .acc = {R(A, 4)},
	 FL(ZF | SF | PF | CF), .what = "bt"},
	{M64, "btl $35, (%rbx)", {0x0f, 0xba, 0x23, 0x23}, 4, .mem = 8, .acc = {R(A, 4)}, FL(CF)},
	{M64, "btsl $31, (%rbx)", {0x0f, 0xba, 0x2b, 0x1f}, 4, .mem = 0, .flags_in = CF,
	 .acc = {R(A, 4), W(A, 4, 0x80000000)}, FL(0), .what = "bts"},
	{M64, "btrq $63, (%rbx)", {0x48, 0x0f, 0xba, 0x33, 0x3f}, 5, .mem = 0x8000000000000001ull,
	 .acc = {R(A, 8), W(A, 8, 1)}, FL(CF), .what = "btr"},
	{M64, "btcw $17, (%rbx)", {0x66, 0x0f, 0xba, 0x3b, 0x11}, 5, .mem = 0,
	 .acc = {R(A, 2), W(A, 2, 2)}, FL(0),
	 .what = "btc"},
	{M64, "lock btsl $0, (%rbx)", {0xf0, 0x0f, 0xba, 0x2b, 0x00}, 5, .mem = 1,
	 .acc = {R(A, 4), W(A, 4, 1)}, FL(CF),
	 .what = "lock bts"},
	{M32, "lock btrl $4, (%ebx)", {0xf0, 0x0f, 0xba, 0x33, 0x04}, 5, .mem = 0x30,
	 .acc = {R(A, 4), W(A, 4, 0x20)},
	 FL(CF)},
};
/* clang-format on */

TEST(mov_store)
{
	RUN_TABLE(stores);
}

TEST(mov_load)
{
	RUN_TABLE(loads);
}

TEST(movzx_movsx)
{
	RUN_TABLE(extends);
}

TEST(alu)
{
	RUN_TABLE(alu);
}

TEST(test)
{
	RUN_TABLE(tests);
}

TEST(inc_dec_not_neg)
{
	RUN_TABLE(unary);
}

TEST(xchg)
{
	RUN_TABLE(xchgs);
}

TEST(cmpxchg)
{
	RUN_TABLE(cmpxchgs);
}

TEST(bt)
{
	RUN_TABLE(bits);
}
