/*
 * guest-irq-pic: the 8259A pair with the PIT on IRQ0 and COM1 on IRQ4 (Intel 8259A
 * datasheet, "Fully Nested Mode", "End of Interrupt", "Interrupt Masks", "Reading the
 * 8259A Status"). IRQ0 is the highest priority, so:
 *   - IRQ0 in service holds a COM1 request back, even with IF = 1, until its EOI;
 *   - IRQ0 preempts a COM1 handler that runs with IF = 1;
 *   - a specific EOI clears exactly the level it names;
 *   - a masked line waits in the IRR until unmasked;
 * and a line goes out of COM1 driven by transmitter-empty interrupts.
 * The scenario runs inside the handlers (irq_pic_steps.c); this file sets up and reports.
 */
#include "tests/guests/guest.h"
#include "tests/guests/irq_pic.h"
#include "tests/guests/irq_pic_guest.h"
#include "tests/guests/irq_pit.h"
#include "tests/guests/irq_setup.h"
#include "tests/guests/irq_time.h"
#include "tests/guests/irq_uart.h"
#include "tests/guests/irq_vectors.h"
#include "tests/guests/irq_wait.h"
#include "tests/guests/report.h"

const char guest_name[] = "irq-pic";

#define TICK_HZ       1000u
#define TICK_PERIODS  100u
#define RATE_PERMILLE 20u
#define RATE_WINDOWS  3u
#define SCENARIO_US   100000u
#define TX_TIMEOUT_US 1000000u
#define ISR_IR0       (1u << IRQ_PIT)
#define ISR_IR0_IR4   ((1u << IRQ_PIT) | (1u << IRQ_COM1))
#define IRR_IR4       (1u << IRQ_COM1)

struct pic_guest pg;

/* Runs the armed scenario, idling in HLT (the 1 kHz tick keeps waking it), until its
 * handler marks it done. */
static bool run_scenario(enum pic_scenario s, volatile bool *done, uint32_t timeout_us)
{
	uart_drain();
	pg.scenario = s;
	if (s != SCEN_HOLD)
		uart_out(UART_IER, IER_ETBEI); /* THR is empty: IRQ4 rises now */
	bool ok = irq_halt_until_set(done, timeout_us);
	pg.scenario = SCEN_NONE;
	return ok;
}

static bool tick_window(uint32_t want)
{
	tick_log_reset(&pg.ticks);
	pic_unmask_clean(IRQ_PIT);
	irq_halt_until(&pg.ticks.count, TICK_PERIODS + 1, 3 * TICK_PERIODS * 1000);
	return pg.ticks.count > TICK_PERIODS &&
	       rate_within(tick_log_rate(&pg.ticks), want, RATE_PERMILLE);
}

/* A window may be retried: on a loaded host an emulator can drop periods itself. */
static void test_ticks(uint16_t count)
{
	uint32_t want = pit_rate_mhz(count);
	unsigned window = 1;
	bool ok = tick_window(want);
	while (!ok && window < RATE_WINDOWS) {
		ok = tick_window(want);
		window++;
	}
	uint32_t rate = tick_log_rate(&pg.ticks);
	uint16_t isr = pic_read_isr();
	report_info("pit channel 0 mode 2: %u.%03u Hz over %u periods (programmed %u.%03u Hz, "
	            "window %u)",
	            mhz_int(rate), mhz_frac(rate), pg.ticks.count - 1, mhz_int(want),
	            mhz_frac(want), window);
	report(pg.ticks.count > TICK_PERIODS && !isr,
	       "irq0: PIT mode 2 ticks on vector 0x20, non-specific EOI leaves ISR 0",
	       "%u ticks, ISR 0x%x", pg.ticks.count, isr);
	const char *name = "irq0: 1 kHz within 2 % in TSC time";
	if (!irq_rate_skip(name, ok))
		report(ok, name, "%u ticks, %u.%03u Hz", pg.ticks.count, mhz_int(rate),
		       mhz_frac(rate));
}

static void test_hold(void)
{
	bool done = run_scenario(SCEN_HOLD, &pg.hold.done, SCENARIO_US);
	report(done && pg.hold.during == 0,
	       "nesting: IRQ0 in service (IF = 1 in its handler) holds IRQ4 back",
	       "done %d, %u IRQ4 while IRQ0 in service", done, pg.hold.during);
	report(done && (pg.hold.irr & IRR_IR4) && pg.hold.isr == ISR_IR0,
	       "ocw3: while IRQ0 is in service IRR shows IR4 pending and ISR exactly IR0",
	       "IRR 0x%x ISR 0x%x", pg.hold.irr, pg.hold.isr);
	report(done && pg.hold.arrival_seq > pg.hold.eoi_seq,
	       "nesting: the held IRQ4 arrives after IRQ0's EOI", "EOI step %u, IRQ4 step %u",
	       pg.hold.eoi_seq, pg.hold.arrival_seq);
}

static void test_preempt(void)
{
	bool done = run_scenario(SCEN_PREEMPT, &pg.preempt.done, SCENARIO_US);
	report(done && pg.preempt.nested && pg.preempt.isr_nested == ISR_IR0_IR4 &&
	           pg.preempt.isr_after == 0,
	       "nesting: IRQ0 preempts the IRQ4 handler running with IF = 1 (ISR 0x11)",
	       "done %d, nested ticks %u, ISR in nested tick 0x%x, after both EOIs 0x%x", done,
	       pg.preempt.nested, pg.preempt.isr_nested, pg.preempt.isr_after);
}

static void test_specific_eoi(void)
{
	bool done = run_scenario(SCEN_SPECIFIC, &pg.specific.done, SCENARIO_US);
	report(done && pg.specific.isr_both == ISR_IR0_IR4 &&
	           pg.specific.isr_after_ir4 == ISR_IR0 && pg.specific.isr_after_ir0 == 0,
	       "eoi: specific EOI 0x64 clears IR4 under the higher IR0, then 0x60 clears IR0",
	       "done %d, ISR 0x%x -> 0x%x -> 0x%x", done, pg.specific.isr_both,
	       pg.specific.isr_after_ir4, pg.specific.isr_after_ir0);
}

static void test_mask(void)
{
	pic_mask_irq(IRQ_COM1);
	uint32_t before = pg.irq4_count;
	uart_drain();
	pg.scenario = SCEN_MASK;
	uart_out(UART_IER, IER_ETBEI);
	irq_halt_for(MASK_HOLD_US);
	uint32_t held = pg.irq4_count - before;
	uint16_t irr = pic_read_irr();
	pic_unmask_irq(IRQ_COM1);
	irq_halt_until(&pg.irq4_count, before + 1, SCENARIO_US);
	pg.scenario = SCEN_NONE;
	report(held == 0 && (irr & IRR_IR4) && pg.irq4_count == before + 1,
	       "imr: masked IRQ4 waits in the IRR and arrives once unmasked",
	       "%u IRQ4 while masked, IRR 0x%x, %u after unmask", held, irr,
	       pg.irq4_count - before);
}

static void test_tx(void)
{
	pic_tx_prepare();
	bool done = run_scenario(SCEN_TX, &pg.tx.done, TX_TIMEOUT_US);
	uart_drain();
	uint8_t iir = uart_in(UART_IIR) & IIR_ID_MASK;
	report_info("uart tx: %u bytes in %u THRE interrupts", pg.tx.pos, pg.tx.interrupts);
	uint32_t want = (pg.tx.len + UART_TX_FIFO - 1) / UART_TX_FIFO + 1;
	report(done && pg.tx.pos == pg.tx.len && pg.tx.interrupts >= want && !pg.tx.other &&
	           iir == IIR_NONE,
	       "uart: a line sent from THRE interrupts, up to 16 bytes each, all bytes out",
	       "done %d, %u of %u bytes, %u interrupts (at least %u), %u not THRE, IIR 0x%x", done,
	       pg.tx.pos, pg.tx.len, pg.tx.interrupts, want, pg.tx.other, iir);
}

void guest_main(void)
{
	irq_platform_init();
	pic_guest_handlers();
	uart_irq_init();
	pic_unmask_irq(IRQ_COM1);
	if (!irq_setup_tsc())
		return;
	uint16_t count = pit_count_for_hz(TICK_HZ);
	pit_periodic(count);
	test_ticks(count);
	test_hold();
	test_preempt();
	test_specific_eoi();
	test_mask();
	test_tx();
	pit_stop();
	pic_set_mask(PIC_ALL_MASKED);
	irq_report_unexpected();
}
