/*
 * One counter of an Intel 82C54 programmable interval timer, in units of its
 * CLK input: the caller says how many CLK pulses have happened ("tick": the
 * index of the last pulse at or before now) and the counter applies them in
 * closed form, never pulse by pulse, so the count, OUT and the number of OUT
 * rising edges at any tick follow from the tick alone.
 *
 * Source: Intel 82C54 CHMOS Programmable Interval Timer datasheet (order
 * 231244): "Control Word Format", "Read-Back Command", "Status Byte", "Mode
 * Definitions" and "Operation Common to All Modes". The PC wiring (which
 * counter drives IRQ0, the gates, port 0x61) is vmx/dev/pit.c's business.
 *
 * Terms from the datasheet: CR, the count register software writes; CE, the
 * counting element that counts down; OL, the output latch reads come from.
 * "Loading" is the CR-to-CE transfer, done on a CLK pulse; that pulse does
 * not decrement.
 */
#ifndef VMX_DEV_PIT_COUNTER_H
#define VMX_DEV_PIT_COUNTER_H

#include <stdbool.h>
#include <stdint.h>

/* Control word, written to A1:A0 = 3 (datasheet Figure 7). */
#define PIT_CW_SC_SHIFT    6
#define PIT_CW_SC_MASK     (3u << PIT_CW_SC_SHIFT) /* counter select */
#define PIT_CW_RW_SHIFT    4
#define PIT_CW_RW_MASK     (3u << PIT_CW_RW_SHIFT) /* read/write format */
#define PIT_CW_MODE_SHIFT  1
#define PIT_CW_MODE_MASK   (7u << PIT_CW_MODE_SHIFT)
#define PIT_CW_BCD         (1u << 0)
#define PIT_CW_SC_READBACK 3u /* SC1:SC0 = 11 is the read-back command */

/* RW1:RW0 (datasheet Figure 7). */
enum pit_rw {
	PIT_RW_LATCH = 0, /* not a format: the counter latch command */
	PIT_RW_LSB = 1,
	PIT_RW_MSB = 2,
	PIT_RW_LSB_MSB = 3,
};

/* Read-back command (datasheet Figure 10); the two latch bits are active low. */
#define PIT_RB_NO_COUNT  (1u << 5)
#define PIT_RB_NO_STATUS (1u << 4)
#define PIT_RB_SELECT(i) (1u << ((i) + 1)) /* CNT0 is bit 1 */

/* Status byte (datasheet Figure 11): D5..D0 repeat the control word. */
#define PIT_ST_OUT        (1u << 7)
#define PIT_ST_NULL_COUNT (1u << 6)
#define PIT_ST_PROGRAMMED 0x3fu

#define PIT_BINARY_MODULUS 65536u /* a count of 0 is 2^16 in binary ... */
#define PIT_BCD_MODULUS    10000u /* ... and 10^4 in BCD */
#define PIT_NEVER          UINT64_MAX

static inline unsigned pit_cw_select(uint8_t cw)
{
	return (cw & PIT_CW_SC_MASK) >> PIT_CW_SC_SHIFT;
}

static inline enum pit_rw pit_cw_rw(uint8_t cw)
{
	return (enum pit_rw)((cw & PIT_CW_RW_MASK) >> PIT_CW_RW_SHIFT);
}

/* M2:M0; modes 6 and 7 are modes 2 and 3 (datasheet: M2 is "X" for them). */
static inline unsigned pit_cw_mode(uint8_t cw)
{
	unsigned m = (cw & PIT_CW_MODE_MASK) >> PIT_CW_MODE_SHIFT;
	return m >= 6 ? m - 4 : m;
}

/* A control word selecting counter `sc` (not the read-back or latch forms). */
static inline uint8_t pit_cw(unsigned sc, enum pit_rw rw, unsigned mode)
{
	return (uint8_t)(sc << PIT_CW_SC_SHIFT | (unsigned)rw << PIT_CW_RW_SHIFT |
	                 mode << PIT_CW_MODE_SHIFT);
}

/* Where the counter is between a control word and its counting. */
enum pit_phase {
	PIT_IDLE,    /* no count written since the control word: the CE holds still */
	PIT_ARMED,   /* modes 1 and 5: a count is written, no trigger has come yet */
	PIT_RUNNING, /* the CE has a count and counts as its mode says */
};

struct pit_counter {
	/* Programming */
	uint8_t control; /* D5..D0 of the last control word, as the status byte shows them */
	uint8_t mode;    /* 0..5 */
	uint16_t cr;     /* the count register as written (four BCD digits in BCD mode) */
	uint8_t cr_lsb;  /* LSB of a two-byte count whose MSB has not come yet */
	bool write_msb;  /* two-byte format: the next write is the MSB */
	bool read_msb;   /* two-byte format: the next read is the MSB (its own flip-flop) */
	/* Latches */
	uint16_t ol; /* the latched count, in the read format (BCD digits in BCD mode) */
	bool count_latched;
	uint8_t status;
	bool status_latched;
	/* Counting element */
	uint8_t phase;        /* enum pit_phase */
	bool load_pending;    /* the CR goes to the CE on the next CLK pulse */
	bool trigger_pending; /* a GATE rising edge, sampled on the next CLK pulse */
	bool null_count;      /* the CR holds a count the CE has not taken yet */
	bool paused;          /* mode 0: the first byte of a two-byte count stops counting */
	bool gate;
	bool out;
	uint32_t n;     /* the count the CE was loaded with: 1..65536 (1..10000 in BCD) */
	uint64_t pos;   /* counting pulses since loading; modes 2, 3: within the period */
	uint32_t held;  /* the CE while not running (it keeps its value) */
	uint64_t tick;  /* the last CLK pulse applied */
	uint64_t rises; /* OUT rising edges so far */
};

/* A counter with gate `gate`, never programmed (IDLE in mode 0, OUT low, CE 0). */
void pit_counter_reset(struct pit_counter *c, bool gate, uint64_t tick);

/*
 * The programming interface (vmx/dev/pit_counter.c). Every call first
 * applies the CLK pulses up to `tick`; ticks before the last one applied
 * are taken as that one (time does not go back).
 */
void pit_counter_control(struct pit_counter *c, uint8_t cw, uint64_t tick);
void pit_counter_write(struct pit_counter *c, uint8_t byte, uint64_t tick);
uint8_t pit_counter_read(struct pit_counter *c, uint64_t tick);
void pit_counter_latch_count(struct pit_counter *c, uint64_t tick);
void pit_counter_latch_status(struct pit_counter *c, uint64_t tick);
void pit_counter_set_gate(struct pit_counter *c, bool level, uint64_t tick);
bool pit_counter_out(struct pit_counter *c, uint64_t tick);

/* The CR as a count (0 means the modulus), for reports. */
uint32_t pit_counter_reload(const struct pit_counter *c);

/* Whether a count was written since the last control word. */
static inline bool pit_counter_has_count(const struct pit_counter *c)
{
	return c->phase != PIT_IDLE || c->load_pending;
}

/*
 * The counting element (vmx/dev/pit_counting.c).
 */
void pit_counter_advance(struct pit_counter *c, uint64_t tick);
/* The CE now, as a number (0..65535, or 0..9999 in BCD). */
uint32_t pit_counter_ce(const struct pit_counter *c);
/* The pulse at which OUT next changes if nothing is written, or PIT_NEVER. */
uint64_t pit_counter_next_change(const struct pit_counter *c);
/* Shared with the programming side. */
uint32_t pit_counter_modulus(const struct pit_counter *c);
void pit_counter_set_out(struct pit_counter *c, bool level);

#endif
