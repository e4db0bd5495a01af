/*
 * The PC's 8254 programmable interval timer at ports 0x40..0x43, and system
 * control port B at port 0x61 (channel 2's gate, the speaker enable, the
 * refresh toggle and channel 2's OUT).
 *
 * Wiring, as on every PC: the three counters share one 1.193182 MHz clock
 * (the 14.31818 MHz crystal divided by 12: exactly 105/88 MHz, which this
 * model uses, with pulse k at guest time k * 88/105 us, pulse 0 at guest
 * time 0). Counter 0's OUT drives IRQ0, its gate is tied high. Counter 1
 * (DRAM refresh on old PCs) counts with its gate tied high and drives
 * nothing but port 0x61 bit 4. Counter 2's gate is port 0x61 bit 0 and its
 * OUT reads back in port 0x61 bit 5.
 *
 * Counts follow guest time exactly: each access converts the guest time
 * (io_now) to the number of PIT clock pulses since guest time 0 and the
 * counters derive their state from that number, so nothing drifts however
 * long the guest runs.
 *
 * Integration:
 *   io_bus_add_ports(bus, PIT_PORT_BASE, PIT_PORTS, "pit", pit, pit_port_read, pit_port_write);
 *   io_bus_add_ports(bus, PIT_PORT61, 1, "port61", pit, pit_port61_read, pit_port61_write);
 *   io_bus_add_timer(bus, &pit->timer);
 * with irq0 = the 8259 master's pin 0 (an edge-triggered input).
 */
#ifndef VMX_DEV_PIT_H
#define VMX_DEV_PIT_H

#include <stdbool.h>
#include <stdint.h>

#include "vmx/dev/pit_counter.h"
#include "vmx/io/clock.h"
#include "vmx/io/irq.h"
#include "vmx/io/log.h"
#include "vmx/io/timer.h"

#define PIT_PORT_BASE 0x40
#define PIT_PORTS     4 /* counters 0, 1, 2 and the control word register */
#define PIT_PORT61    0x61
#define PIT_COUNTERS  3

/* Port 0x61, system control port B (PC/AT; Intel ICH "NMI Status and Control"). */
#define PORT61_GATE2        (1u << 0) /* R/W: counter 2 gate */
#define PORT61_SPEAKER      (1u << 1) /* R/W: speaker data enable */
#define PORT61_PARITY_OFF   (1u << 2) /* R/W: parity/SERR NMI disable (stored only) */
#define PORT61_IOCHK_OFF    (1u << 3) /* R/W: IOCHK NMI disable (stored only) */
#define PORT61_WRITABLE     0x0fu
#define PORT61_REFRESH      (1u << 4) /* RO: refresh toggle */
#define PORT61_OUT2         (1u << 5) /* RO: counter 2 OUT */
#define PORT61_IOCHK_STATUS (1u << 6) /* RO: always 0, nothing here raises IOCHK */
#define PORT61_SERR_STATUS  (1u << 7) /* RO: always 0, nothing here raises SERR */

struct pit {
	struct pit_counter counter[PIT_COUNTERS];
	struct io_clock clock;
	struct io_irq irq0;
	struct io_timer timer;    /* the next IRQ0 edge of counter 0 */
	uint8_t port61;           /* the writable bits of port 0x61 */
	bool irq0_level;          /* the level last driven on IRQ0 */
	uint64_t irq0_edges_seen; /* counter 0's OUT rising edges already passed on */
	uint64_t irq0_raises;     /* rising edges driven on IRQ0 */
};

/*
 * The state a PC BIOS hands over: counter 0 in mode 3 (LSB then MSB,
 * binary) with count 0 = 65536, running: a square wave, IRQ0 at 18.2 Hz.
 * Counter 1 in mode 2 with count 18, the AT BIOS's DRAM refresh rate
 * (15.085 us). Counter 2 programmed like counter 0 but with its gate off
 * (port 0x61 = 0), so it holds still with OUT high. The first IRQ0 edge
 * comes one full period (54.9 ms) after pit_init. pit_init does not drive
 * IRQ0 (the line is taken to be low); the interrupt controller need not
 * exist yet.
 */
void pit_init(struct pit *p, const struct io_clock *clock, struct io_irq irq0);

/*
 * Ports 0x40..0x43 (offsets 0..3). Accesses of 2 or 4 bytes are byte
 * accesses of successive ports, as on the ISA bus (a word write to 0x42
 * writes counter 2, then the control word); one reaching past 0x43 returns
 * false. Reading 0x43 gives 0xff: the datasheet defines it as no operation,
 * the data bus floats.
 */
bool pit_port_read(void *pit, uint16_t offset, unsigned size, uint32_t *value);
bool pit_port_write(void *pit, uint16_t offset, unsigned size, uint32_t value);

/* Port 0x61, byte accesses only (a wider one would reach ports that are
 * not this device's: false). */
bool pit_port61_read(void *pit, uint16_t offset, unsigned size, uint32_t *value);
bool pit_port61_write(void *pit, uint16_t offset, unsigned size, uint32_t value);

/* "pit: ch0 mode 2 count 11932, ch1 mode 2 count 18, ch2 mode 0 count 59659 gate on,
 *  irq0 raises 1000" */
void pit_print(const struct pit *p, struct io_log *log);

#endif
