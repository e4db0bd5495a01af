/*
 * A fake guest for the emulate suite: instruction bytes at one linear
 * range (fetches outside it fail and are counted), and a memory that
 * records every access the emulator makes.
 */
#ifndef TESTS_UNIT_EMULATE_FAKE_H
#define TESTS_UNIT_EMULATE_FAKE_H

#include <stdbool.h>
#include <stdint.h>

#include "vmx/emul/emulate.h"

#define FAKE_CODE_MAX 64
#define FAKE_LOG_MAX  64

struct fake_access {
	char kind; /* 'R' or 'W' */
	uint64_t linear;
	unsigned size;
	uint64_t value; /* written, or returned by the read */
};

struct fake_guest {
	/* Code: fetches must fall inside [code_linear, code_linear + code_len). */
	uint64_t code_linear;
	uint8_t code[FAKE_CODE_MAX];
	unsigned code_len;
	unsigned fetch_calls;
	unsigned fetch_failures;
	uint64_t fetch_max_linear; /* highest byte address any fetch asked for */
	bool fetch_oversize;       /* a fetch asked for more than 15 bytes */

	/* Memory: reads return read_value (or, with read_from_address, the address). */
	uint64_t read_value;
	bool read_from_address;
	bool fail_read, fail_write;
	bool limit_writes; /* with limit_writes, only the first write_limit writes succeed */
	unsigned write_limit;
	struct fake_access log[FAKE_LOG_MAX];
	unsigned nlog;    /* entries in log[] */
	unsigned naccess; /* all accesses, also those past FAKE_LOG_MAX */
	bool bad_size;    /* an access of a size other than 1, 2, 4, 8 */
};

/* Put `len` bytes of code at linear address `linear`. */
void fake_guest_init(struct fake_guest *g, uint64_t linear, const uint8_t *code, unsigned len);

/* ops bound to g. */
struct emu_ops fake_guest_ops(struct fake_guest *g);

/* A vCPU in the given mode, registers gpr[i] = FAKE_GPR(i), RIP at `rip`, RFLAGS 0x202. */
void fake_cpu_init(struct emu_cpu *cpu, int mode, uint64_t rip);

/*
 * Default register values: small and distinct so that expected addresses
 * can be computed by hand. RAX 0x1010, RCX 0x2011, RDX 0x3012, RBX 0x4013,
 * RSP 0x5014, RBP 0x6015, RSI 0x7016, RDI 0x8017, R8 0x9018, ..., R15 0x1001f.
 */
#define FAKE_GPR(i) ((((uint64_t)(i) + 1) << 12) | (0x10 + (uint64_t)(i)))

#define FAKE_RFLAGS 0x202ull /* IF and the always-one bit 1 */

#endif
