/* guest-iso-step (a)-(e): a CR0.WP = 0 string store that faults half way, pushes and an
 * exception frame onto a page-table page, the guest's own single step over a PTE store,
 * and PTE stores in the STI and MOV-SS shadows (SDM Vol. 3A §4.6 WP, §6.8.3 shadows,
 * Vol. 3B §18.3.1.4 single-step). */
#include "tests/guests/cpu.h"
#include "tests/guests/desc.h"
#include "tests/guests/frames.h"
#include "tests/guests/guest.h"
#include "tests/guests/iso.h"
#include "tests/guests/iso_step.h"
#include "tests/guests/probe.h"
#include "tests/guests/pt.h"
#include "tests/guests/report.h"

const char guest_name[] = "iso-step";

#define FILL_BEFORE  0x11u
#define FILL_STOSB   0xa5u
#define STOSB_LEN    32u
#define STOSB_INPAGE 16u /* bytes of the store that fit in P */

static uintptr_t victim_pt; /* guest-physical page table of STEP_VICTIM */

uint32_t step_pattern(uint32_t seed, uint32_t i)
{
	uint32_t x = seed * 0x9e3779b1u ^ (i + 1) * 0x7feb352du;
	return x ^ (x >> 15);
}

uintptr_t step_data_frame(uint32_t seed)
{
	uintptr_t f = frame_alloc();
	for (uint32_t i = 0; i < PAGE_SIZE / 4; i++)
		((volatile uint32_t *)f)[i] = step_pattern(seed, i);
	return f;
}

static volatile uint64_t *victim_entries(void)
{
	return (volatile uint64_t *)victim_pt;
}

static void victim_scratch_clear(void)
{
	for (unsigned i = VICTIM_SCRATCH_FIRST; i < 512; i++)
		victim_entries()[i] = 0;
	flush_tlb_nonglobal();
}

/* (a) The store starts in P (user, read-only: allowed by WP = 0) and runs into the
 * unmapped page: #PF there, the part in P done. Returns P's frame. */
static uintptr_t test_wp0_stosb(uintptr_t root)
{
	uintptr_t frame = frame_alloc();
	__builtin_memset((void *)frame, FILL_BEFORE, PAGE_SIZE);
	pt_map(root, STEP_P, frame, PTE_P | PTE_U);
	uintptr_t dst = STEP_P + PAGE_SIZE - STOSB_INPAGE;
	uintptr_t count = STOSB_LEN;
	iso_trap_clear();
	iso_arm();
	set_wp(false);
	__asm__ volatile("1: rep stosb\n2:\n" FIXUP("1b", "2b")
	                 : "+D"(dst), "+c"(count)
	                 : "a"(FILL_STOSB)
	                 : "memory");
	set_wp(true);
	report(fault_is(VEC_PF, PF_W, STEP_P + PAGE_SIZE),
	       "wp0: rep stosb from a read-only user page into an unmapped one: #PF 0x2 at the "
	       "unmapped page",
	       "taken %d vector %u error 0x%x CR2 0x%lx", last_fault.taken, last_fault.vector,
	       last_fault.error, (unsigned long)last_fault.cr2);
	report(iso_trap.vector == VEC_PF && !(iso_trap.flags & RFLAGS_TF),
	       "wp0: the #PF frame's RFLAGS image has TF = 0", "vector %u RFLAGS image 0x%llx",
	       iso_trap.vector, (unsigned long long)iso_trap.flags);
	bool done = true, kept = true;
	for (uint32_t i = 0; i < PAGE_SIZE; i++) {
		uint8_t b = ((volatile uint8_t *)frame)[i];
		if (i >= PAGE_SIZE - STOSB_INPAGE)
			done &= b == FILL_STOSB;
		else
			kept &= b == FILL_BEFORE;
	}
	report(done && kept && count == STOSB_LEN - STOSB_INPAGE && dst == STEP_P + PAGE_SIZE,
	       "wp0: the 16 bytes in the read-only page were stored, RCX/RDI stop at the fault",
	       "stored %d untouched %d RCX %lu RDI 0x%lx", done, kept, (unsigned long)count,
	       (unsigned long)dst);
	return frame;
}

/* After the WP = 0 store P is what its PTE says again: read-only for everyone. */
static void test_wp0_after(uintptr_t frame)
{
	bool f = user_write32(STEP_P + 0x10, 0xbadc0de);
	bool user_ok = fault_is(VEC_PF, PF_P | PF_W | PF_U, STEP_P + 0x10);
	uint32_t err = last_fault.error;
	bool f2 = probe_write32(STEP_P + 0x20, 0xbadc0de);
	bool sup_ok = fault_is(VEC_PF, PF_P | PF_W, STEP_P + 0x20);
	report(user_ok && ((volatile uint8_t *)frame)[0x10] == FILL_BEFORE,
	       "wp0: afterwards a user write to the page faults (#PF 0x7), nothing stored",
	       "fault %d error 0x%x byte 0x%x", f, err, ((volatile uint8_t *)frame)[0x10]);
	report(sup_ok && ((volatile uint8_t *)frame)[0x20] == FILL_BEFORE,
	       "wp0: with CR0.WP = 1 again a supervisor write faults too (#PF 0x3)",
	       "fault %d error 0x%x byte 0x%x", f2, last_fault.error,
	       ((volatile uint8_t *)frame)[0x20]);
}

/* (b) PUSHFQ and PUSHQ imm with RSP in the window onto the victim page table. */
static void test_push_on_pt(void)
{
	iso_trap_clear();
	uint64_t image = iso_push_on_stack(STEP_WINDOW + PAGE_SIZE);
	uint64_t top = victim_entries()[511], next = victim_entries()[510];
	report(iso_trap.count == 0 && !(image & RFLAGS_TF) && (image & RFLAGS_FIXED),
	       "pt-stack: PUSHFQ onto a page-table page pushes RFLAGS with TF = 0",
	       "exceptions %u image 0x%llx", iso_trap.count, (unsigned long long)image);
	report(top == image && next == ISO_PUSH_IMM,
	       "pt-stack: PUSHFQ and PUSHQ imm land in the page-table page",
	       "entry 511 0x%llx (pushed 0x%llx), entry 510 0x%llx", (unsigned long long)top,
	       (unsigned long long)image, (unsigned long long)next);
	victim_scratch_clear();

	iso_trap_clear();
	iso_write_dr6(DR6_INIT);
	image = iso_push_on_stack_tf(STEP_WINDOW + PAGE_SIZE);
	top = victim_entries()[511];
	report((image & RFLAGS_TF) && top == image && iso_trap.count == 1 &&
	           iso_trap.vector == VEC_DB && iso_trap.ip == (uintptr_t)iso_push_tf_after &&
	           (iso_trap.dr6 & DR6_BS),
	       "pt-stack: with the guest's own TF, PUSHFQ there pushes TF = 1, one #DB after it",
	       "image 0x%llx entry 0x%llx, %u exceptions, vector %u RIP 0x%llx DR6 0x%llx",
	       (unsigned long long)image, (unsigned long long)top, iso_trap.count, iso_trap.vector,
	       (unsigned long long)iso_trap.ip, (unsigned long long)iso_trap.dr6);
	victim_scratch_clear();
	iso_write_dr6(DR6_INIT);
}

/* (c) The guest's own single step over a store into its page table: a PTE change. */
static void test_own_step(void)
{
	uintptr_t frame = step_data_frame(3);
	iso_write_dr6(DR6_INIT);
	iso_trap_clear();
	iso_step_write(STEP_WINDOW + 1 * 8, frame | PTE_P | PTE_W);
	uint64_t dr6 = iso_trap.dr6;
	report(iso_trap.count == 1 && iso_trap.vector == VEC_DB &&
	           iso_trap.ip == (uintptr_t)iso_step_after && (dr6 & DR6_BS) && !(dr6 & 0xf) &&
	           (iso_trap.flags & RFLAGS_TF),
	       "own-step: TF over a PTE store: one #DB right after it, DR6.BS = 1",
	       "%u exceptions, vector %u RIP 0x%llx (store at 0x%lx) DR6 0x%llx image 0x%llx",
	       iso_trap.count, iso_trap.vector, (unsigned long long)iso_trap.ip,
	       (unsigned long)iso_step_insn, (unsigned long long)dr6,
	       (unsigned long long)iso_trap.flags);
	invlpg(STEP_VICTIM + PAGE_SIZE);
	uint32_t v = 0;
	bool f = probe_read32(STEP_VICTIM + PAGE_SIZE + 8, &v);
	report(!f && v == step_pattern(3, 2) && !(iso_rflags() & RFLAGS_TF),
	       "own-step: the stepped PTE store took effect, TF is clear again",
	       "fault %d read 0x%x want 0x%x RFLAGS 0x%llx", f, v, step_pattern(3, 2),
	       (unsigned long long)iso_rflags());
	iso_write_dr6(DR6_INIT);
}

/* (d) PTE stores right after STI and right after MOV SS. */
static void test_shadows(void)
{
	uintptr_t f_sti = step_data_frame(4), f_ss = step_data_frame(5);
	iso_pic_mask_all();
	iso_trap_clear();
	iso_sti_write(STEP_WINDOW + 2 * 8, f_sti | PTE_P | PTE_W);
	invlpg(STEP_VICTIM + 2 * PAGE_SIZE);
	uint32_t v = 0;
	bool f = probe_read32(STEP_VICTIM + 2 * PAGE_SIZE, &v);
	report(iso_trap.count == 0 && !f && v == step_pattern(4, 0),
	       "shadow: a PTE store in the STI interrupt shadow lands and maps",
	       "%u exceptions, fault %d read 0x%x", iso_trap.count, f, v);
	iso_trap_clear();
	iso_movss_write(STEP_WINDOW + 3 * 8, f_ss | PTE_P | PTE_W);
	invlpg(STEP_VICTIM + 3 * PAGE_SIZE);
	f = probe_read32(STEP_VICTIM + 3 * PAGE_SIZE, &v);
	report(iso_trap.count == 0 && !f && v == step_pattern(5, 0),
	       "shadow: a PTE store in the MOV-SS shadow lands and maps",
	       "%u exceptions, fault %d read 0x%x", iso_trap.count, f, v);
}

/* (e) #UD with RSP in the window: the CPU pushes its frame into the page table. */
static void test_exception_on_pt(void)
{
	struct iso_gate saved = iso_gate_get(VEC_UD);
	iso_gate_set(VEC_UD, (uintptr_t)iso_capture_entry, 0);
	uintptr_t top = STEP_WINDOW + PAGE_SIZE;
	iso_ud_on_stack(top);
	iso_gate_put(VEC_UD, saved);
	const volatile uint64_t *w = iso_capture.words;
	const volatile uint64_t *e = victim_entries();
	bool frame_ok = iso_capture.taken && w[0] == (uintptr_t)iso_ud_insn &&
	                w[1] == SEL_KCODE64 && !(w[2] & (RFLAGS_TF | RFLAGS_IF)) &&
	                (w[2] & RFLAGS_FIXED) && w[3] == top && w[4] == SEL_KDATA &&
	                iso_capture.at == top - 40;
	bool landed =
	    e[507] == w[0] && e[508] == w[1] && e[509] == w[2] && e[510] == w[3] && e[511] == w[4];
	report(frame_ok && landed,
	       "pt-stack: #UD delivered with RSP in a page-table page: RIP, CS, RFLAGS, RSP, SS "
	       "pushed there",
	       "taken %llu at 0x%llx: RIP 0x%llx CS 0x%llx RFLAGS 0x%llx RSP 0x%llx SS 0x%llx, "
	       "in the table %d",
	       (unsigned long long)iso_capture.taken, (unsigned long long)iso_capture.at,
	       (unsigned long long)w[0], (unsigned long long)w[1], (unsigned long long)w[2],
	       (unsigned long long)w[3], (unsigned long long)w[4], landed);
	victim_scratch_clear();
}

void step_tests(uintptr_t root)
{
	test_wp0_after(test_wp0_stosb(root));
	pt_map(root, STEP_VICTIM, step_data_frame(1), PTE_P | PTE_W);
	victim_pt = (uintptr_t)(pt_get(pt_entry(root, STEP_VICTIM, 2, false)) & pt_addr_mask());
	pt_map(root, STEP_WINDOW, victim_pt, PTE_P | PTE_W);
	report_info("victim page table 0x%lx (maps 0x%lx), writable at 0x%lx",
	            (unsigned long)victim_pt, STEP_VICTIM, STEP_WINDOW);
	test_push_on_pt();
	test_own_step();
	test_shadows();
	test_exception_on_pt();
}

void guest_main(void)
{
	uintptr_t root = iso_long_setup();
	step_tests(root);
	step_alias_tests(root);
}
