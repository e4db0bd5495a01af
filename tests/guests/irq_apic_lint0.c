/*
 * guest-irq-apic: LINT0 in virtual-wire mode (MultiProcessor Specification 1.4 §3.6.2.2;
 * SDM Vol. 3A §11.5.1). With LINT0 programmed ExtINT the 8259's INTR reaches the CPU and
 * the vector comes from the 8259 (no local APIC ISR bit, no local APIC EOI); with LINT0
 * masked the request stays in the 8259, unacknowledged; unmasked again, it arrives.
 */
#include "tests/guests/irq_apic.h"
#include "tests/guests/irq_apic_guest.h"
#include "tests/guests/irq_pic.h"
#include "tests/guests/irq_pit.h"
#include "tests/guests/irq_setup.h"
#include "tests/guests/irq_time.h"
#include "tests/guests/irq_vectors.h"
#include "tests/guests/irq_wait.h"
#include "tests/guests/report.h"

#define TICK_HZ      1000u
#define TICKS_WANTED 5u
#define WAIT_US      50000u
#define MASKED_US    10000u
#define IRR_IR0      (1u << IRQ_PIT)

#define SKIP_BOCHS_LINT0 "known Bochs deviation: the 8259 reaches the CPU whatever LINT0's mask"

static volatile uint32_t ticks, ticks_in_isr;

static void on_tick(struct trap_frame *f)
{
	(void)f;
	ticks++;
	if (apic_highest_vector(APIC_ISR) != -1)
		ticks_in_isr++;
	pic_eoi(IRQ_PIT);
}

/* IF = 1 without HLT: with LINT0 masked nothing may come to end one. */
static void spin_us(uint32_t us)
{
	irq_enable();
	tsc_delay_us(us);
	irq_disable();
}

static bool wait_tick(uint32_t before, uint32_t us)
{
	irq_enable();
	uint64_t start = tsc_read();
	while (ticks == before && !tsc_passed(start, us))
		cpu_relax();
	irq_disable();
	return ticks != before;
}

void apic_test_lint0(void)
{
	irq_set_handler(pic_vector(IRQ_PIT), on_tick);
	apic_write(APIC_LVT_LINT0, APIC_DM_EXTINT);
	pit_periodic(pit_count_for_hz(TICK_HZ));
	pic_unmask_clean(IRQ_PIT);
	bool came = irq_halt_until(&ticks, TICKS_WANTED, WAIT_US);
	report(came && ticks_in_isr == 0,
	       "lint0: ExtINT passes the 8259's IRQ0 (vector 0x20), no local APIC ISR bit",
	       "%u ticks, %u with a local APIC ISR bit set", ticks, ticks_in_isr);

	apic_write(APIC_LVT_LINT0, APIC_LVT_MASKED | APIC_DM_EXTINT);
	uint32_t before = ticks;
	spin_us(MASKED_US);
	uint32_t held = ticks - before;
	uint16_t irr = pic_read_irr();
	const char *name = "lint0: masked, IRQ0 is not taken and stays requested in the 8259's IRR";
	if (held && irq_env_bochs())
		report_skip(name, SKIP_BOCHS_LINT0);
	else
		report(held == 0 && (irr & IRR_IR0), name, "%u ticks in 10 ms, 8259 IRR 0x%x", held,
		       irr);

	before = ticks;
	apic_write(APIC_LVT_LINT0, APIC_DM_EXTINT);
	bool again = wait_tick(before, WAIT_US);
	report(again, "lint0: unmasked again, the waiting IRQ0 arrives", "%u ticks in 50 ms",
	       ticks - before);
	pit_stop();
	pic_mask_irq(IRQ_PIT);
}
