/*
 * Table-driven emulator cases: instruction bytes (refreshed from the
 * quoted source by assemble.py), the vCPU set-up that differs from the
 * defaults in fake.h, and everything the instruction must do: the exact
 * list of memory accesses, the registers that change, RFLAGS, and RIP
 * advancing by the instruction length.
 */
#ifndef TESTS_UNIT_EMULATE_CASE_H
#define TESTS_UNIT_EMULATE_CASE_H

#include <stdbool.h>
#include <stdint.h>

#include "vmx/emul/emulate.h"

#define M32 EMU_MODE_32
#define M64 EMU_MODE_64

enum {
	RAX,
	RCX,
	RDX,
	RBX,
	RSP,
	RBP,
	RSI,
	RDI,
	R8,
	R9,
	R10,
	R11,
	R12,
	R13,
	R14,
	R15,
};

#define CF EMU_FLAG_CF
#define PF EMU_FLAG_PF
#define AF EMU_FLAG_AF
#define ZF EMU_FLAG_ZF
#define SF EMU_FLAG_SF
#define DF EMU_FLAG_DF
#define OF EMU_FLAG_OF

#define CASE_DEFAULT_RIP64 0x401000ull
#define CASE_DEFAULT_RIP32 0x1000ull

struct case_reg {
	int reg1; /* register number + 1; 0 ends the list */
	uint64_t value;
};

struct case_access {
	char kind; /* 'R', 'W'; 0 ends the list */
	uint64_t linear;
	unsigned size;
	uint64_t value; /* checked for writes */
};

struct emu_case {
	int mode;
	const char *src;
	uint8_t code[15];
	unsigned len;

	struct case_reg in[4]; /* registers other than the FAKE_GPR defaults */
	uint64_t flags_in;     /* RFLAGS = FAKE_RFLAGS | flags_in */
	uint64_t mem;          /* what reads return */
	uint64_t rip;          /* 0: CASE_DEFAULT_RIP32/64 */
	uint64_t cs, ds, es, ss, fs, gs;

	struct case_access acc[5];
	struct case_reg out[4]; /* registers that must change, and to what */
	bool sets_flags;        /* else RFLAGS must be unchanged */
	uint64_t flags;         /* RFLAGS = FAKE_RFLAGS | flags when sets_flags */
	const char *what;       /* expected res.what, if given */
};

#define IN(r, v)             \
	{                    \
		(r) + 1, (v) \
	}
#define OUT(r, v)            \
	{                    \
		(r) + 1, (v) \
	}
#define R(a, s)                  \
	{                        \
		'R', (a), (s), 0 \
	}
#define W(a, s, v)                 \
	{                          \
		'W', (a), (s), (v) \
	}
#define FL(f) .sets_flags = true, .flags = (f)

/* Run one case; failures are reported through the harness with the source line. */
void run_case(const struct emu_case *c);
void run_cases(const struct emu_case *cases, unsigned n);

#define RUN_TABLE(t) run_cases((t), sizeof(t) / sizeof((t)[0]))

#endif
