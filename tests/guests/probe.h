/* Memory accesses that may fault: each returns true when it faulted (see last_fault). */
#ifndef GUESTS_PROBE_H
#define GUESTS_PROBE_H

#include <stdbool.h>
#include <stdint.h>

#include "tests/guests/trap.h"

enum access_kind { ACC_READ, ACC_WRITE, ACC_FETCH };

/* Supervisor (CPL 0) accesses. A fetch calls ADDR, which must hold a RET (0xc3). */
bool probe_read32(uintptr_t addr, uint32_t *val);
bool probe_write32(uintptr_t addr, uint32_t val);
bool probe_fetch(uintptr_t addr);

/* The same accesses from CPL 3 through user_enter. */
bool user_read32(uintptr_t addr, uint32_t *val);
bool user_write32(uintptr_t addr, uint32_t val);
bool user_fetch(uintptr_t addr);

/* One access of the given kind and privilege; VAL is written or receives the value read. */
bool probe_access(enum access_kind kind, bool user, uintptr_t addr, uint32_t *val);

/* Fault expectation helper: true when the last probe took vector VEC with error ERR and,
 * for #PF, CR2 == ADDR. */
bool fault_is(uint32_t vec, uint32_t err, uintptr_t addr);

#define RET_OPCODE 0xc3u

/* Inline-asm fix-up entry: a fault at INSN resumes at RESUME (labels, e.g. "1b", "2b"). */
#ifdef __x86_64__
#define ASM_PTR  ".quad"
#define SP_REG   "%%rsp"
#define PTR_SIZE "8"
#else
#define ASM_PTR  ".long"
#define SP_REG   "%%esp"
#define PTR_SIZE "4"
#endif

#define FIXUP(insn, resume) \
	".pushsection .fixup_table, \"a\"\n" ASM_PTR " " insn ", " resume "\n.popsection\n"

#endif
