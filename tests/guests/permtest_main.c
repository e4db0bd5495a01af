/* guest-permtest (4-level) and guest-permtest-pae: run the combinations, compare with the
 * model, one PASS line per group (page size x privilege x access kind x reserved bits).
 * Default: a fixed pseudo-random sample; "full" on the command line: all of them. */
#include "tests/guests/console.h"
#include "tests/guests/cpu.h"
#include "tests/guests/env.h"
#include "tests/guests/frames.h"
#include "tests/guests/guest.h"
#include "tests/guests/permtest.h"
#include "tests/guests/pt.h"
#include "tests/guests/report.h"

const char guest_name[] = GUEST_PROG;

#define SAMPLE_SHIFT   4 /* default: 1 combination in 16 */
#define MAX_FAIL_LINES 8
#define GROUPS         (2 * 2 * 3 * 2)

struct mismatch {
	struct perm_case c;
	struct perm_outcome o;
	struct perm_seen s;
	int n;
};

struct group {
	uint32_t cases, failures, tcg_defects;
	struct mismatch first;
};

static struct group groups[GROUPS];

static unsigned group_of(const struct perm_case *c)
{
	return (((c->large * 2u + c->user) * 3u + (unsigned)c->kind) * 2u) +
	       (c->rsvd != RSVD_NONE || (!c->nxe && ((c->pde | c->pte) & PTE_NX)));
}

static void group_name(unsigned g, char *buf)
{
	static const char *const kinds[] = {"read", "write", "fetch"};
	const char *parts[4] = {(g / 12) ? "2 MiB page, " : "4 KiB page, ",
	                        ((g / 6) & 1) ? "user " : "supervisor ", kinds[(g / 2) % 3],
	                        (g & 1) ? ", reserved bits" : ""};
	char *p = buf;
	for (int i = 0; i < 4; i++)
		for (const char *s = parts[i]; *s; s++)
			*p++ = *s;
	*p = 0;
}

/* A fixed hash picks the sample: the same combinations on every run and platform. */
static bool sampled(uint32_t legal_index)
{
	if (env.full)
		return true;
	uint32_t x = legal_index * 0x9e3779b1u;
	x ^= x >> 16;
	x *= 0x85ebca6bu;
	x ^= x >> 13;
	return (x & ((1u << SAMPLE_SHIFT) - 1)) == 0;
}

static bool same(const struct perm_outcome *o, const struct perm_seen *s, int n)
{
	if (s->fault[n] != o->fault)
		return false;
	if (o->fault)
		return s->vector[n] == VEC_PF && s->error[n] == o->error &&
		       s->cr2[n] == perm_test_va();
	return s->value[n] == PERM_VALUE;
}

static bool entries_ok(const struct perm_outcome *o, const struct perm_seen *s)
{
	return ((s->pde_after ^ o->pde_after) & o->pde_check) == 0 &&
	       ((s->pte_after ^ o->pte_after) & o->pte_check) == 0;
}

/* QEMU TCG reports reserved-bit faults without P: the only difference allowed there. */
static bool tcg_defect(const struct perm_outcome *o, const struct perm_seen *s, int n)
{
	return env_is_tcg() && o->fault && (o->error & PF_RSVD) && s->fault[n] &&
	       s->vector[n] == VEC_PF && s->error[n] == (o->error & ~PF_P) &&
	       s->cr2[n] == perm_test_va();
}

static void print_mismatch(const struct mismatch *m)
{
	const struct perm_case *c = &m->c;
	const struct perm_seen *s = &m->s;
	const struct perm_outcome *o = &m->o;
	int n = m->n;
	gprintf("PDE 0x%llx PTE 0x%llx WP=%d NXE=%d%s: access %d fault %d vector %u error 0x%x "
	        "CR2 0x%lx, PDE after 0x%llx PTE after 0x%llx; expected fault %d error 0x%x, "
	        "PDE 0x%llx (mask 0x%llx) PTE 0x%llx (mask 0x%llx)",
	        (unsigned long long)perm_pde_bits(c), (unsigned long long)perm_pte_bits(c), c->wp,
	        c->nxe, c->twice ? " twice" : "", n, s->fault[n], s->vector[n], s->error[n],
	        (unsigned long)s->cr2[n], (unsigned long long)s->pde_after,
	        (unsigned long long)s->pte_after, o->fault, o->error,
	        (unsigned long long)o->pde_after, (unsigned long long)o->pde_check,
	        (unsigned long long)o->pte_after, (unsigned long long)o->pte_check);
}

static void check_case(const struct perm_case *c)
{
	struct mismatch m = {.c = *c, .n = -1};
	perm_expect(c, &m.o);
	perm_run(c, &m.s);
	struct group *gr = &groups[group_of(c)];
	gr->cases++;
	bool defect = false;
	for (int n = 0; n < (c->twice ? 2 : 1) && m.n < 0; n++) {
		if (same(&m.o, &m.s, n))
			continue;
		if (tcg_defect(&m.o, &m.s, n))
			defect = true;
		else
			m.n = n;
	}
	if (m.n < 0 && !entries_ok(&m.o, &m.s))
		m.n = 0;
	if (m.n < 0) {
		gr->tcg_defects += defect;
		return;
	}
	if (!gr->failures) {
		gr->first = m;
	} else if (gr->failures < MAX_FAIL_LINES) {
		gprintf("  also: ");
		print_mismatch(&m);
		gprintf("\n");
	}
	gr->failures++;
}

static void report_groups(void)
{
	char name[64];
	for (unsigned g = 0; g < GROUPS; g++) {
		struct group *gr = &groups[g];
		group_name(g, name);
		if (gr->failures) {
			gprintf(
			    "FAIL: %s: %s (%u of %u combinations differ from the model; first: ",
			    report_prog(), name, gr->failures, gr->cases);
			print_mismatch(&gr->first);
			gprintf(")\n");
			report_count_failure();
		} else if (!gr->cases)
			report_fail(name, "no combination ran");
		else if (gr->tcg_defects)
			report_skip(name, "known QEMU TCG defect: RSVD #PF without P");
		else
			report_pass(name);
	}
}

void guest_main(void)
{
	frames_init();
	pt_set_mode(GUEST_PG_MODE);
	if (!env.nx || env.maxphyaddr >= 52) {
		report_skip("setup", "needs CPUID NX and MAXPHYADDR < 52");
		return;
	}
	perm_set_rsvd_bit(1ull << env.maxphyaddr);
	uintptr_t root = pt_new_root();
	paging_enable(root);
	perm_run_init();

	uint32_t legal = 0, ran = 0;
	struct perm_case c;
	for (uint32_t i = 0; i < PERM_INDEX_COUNT; i++) {
		if (!perm_decode(i, &c))
			continue;
		if (sampled(legal++)) {
			check_case(&c);
			ran++;
		}
	}
	set_wp(true);
	set_nxe(true);
	report_info("%s paging, %u of %u legal combinations checked (%s)", pt_mode_name(), ran,
	            legal, env.full ? "full" : "sample");
	report_groups();
}
