/* guest-irq-pic's handlers: the PIT tick (IRQ0) and COM1 (IRQ4), each doing the step of
 * the scenario that irq_pic_main.c armed. */
#include "tests/guests/irq_pic.h"
#include "tests/guests/irq_pic_guest.h"
#include "tests/guests/irq_uart.h"
#include "tests/guests/irq_vectors.h"
#include "tests/guests/report.h"

static const char tx_text[] = "uart tx: the quick brown fox jumps over the lazy dog 0123456789";

/* Reading the IIR clears a THRE interrupt; with the IER cleared nothing can raise IRQ4. */
static void uart_quiet(void)
{
	(void)uart_in(UART_IIR);
	uart_out(UART_IER, 0);
}

/* In the tick handler: raise IRQ4 and let it try to get through with IF = 1. */
static void hold_step(void)
{
	uint32_t before = pg.irq4_count;
	uart_out(UART_IER, IER_ETBEI);
	irq_enable();
	tsc_delay_us(HOLD_US);
	irq_disable();
	pg.hold.during = pg.irq4_count - before;
	pg.hold.irr = pic_read_irr();
	pg.hold.isr = pic_read_isr();
	pg.hold.eoi_seq = ++pg.step;
	pg.hold.done = true;
	pic_eoi(IRQ_PIT);
}

/* In a tick nested in the IRQ4 handler: clear IR4 first by name, then IR0. */
static void specific_step(void)
{
	pg.specific.isr_both = pic_read_isr();
	pic_specific_eoi(IRQ_COM1);
	pg.specific.isr_after_ir4 = pic_read_isr();
	pic_specific_eoi(IRQ_PIT);
	pg.specific.isr_after_ir0 = pic_read_isr();
	pg.specific.done = true;
}

static void on_tick(struct trap_frame *f)
{
	(void)f;
	tick_log_record(&pg.ticks);
	if (pg.scenario == SCEN_HOLD && !pg.hold.done) {
		hold_step();
		return;
	}
	if (pg.in_irq4 && pg.scenario == SCEN_SPECIFIC && !pg.specific.done) {
		specific_step();
		return;
	}
	if (pg.in_irq4 && pg.scenario == SCEN_PREEMPT) {
		pg.preempt.nested++;
		pg.preempt.isr_nested = pic_read_isr();
	}
	pic_eoi(IRQ_PIT);
}

/* In the IRQ4 handler: open IF and wait for a tick to nest. */
static bool wait_nested_tick(void)
{
	uart_quiet();
	uint32_t t0 = pg.ticks.count;
	pg.in_irq4 = true;
	irq_enable();
	uint64_t start = tsc_read();
	while (pg.ticks.count == t0 && !tsc_passed(start, NEST_WAIT_US))
		cpu_relax();
	irq_disable();
	pg.in_irq4 = false;
	return pg.ticks.count != t0;
}

static void preempt_step(void)
{
	wait_nested_tick();
	pic_eoi(IRQ_COM1); /* non-specific: IR4 is the highest level still in service */
	pg.preempt.isr_after = pic_read_isr();
	pg.preempt.done = true;
}

static void specific_irq4_step(void)
{
	if (!wait_nested_tick() || !pg.specific.done)
		pic_eoi(IRQ_COM1); /* the tick did not clear it: do not leave IR4 in service */
}

/* Transmitter empty: refill the FIFO, or after the last byte turn the interrupt off. */
static void tx_step(void)
{
	pg.tx.interrupts++;
	if ((uart_in(UART_IIR) & IIR_ID_MASK) != IIR_THRE) {
		pg.tx.other++;
	} else if (pg.tx.pos == pg.tx.len) {
		uart_out(UART_IER, 0);
		pg.tx.done = true;
	} else {
		for (uint32_t n = 0; n < UART_TX_FIFO && pg.tx.pos < pg.tx.len; n++)
			uart_out(UART_THR, (uint8_t)pg.tx.buf[pg.tx.pos++]);
	}
	pic_eoi(IRQ_COM1);
}

static void on_com1(struct trap_frame *f)
{
	(void)f;
	pg.irq4_count++;
	switch (pg.scenario) {
	case SCEN_PREEMPT:
		preempt_step();
		return;
	case SCEN_SPECIFIC:
		specific_irq4_step();
		return;
	case SCEN_TX:
		tx_step();
		return;
	case SCEN_HOLD:
		pg.hold.arrival_seq = ++pg.step;
		break;
	default:
		break;
	}
	uart_quiet();
	pic_eoi(IRQ_COM1);
}

void pic_guest_handlers(void)
{
	irq_set_handler(pic_vector(IRQ_PIT), on_tick);
	irq_set_handler(pic_vector(IRQ_COM1), on_com1);
}

static void append(const char *s)
{
	while (*s && pg.tx.len + 1 < TX_LINE_MAX)
		pg.tx.buf[pg.tx.len++] = *s++;
}

void pic_tx_prepare(void)
{
	pg.tx.len = pg.tx.pos = pg.tx.interrupts = pg.tx.other = 0;
	pg.tx.done = false;
	append(report_prog());
	append(": ");
	append(tx_text);
	append("\r\n");
}
