/*
 * The local APIC's state for the log, e.g. when a guest ends:
 *   lapic: base 0xfee00000 enabled, id 0x00, svr 0x000001ff (software enabled), tpr 0x00
 *   lapic: ldr 0x01000000 dfr 0xffffffff icr 0x00000000:000c4500 esr 0x00000000
 *   lapic: lvt timer 0x00010000 thermal 0x00010000 perf 0x00010000 lint0 0x00000700 ...
 *   lapic: timer initial 0x00000000 current 0x00000000 divide by 2 (one-shot)
 *   lapic: ipis: fixed 0 INIT 1 SIPI 2 other 0, to self 0; eoi writes 0
 *   lapic: irqs: timer 250 error 0 lint 0 ipi 3 (coalesced 0 refused 0), taken 253 extint 1200
 *     nmi 0 spurious 0 eoi 253; timer expiries 250 collapsed 0 masked 0; irr 0x00 isr 0x00
 * (the last is one line). Printing changes nothing: the current count is
 * computed for the clock's now, and no expiry is signalled.
 */
#include "vmx/dev/lapic_internal.h"

static uint32_t reg(const struct vlapic *a, uint32_t offset)
{
	return a->reg[vlapic_slot(offset)];
}

static void print_identity(const struct vlapic *a, struct io_log *log)
{
	io_log_print(
	    log, "lapic: base 0x%llx %s, id 0x%02x, svr 0x%08x (software %s), tpr 0x%02x\n",
	    (unsigned long long)vlapic_base(a), vlapic_hw_enabled(a) ? "enabled" : "disabled",
	    reg(a, APIC_ID) >> APIC_ID_SHIFT, reg(a, APIC_SVR),
	    vlapic_sw_enabled(a) ? "enabled" : "disabled", reg(a, APIC_TPR));
	io_log_print(log, "lapic: ldr 0x%08x dfr 0x%08x icr 0x%08x:%08x esr 0x%08x\n",
	             reg(a, APIC_LDR), reg(a, APIC_DFR), reg(a, APIC_ICR_HIGH),
	             reg(a, APIC_ICR_LOW), reg(a, APIC_ESR));
}

static void print_lvt(const struct vlapic *a, struct io_log *log)
{
	io_log_print(log,
	             "lapic: lvt timer 0x%08x thermal 0x%08x perf 0x%08x lint0 0x%08x lint1 0x%08x "
	             "error 0x%08x\n",
	             reg(a, APIC_LVT_TIMER), reg(a, APIC_LVT_THERMAL), reg(a, APIC_LVT_PERF),
	             reg(a, APIC_LVT_LINT0), reg(a, APIC_LVT_LINT1), reg(a, APIC_LVT_ERROR));
}

static void print_timer(const struct vlapic *a, struct io_log *log)
{
	bool periodic = reg(a, APIC_LVT_TIMER) & APIC_LVT_TIMER_PERIODIC;
	io_log_print(log, "lapic: timer initial 0x%08x current 0x%08x divide by %u (%s)\n",
	             reg(a, APIC_TIMER_INITIAL), vlapic_timer_current(a, vlapic_now(a)),
	             apic_timer_divisor(reg(a, APIC_TIMER_DIVIDE)),
	             periodic ? "periodic" : "one-shot");
}

static void print_counts(const struct vlapic *a, struct io_log *log)
{
	uint64_t other = a->ipis[VLAPIC_IPI_LOWEST] + a->ipis[VLAPIC_IPI_SMI] +
	                 a->ipis[VLAPIC_IPI_NMI] + a->ipis[VLAPIC_IPI_INIT_DEASSERT] +
	                 a->ipis[VLAPIC_IPI_RESERVED_MODE];
	io_log_print(
	    log,
	    "lapic: ipis: fixed %llu INIT %llu SIPI %llu other %llu, to self %llu; eoi writes "
	    "%llu\n",
	    (unsigned long long)a->ipis[VLAPIC_IPI_FIXED],
	    (unsigned long long)a->ipis[VLAPIC_IPI_INIT],
	    (unsigned long long)a->ipis[VLAPIC_IPI_STARTUP], (unsigned long long)other,
	    (unsigned long long)a->self_ipis, (unsigned long long)a->eoi_writes);
}

/* The highest vector of IRR or ISR, 0 for none (vectors 0..15 never get in). */
static unsigned highest(const struct vlapic *a, uint32_t set)
{
	int vector = vlapic_vec_highest(a, set);
	return vector < 0 ? 0 : (unsigned)vector;
}

static void print_interrupts(const struct vlapic *a, struct io_log *log)
{
	const struct vlapic_stats *s = &a->stats;
	io_log_print(
	    log,
	    "lapic: irqs: timer %llu error %llu lint %llu ipi %llu (coalesced %llu refused "
	    "%llu), taken %llu extint %llu nmi %llu spurious %llu eoi %llu; timer expiries "
	    "%llu collapsed %llu masked %llu; irr 0x%02x isr 0x%02x\n",
	    (unsigned long long)s->accepted[VLAPIC_SRC_TIMER],
	    (unsigned long long)s->accepted[VLAPIC_SRC_ERROR],
	    (unsigned long long)(s->accepted[VLAPIC_SRC_LINT0] + s->accepted[VLAPIC_SRC_LINT1]),
	    (unsigned long long)s->accepted[VLAPIC_SRC_IPI], (unsigned long long)s->coalesced,
	    (unsigned long long)s->refused, (unsigned long long)s->delivered,
	    (unsigned long long)s->extint, (unsigned long long)s->nmis,
	    (unsigned long long)s->spurious, (unsigned long long)s->eois,
	    (unsigned long long)s->timer_expiries, (unsigned long long)s->timer_collapsed,
	    (unsigned long long)s->timer_masked, highest(a, APIC_IRR), highest(a, APIC_ISR));
}

void vlapic_print(const struct vlapic *a, struct io_log *log)
{
	print_identity(a, log);
	print_lvt(a, log);
	print_timer(a, log);
	print_counts(a, log);
	print_interrupts(a, log);
}
