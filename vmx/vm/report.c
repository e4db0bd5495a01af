/*
 * The end-of-guest report lines (README, "The serial log"): the ending, the
 * exits by reason, the devices, the shadow-paging counters, the pool
 * statistics and the pool audit.
 */
#include "vmx/vm/report.h"
#include "arch/x86/printf.h"
#include "vmx/hw/names.h"

static void print_exit_counts(const struct vcpu *v)
{
	printf("vmx: guest %s: %lu exits:", v->name, (unsigned long)v->stats.exit_total);
	for (unsigned r = 0; r < VCPU_EXIT_REASONS; r++)
		if (v->stats.exits[r])
			printf(" %s=%lu", vmx_exit_reason_name(r),
			       (unsigned long)v->stats.exits[r]);
	printf("\n");
}

static void print_shadow_stats(const struct shadow_vcpu *sh)
{
	const struct shadow_stats *s = &sh->stats;
	printf("shadow: syncs=%lu fixed=%lu reflected=%lu emulated=%lu not_ram=%lu "
	       "dirty_faults=%lu cr3_loads=%lu recent_root_hits=%lu root_builds=%lu "
	       "invlpg=%lu guest_writes=%lu roots_dropped=%lu\n",
	       (unsigned long)s->syncs, (unsigned long)s->fixed, (unsigned long)s->reflected,
	       (unsigned long)s->emulated, (unsigned long)s->not_ram,
	       (unsigned long)s->dirty_faults, (unsigned long)s->cr3_loads,
	       (unsigned long)s->root_recent_hits, (unsigned long)s->root_builds,
	       (unsigned long)s->invlpgs, (unsigned long)s->guest_writes,
	       (unsigned long)s->roots_dropped);
}

static bool audit_pool(const struct pool *p)
{
	char why[160];
	if (pool_audit(p, why, sizeof(why)) == 0) {
		printf("pool: audit ok\n");
		return true;
	}
	printf("pool: audit FAILED: %s\n", why);
	return false;
}

bool vm_report(struct vm *vm)
{
	const struct vcpu *v = &vm->vcpu;

	printf("vmx: guest %s: %s, status %u\n", v->name,
	       v->end.stopped ? v->end.result : "did not run", v->end.status);
	print_exit_counts(v);
	printf("vmx: guest %s: time %lu ms, %lu host interrupts, %lu halts, %lu interrupts and "
	       "%lu NMIs injected\n",
	       v->name, (unsigned long)(vcpu_guest_now(v) / 1000000),
	       (unsigned long)v->stats.host_interrupts, (unsigned long)v->stats.halts,
	       (unsigned long)v->stats.injected_irqs, (unsigned long)v->stats.injected_nmis);
	if (v->stats.shadow_flushes || v->stats.delivery_unshadows)
		printf("vmx: guest %s: %lu shadow flushes (pool exhausted), %lu page tables "
		       "unshadowed "
		       "by event delivery\n",
		       v->name, (unsigned long)v->stats.shadow_flushes,
		       (unsigned long)v->stats.delivery_unshadows);
	vm_print_devices(vm);
	if (vm->log.suppressed)
		printf("vmx: guest %s: %lu log lines suppressed (too many)\n", v->name,
		       (unsigned long)vm->log.suppressed);
	print_shadow_stats(&v->shadow);
	pool_stats_print(&vm->mem.pool, printf);
	return audit_pool(&vm->mem.pool);
}
