/* Exception dispatch: expected faults are recorded and skipped through fix-ups; ring-3
 * code comes back here; anything else is an unexpected exception and ends the program. */
#include "tests/guests/trap.h"

#include "tests/guests/cpu.h"
#include "tests/guests/desc.h"
#include "tests/guests/report.h"

volatile struct fault_record last_fault;
volatile uintptr_t exec_probe_target, exec_probe_fixup;
volatile uint32_t user_result;
static pf_hook_fn pf_hook;

/* Table of (faulting instruction, resume address) pairs emitted by probe.c. */
struct fixup {
	uintptr_t insn, resume;
};
extern const struct fixup __fixup_start[], __fixup_end[];

void trap_set_pf_hook(pf_hook_fn hook)
{
	pf_hook = hook;
}

static void record(const struct trap_frame *f)
{
	last_fault.taken = true;
	last_fault.vector = (uint32_t)f->vector;
	last_fault.error = (uint32_t)f->error;
	last_fault.cr2 = f->vector == VEC_PF ? read_cr2() : 0;
	last_fault.ip = f->ip;
}

static bool apply_fixup(struct trap_frame *f)
{
	for (const struct fixup *x = __fixup_start; x < __fixup_end; x++) {
		if (x->insn == f->ip) {
			record(f);
			f->ip = x->resume;
			return true;
		}
	}
	if (exec_probe_target && f->ip == exec_probe_target) {
		record(f);
		f->ip = exec_probe_fixup;
		exec_probe_target = 0;
		return true;
	}
	return false;
}

void trap_dispatch(struct trap_frame *f)
{
	if (f->vector == VEC_USER_RETURN) {
		user_result = (uint32_t)f->ax;
		user_resume();
	}
	if (f->vector == VEC_PF && pf_hook && pf_hook(read_cr2(), (uint32_t)f->error))
		return;
	if ((f->cs & 3) == 3) {
		record(f);
		user_result = 0;
		user_resume();
	}
	if (apply_fixup(f))
		return;
	if (f->vector == VEC_BP) { /* a trap: resumes after int3 */
		record(f);
		return;
	}
	report_fail("unexpected exception", "vector %lu error 0x%lx ip 0x%lx cr2 0x%lx", f->vector,
	            f->error, f->ip, read_cr2());
	report_done();
}
